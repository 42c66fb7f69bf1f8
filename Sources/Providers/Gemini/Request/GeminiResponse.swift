/// The decoded answer to a ``GeminiRequest``: the response type of its operation.
public struct GeminiResponse: Sendable, Hashable {
    enum Body: Sendable, Hashable {
        case generateContent(GenerateContentResponse)
        case countTokens(CountTokensResponse)
        case embedContent(EmbedContentResponse)
    }

    let body: Body

    init(_ body: Body) { self.body = body }

    /// Wraps a `generateContent` answer.
    public init(_ response: GenerateContentResponse) { body = .generateContent(response) }
    /// Wraps a `countTokens` answer.
    public init(_ response: CountTokensResponse) { body = .countTokens(response) }
    /// Wraps an `embedContent` answer.
    public init(_ response: EmbedContentResponse) { body = .embedContent(response) }

    /// The method that was called.
    public var operation: GeminiOperation {
        switch body {
        case .generateContent: .generateContent
        case .countTokens: .countTokens
        case .embedContent: .embedContent
        }
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
