import Foundation
import GatewayCore
import HTTPTypes

/// Speaks the OpenAI chat-completions API and the many servers that copy it: OpenAI, Gemini's
/// OpenAI-compatible endpoint, vLLM, Ollama, llama.cpp's server, Groq, Mistral, OpenRouter, …
///
/// - Requests: `POST {base}/chat/completions` (also streamed), `POST {base}/embeddings`,
///   `GET {base}/models`, with `Authorization: Bearer <key>` and never the key in the URL.
/// - Answers: decoded, or classified into a `Failure` from the error's structure (see
///   `OpenAIErrorClassifier`): 429 `rate_limit_exceeded` waits for the server's time, 429
///   `insufficient_quota` is billing, 401 disables the key, a `content_filter` finish is blocked.
/// - Limits: the `x-ratelimit-*` headers of every answer reach the limiter
///   (``serverRateLimits(in:)``); pair with `.rateLimit(.followingServer())` to pace by them.
///
/// ```swift
/// let gateway = try Gateway.builder()
///     .keys(.environment(prefix: "OPENAI_API_KEY_"))
///     .rateLimit(.followingServer())
///     .transport(transport)
///     .provider(.openAICompatible(.openAI()))
///     .build()
/// ```
public struct OpenAICompatibleProvider: StreamingProvider {
    /// What a caller asks.
    public typealias Request = OpenAIRequest
    /// What comes back.
    public typealias Response = OpenAIResponse

    /// Where requests go and how they are dressed.
    public let configuration: Configuration
    private let endpoint: Result<Endpoint, OpenAIError>
    private let errors: OpenAIErrorClassifier

    /// A provider for `configuration`; an unusable base URL is reported by ``validate()`` (so by
    /// the gateway's `build()`) and by every request.
    public init(_ configuration: Configuration, now: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        self.endpoint = Result { () throws(OpenAIError) in try Endpoint(configuration.baseURL) }
        self.errors = OpenAIErrorClassifier(now: now)
    }

    /// Checks the base URL and the extra headers.
    /// - Throws: ``OpenAIError``.
    public func validate() throws(OpenAIError) {
        _ = try endpoint.get()
        _ = try extraFields()
    }

    /// Builds the HTTP request: the operation's path under the base URL, the JSON body with the
    /// mapped model name, the extra headers, and the key as a bearer token.
    public func makeRequest(_ request: OpenAIRequest, key: APIKey) throws -> TransportRequest {
        try makeRequest(request, key: key, stream: false)
    }

    /// Builds the streamed form of a chat request; any other request throws
    /// ``OpenAIError/invalidRequest(_:)``.
    public func makeStreamingRequest(_ request: OpenAIRequest, key: APIKey) throws -> TransportRequest {
        guard case .chat = request.body else { throw OpenAIError.invalidRequest("only chat completions can be streamed") }
        return try makeRequest(request, key: key, stream: true)
    }

    private func makeRequest(_ request: OpenAIRequest, key: APIKey, stream: Bool) throws(OpenAIError) -> TransportRequest {
        let endpoint = try endpoint.get()
        var fields = try extraFields()
        let method: HTTPRequest.Method
        let path: String
        var body: [UInt8] = []
        switch request.body {
        case .chat(let chat):
            (method, path) = (.post, endpoint.path("chat/completions"))
            body = try chat.body(model: mappedModel(chat.model), stream: stream)
        case .embeddings(let embeddings):
            (method, path) = (.post, endpoint.path("embeddings"))
            body = try embeddings.body(model: mappedModel(embeddings.model))
        case .models:
            (method, path) = (.get, endpoint.path("models"))
        }
        if !body.isEmpty { fields[.contentType] = "application/json" }
        fields[.accept] = stream ? "text/event-stream" : "application/json"
        var authorization = HTTPField(name: .authorization, value: "Bearer \(key.revealSecret())")
        authorization.indexingStrategy = .avoid
        fields.append(authorization)
        let head = HTTPRequest(method: method, scheme: endpoint.scheme, authority: endpoint.authority, path: path, headerFields: fields)
        return TransportRequest(head: head, body: body)
    }

    private func mappedModel(_ model: String) throws(OpenAIError) -> String {
        let mapped = configuration.modelNames[model] ?? model
        guard !mapped.isEmpty, mapped.utf8.count <= 256, !mapped.contains(where: { $0.isNewline }) else {
            throw .invalidRequest("invalid model name '\(mapped.prefix(80))'")
        }
        return mapped
    }

    private func extraFields() throws(OpenAIError) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in configuration.extraHeaders.sorted(by: { $0.key < $1.key }) {
            guard let fieldName = HTTPField.Name(name), fieldName != .authorization, HTTPField.isValidValue(value) else {
                throw .invalidRequest("invalid extra header '\(name.prefix(80))'")
            }
            fields[fieldName] = value
        }
        return fields
    }

    /// Decodes a 2xx answer as `request`'s kind of response, or classifies it into a `Failure`:
    /// an error status, an error envelope sent with a 2xx, a `content_filter` finish, an unreadable
    /// body.
    public func parse(_ response: TransportResponse, for request: OpenAIRequest) -> Result<OpenAIResponse, Failure> {
        let status = response.status
        guard (200...299).contains(status) else {
            return .failure(errors.classify(status: status, headers: response.head.headerFields, body: response.body))
        }
        // A 200 can still carry an error envelope (some proxies do that).
        if OpenAIErrorClassifier.envelope(from: response.body) != nil, !Self.looksLikeAnswer(response.body) {
            return .failure(errors.classify(status: 500, headers: response.head.headerFields, body: response.body))
        }
        let decoder = JSONDecoder()
        let data = Data(Self.trimmingLeadingBlankLines(response.body))
        do {
            switch request.body {
            case .chat:
                let completion = try decoder.decode(ChatCompletion.self, from: data)
                if completion.finishReason == "content_filter" {
                    return .failure(Failure(.blocked(reason: "content_filter"), status: status, message: "the answer was withheld by the content filter"))
                }
                return .success(.chat(completion))
            case .embeddings:
                return .success(.embeddings(try decoder.decode(EmbeddingsResponse.self, from: data)))
            case .models:
                return .success(.models(try decoder.decode(ModelList.self, from: data)))
            }
        } catch {
            return .failure(Failure(.serverError(status: status), status: status,
                message: "unreadable answer: \(OpenAIErrorClassifier.snippet(of: Array(response.body.prefix(200))))"))
        }
    }

    /// A decoder for the chunks of a streamed chat completion.
    public func makeEventDecoder(for request: OpenAIRequest) -> OpenAIEventDecoder { OpenAIEventDecoder(errors: errors) }

    /// Each model is paced and cooled on its own within a key's quota group.
    public func quotaModel(of request: OpenAIRequest) -> String? { request.model.map { configuration.modelNames[$0] ?? $0 } }

    /// The prompt's size in tokens, roughly (4 characters a token), for tokens-per-minute limits.
    public func cost(of request: OpenAIRequest) -> RateLimitCost {
        switch request.body {
        case .chat(let chat):
            let characters = chat.messages.reduce(0) { $0 + $1.content.count }
            return RateLimitCost(requests: 1, tokens: characters / 4 + (chat.maxCompletionTokens ?? chat.maxTokens ?? 0))
        case .embeddings(let embeddings):
            return RateLimitCost(requests: 1, tokens: embeddings.input.reduce(0) { $0 + $1.count } / 4)
        case .models:
            return .oneRequest
        }
    }

    /// `usage.total_tokens`.
    public func tokensUsed(by response: OpenAIResponse) -> Int? {
        switch response {
        case .chat(let chat): chat.usage?.totalTokens
        case .embeddings(let embeddings): embeddings.usage?.totalTokens
        case .models: nil
        }
    }

    /// The `x-ratelimit-*` headers, over ``Configuration/rateLimitWindow``.
    public func serverRateLimits(in response: HTTPResponse) -> ServerRateLimits? {
        RateLimitHeaders.limits(in: response.headerFields, window: configuration.rateLimitWindow)
    }

    private static func looksLikeAnswer(_ body: [UInt8]) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return false }
        return object["choices"] != nil || object["data"] != nil
    }

    /// DeepSeek sends blank lines before a JSON body as keep-alives.
    private static func trimmingLeadingBlankLines(_ body: [UInt8]) -> ArraySlice<UInt8> {
        body.drop { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: " ") }
    }
}

extension Provider where Self == OpenAICompatibleProvider {
    /// An OpenAI-compatible provider.
    public static func openAICompatible(_ configuration: OpenAICompatibleProvider.Configuration) -> OpenAICompatibleProvider {
        OpenAICompatibleProvider(configuration)
    }
}
