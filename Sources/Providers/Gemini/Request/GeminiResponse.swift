/// The decoded answer to a ``GeminiRequest``: the response type of its operation.
public struct GeminiResponse: Sendable, Hashable {
    /// Boxed (`indirect`): the payloads are large values, and every async frame that holds a
    /// request or response across a suspension keeps their full size for the task's lifetime.
    indirect enum Body: Sendable, Hashable {
        case generateContent(GenerateContentResponse)
        case countTokens(CountTokensResponse)
        case embedContent(EmbedContentResponse)
        case batchEmbedContents(BatchEmbedContentsResponse)
        case listModels(ListModelsResponse)
        case model(ModelInfo)
    }

    let body: Body

    init(_ body: Body) { self.body = body }

    /// Wraps a `generateContent` answer.
    public init(_ response: GenerateContentResponse) { body = .generateContent(response) }
    /// Wraps a `countTokens` answer.
    public init(_ response: CountTokensResponse) { body = .countTokens(response) }
    /// Wraps an `embedContent` answer.
    public init(_ response: EmbedContentResponse) { body = .embedContent(response) }
    /// Wraps a `batchEmbedContents` answer.
    public init(_ response: BatchEmbedContentsResponse) { body = .batchEmbedContents(response) }
    /// Wraps a page of `GET models`.
    public init(_ response: ListModelsResponse) { body = .listModels(response) }
    /// Wraps `GET models/{model}`.
    public init(_ response: ModelInfo) { body = .model(response) }

    /// The method that was called.
    public var operation: GeminiOperation {
        switch body {
        case .generateContent: .generateContent
        case .countTokens: .countTokens
        case .embedContent: .embedContent
        case .batchEmbedContents: .batchEmbedContents
        case .listModels: .listModels
        case .model: .getModel
        }
    }

    /// The answer, for a `batchEmbedContents` request.
    public var batchEmbedContents: BatchEmbedContentsResponse? {
        if case .batchEmbedContents(let response) = body { response } else { nil }
    }

    /// The page, for a `listModels` request.
    public var listModels: ListModelsResponse? {
        if case .listModels(let response) = body { response } else { nil }
    }

    /// The model, for a `getModel` request.
    public var model: ModelInfo? {
        if case .model(let response) = body { response } else { nil }
    }

    /// The answer, for a `generateContent` request.
    public var generateContent: GenerateContentResponse? {
        if case .generateContent(let response) = body { response } else { nil }
    }

    /// The answer, for a `countTokens` request.
    public var countTokens: CountTokensResponse? {
        if case .countTokens(let response) = body { response } else { nil }
    }

    /// The answer, for an `embedContent` request.
    public var embedContent: EmbedContentResponse? {
        if case .embedContent(let response) = body { response } else { nil }
    }
}
