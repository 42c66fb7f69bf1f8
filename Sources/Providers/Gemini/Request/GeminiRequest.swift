/// What a caller asks the ``GeminiProvider`` for: an operation, a model and the operation's body.
///
/// ```swift
/// let request = GeminiRequest.generateContent(
///     GenerateContentRequest(contents: [.user("Explain heart failure")]), model: "gemini-2.5-flash")
/// let response = try await client.send(request)
/// print(response.generateContent?.text ?? "")
/// ```
public struct GeminiRequest: Sendable, Hashable {
    /// Boxed (`indirect`): the payloads are large values, and every async frame that holds a
    /// request or response across a suspension keeps their full size for the task's lifetime.
    indirect enum Body: Sendable, Hashable {
        case generateContent(GenerateContentRequest)
        case countTokens(CountTokensRequest)
        case embedContent(EmbedContentRequest)
        case batchEmbedContents(BatchEmbedContentsRequest)
        case listModels(pageSize: Int?, pageToken: String?)
        case getModel
    }

    /// The model: `gemini-2.5-flash`, `models/gemini-2.5-flash` or `tunedModels/…`.
    public var model: String
    /// The longest one attempt may take, if limited (the gateway's limits also apply).
    public var timeout: Duration?
    let body: Body

    private init(model: String, body: Body, timeout: Duration?) {
        self.model = model
        self.body = body
        self.timeout = timeout
    }

    /// Generates content.
    public static func generateContent(_ body: GenerateContentRequest, model: String, timeout: Duration? = nil) -> GeminiRequest {
        GeminiRequest(model: model, body: .generateContent(body), timeout: timeout)
    }

    /// Counts the tokens a prompt would use.
    public static func countTokens(_ body: CountTokensRequest, model: String, timeout: Duration? = nil) -> GeminiRequest {
        GeminiRequest(model: model, body: .countTokens(body), timeout: timeout)
    }

    /// Embeds one content.
    public static func embedContent(_ body: EmbedContentRequest, model: String, timeout: Duration? = nil) -> GeminiRequest {
        GeminiRequest(model: model, body: .embedContent(body), timeout: timeout)
    }

    /// Embeds several contents in one call (one request against the quota).
    public static func batchEmbedContents(_ body: BatchEmbedContentsRequest, model: String, timeout: Duration? = nil) -> GeminiRequest {
        GeminiRequest(model: model, body: .batchEmbedContents(body), timeout: timeout)
    }

    /// One page of the models the key can use (`pageSize` 1…1000, default 50 on the server).
    public static func listModels(pageSize: Int? = nil, pageToken: String? = nil, timeout: Duration? = nil) -> GeminiRequest {
        GeminiRequest(model: "", body: .listModels(pageSize: pageSize, pageToken: pageToken), timeout: timeout)
    }

    /// One model's metadata (token limits, supported methods).
    public static func getModel(_ model: String, timeout: Duration? = nil) -> GeminiRequest {
        GeminiRequest(model: model, body: .getModel, timeout: timeout)
    }

    /// The method this request calls.
    public var operation: GeminiOperation {
        switch body {
        case .generateContent: .generateContent
        case .countTokens: .countTokens
        case .embedContent: .embedContent
        case .batchEmbedContents: .batchEmbedContents
        case .listModels: .listModels
        case .getModel: .getModel
        }
    }

    /// The body, when this is a `generateContent` request.
    public var generateContent: GenerateContentRequest? {
        if case .generateContent(let body) = body { body } else { nil }
    }

    /// The body, when this is a `countTokens` request.
    public var countTokens: CountTokensRequest? {
        if case .countTokens(let body) = body { body } else { nil }
    }

    /// The body, when this is a `batchEmbedContents` request.
    public var batchEmbedContents: BatchEmbedContentsRequest? {
        if case .batchEmbedContents(let body) = body { body } else { nil }
    }

    /// The body, when this is an `embedContent` request.
    public var embedContent: EmbedContentRequest? {
        if case .embedContent(let body) = body { body } else { nil }
    }
}
