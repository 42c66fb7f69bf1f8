import Foundation
import GatewayCore
import HTTPTypes

/// Speaks the Gemini Developer API (`generativelanguage.googleapis.com`, v1beta, API-key auth).
///
/// - Requests: `POST {baseURL}/v1beta/models/{model}:{operation}` with the key only in the
///   `x-goog-api-key` header, never in the URL.
/// - Answers: decoded into ``GeminiResponse``, or classified into a ``Failure`` from the
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
public struct GeminiProvider: Provider {
    public typealias Request = GeminiRequest
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
    /// `x-goog-api-key` (kept out of HTTP/2 header compression tables).
    /// - Throws: ``GeminiError`` for a bad model name, base URL or unencodable body.
    public func makeRequest(_ request: GeminiRequest, key: APIKey) throws -> TransportRequest {
        let endpoint = try endpoint.get()
        let model = try ModelName(request.model)
        let body: [UInt8] = switch request.body {
        case .generateContent(let body):
            try WireJSON.encode(body)
        case .countTokens(var body):
            try {
                if body.generateContentRequest != nil, body.generateContentRequest?.model == nil {
                    body.generateContentRequest?.model = model.path
                }
                return try WireJSON.encode(body)
            }()
        case .embedContent(let body):
            try WireJSON.encode(body)
        }
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        var keyField = HTTPField(name: Self.apiKeyHeader, value: key.revealSecret())
        keyField.indexingStrategy = .avoid
        fields.append(keyField)
        let head = HTTPRequest(
            method: .post, scheme: endpoint.scheme, authority: endpoint.authority,
            path: endpoint.path(version: configuration.apiVersion, model: model, operation: request.operation),
            headerFields: fields)
        return TransportRequest(head: head, body: body, timeout: request.timeout)
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
            let characters = body.content.parts.reduce(0) { $0 + ($1.text?.count ?? 0) }
            return RateLimitCost(requests: 1, tokens: characters / 4)
        }
    }

    /// `usageMetadata.totalTokenCount` of a `generateContent` answer.
    public func tokensUsed(by response: GeminiResponse) -> Int? {
        response.generateContent?.usageMetadata?.totalTokenCount
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
