import Foundation
import GatewayCore
import HTTPTypes

/// Speaks the Gemini Developer API (`generativelanguage.googleapis.com`, v1beta, API-key auth).
///
/// - Requests: `POST {baseURL}/v1beta/models/{model}:{operation}` with the key only in the
///   `x-goog-api-key` header, never in the URL.
/// - Answers: decoded into ``GeminiResponse``, or classified into a `Failure` from the
///   structured error envelope — invalid or suspended keys, per-minute and per-day quotas
///   (a per-day quota cools until midnight Pacific), billing, server errors, blocked prompts.
///
/// ```swift
/// let gateway = try Gateway.builder()
///     .keys(.environment(prefix: "GEMINI_API_KEY_"))
///     .transport(CurlTransport())
///     .provider(.gemini())
///     .build()
/// let text = try await gateway.withClient(task: "file_123") { try await $0.generate("Explain heart failure") }
/// ```
///
/// The provider is pure: no I/O and no state beyond its configuration.
public struct GeminiProvider: StreamingProvider {
    /// Requests are ``GeminiRequest`` values.
    public typealias Request = GeminiRequest
    /// Answers are ``GeminiResponse`` values.
    public typealias Response = GeminiResponse

    /// The header that carries the key.
    public static let apiKeyHeader = HTTPField.Name("x-goog-api-key")!

    /// Where requests go and how time is read.
    public let configuration: Configuration
    private let endpoint: Result<Endpoint, GeminiError>
    private let answers: AnswerClassifier

    /// Creates a provider. An unusable base URL or API version is reported by every
    /// ``makeRequest(_:key:)`` (and by ``validate()``), not here.
    public init(_ configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.endpoint = Result { () throws(GeminiError) in
            guard !configuration.apiVersion.isEmpty,
                configuration.apiVersion.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            else { throw .invalidBaseURL("API version '\(configuration.apiVersion)'") }
            return try Endpoint(configuration.baseURL)
        }
        self.answers = AnswerClassifier(errors: ErrorClassifier(now: configuration.now))
    }

    /// Checks the configuration.
    /// - Throws: ``GeminiError/invalidBaseURL(_:)``.
    public func validate() throws(GeminiError) { _ = try endpoint.get() }

    /// Builds the HTTP request: JSON body, `content-type: application/json`, and the key in
    /// `x-goog-api-key` (kept out of HTTP/2 header compression tables). Model metadata requests
    /// are `GET`s without a body.
    /// - Throws: ``GeminiError`` for a bad model name, base URL or unencodable body.
    public func makeRequest(_ request: GeminiRequest, key: APIKey) throws -> TransportRequest {
        try makeRequest(request, operation: request.operation, key: key)
    }

    private func makeRequest(_ request: GeminiRequest, operation: GeminiOperation, key: APIKey) throws(GeminiError) -> TransportRequest {
        let endpoint = try endpoint.get()
        let path: String
        var body: [UInt8] = []
        switch request.body {
        case .listModels(let pageSize, let pageToken):
            path = endpoint.modelsPath(version: configuration.apiVersion, pageSize: pageSize, pageToken: pageToken)
        case .getModel:
            path = endpoint.modelPath(version: configuration.apiVersion, model: try ModelName(request.model))
        default:
            let model = try ModelName(request.model)
            path = endpoint.path(version: configuration.apiVersion, model: model, operation: operation)
            body = try Self.encodeBody(request.body, model: model)
        }
        var fields = HTTPFields()
        if !body.isEmpty { fields[.contentType] = "application/json" }
        if operation == .streamGenerateContent { fields[.accept] = "text/event-stream" }
        var keyField = HTTPField(name: Self.apiKeyHeader, value: key.revealSecret())
        keyField.indexingStrategy = .avoid
        fields.append(keyField)
        let head = HTTPRequest(
            method: request.operation.isModelMetadata ? .get : .post, scheme: endpoint.scheme,
            authority: endpoint.authority, path: path, headerFields: fields)
        return TransportRequest(head: head, body: body, timeout: request.timeout)
    }

    private static func encodeBody(_ body: GeminiRequest.Body, model: ModelName) throws(GeminiError) -> [UInt8] {
        switch body {
        case .generateContent(let body):
            return try WireJSON.encode(body)
        case .countTokens(var body):
            if body.generateContentRequest != nil, body.generateContentRequest?.model == nil {
                body.generateContentRequest?.model = model.path
            }
            return try WireJSON.encode(body)
        case .embedContent(let body):
            return try WireJSON.encode(body)
        case .batchEmbedContents(var body):
            for index in body.requests.indices { body.requests[index].model = model.path }
            return try WireJSON.encode(body)
        case .listModels, .getModel:
            return []
        }
    }

    /// Classifies an answer; pure, total, never traps (any bytes give a result or a failure).
    public func parse(_ response: TransportResponse, for request: GeminiRequest) -> Result<GeminiResponse, Failure> {
        let status = response.status
        if (200...299).contains(status) {
            return answers.classify(status: status, body: response.body, operation: request.operation)
        }
        return .failure(answers.errors.classify(status: status, body: response.body))
    }

    /// One request, plus an estimate of tokens: prompt characters / 4, plus `maxOutputTokens`
    /// when set. `countTokens` draws no tokens.
    public func cost(of request: GeminiRequest) -> RateLimitCost {
        switch request.body {
        case .generateContent(let body):
            let output = max(0, body.generationConfig?.maxOutputTokens ?? 0)
            return RateLimitCost(requests: 1, tokens: body.promptCharacters / 4 + output)
        case .countTokens:
            return .oneRequest
        case .embedContent(let body):
            return RateLimitCost(requests: 1, tokens: body.promptCharacters / 4)
        case .batchEmbedContents(let body):
            return RateLimitCost(requests: 1, tokens: body.promptCharacters / 4)
        case .listModels, .getModel:
            return .oneRequest
        }
    }

    /// `usageMetadata.totalTokenCount` of a `generateContent` answer.
    public func tokensUsed(by response: GeminiResponse) -> Int? {
        response.generateContent?.usageMetadata?.totalTokenCount
    }

    /// Gemini keeps quotas per project *and* model: the model's resource name (`models/…`),
    /// so each model is paced and cooled on its own. Model metadata requests share one scope.
    public func quotaModel(of request: GeminiRequest) -> String? {
        if request.operation.isModelMetadata { return "models.list" }
        return (try? ModelName(request.model))?.path
    }

    // MARK: Streaming

    /// Builds a `streamGenerateContent?alt=sse` request for a `generateContent` request.
    /// - Throws: ``GeminiError/notStreamable(_:)`` for other operations.
    public func makeStreamingRequest(_ request: GeminiRequest, key: APIKey) throws -> TransportRequest {
        guard request.operation == .generateContent else { throw GeminiError.notStreamable(request.operation.name) }
        return try makeRequest(request, operation: .streamGenerateContent, key: key)
    }

    /// A decoder for one `alt=sse` body.
    public func makeEventDecoder(for request: GeminiRequest) -> GeminiEventDecoder {
        GeminiEventDecoder(errors: answers.errors)
    }

    /// The next per-day quota reset (midnight America/Los_Angeles) after `date`.
    public static func nextDailyReset(after date: Date) -> Date { DailyReset.next(after: date) }
}

extension Provider where Self == GeminiProvider {
    /// The Gemini provider, for `Gateway.builder().provider(.gemini())`.
    public static func gemini(_ configuration: GeminiProvider.Configuration = .init()) -> GeminiProvider {
        GeminiProvider(configuration)
    }
}
