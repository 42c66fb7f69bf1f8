/// What a caller asks an OpenAI-compatible API.
public struct OpenAIRequest: Sendable, Hashable {
    enum Body: Sendable, Hashable {
        case chat(ChatRequest)
        case embeddings(EmbeddingsRequest)
        case models
    }

    let body: Body

    /// A chat completion.
    public static func chat(_ request: ChatRequest) -> OpenAIRequest { OpenAIRequest(body: .chat(request)) }
    /// Embedding vectors.
    public static func embeddings(_ request: EmbeddingsRequest) -> OpenAIRequest { OpenAIRequest(body: .embeddings(request)) }
    /// The models list.
    public static let models = OpenAIRequest(body: .models)

    /// The model asked for (`nil` for the models list).
    public var model: String? {
        switch body {
        case .chat(let chat): chat.model
        case .embeddings(let embeddings): embeddings.model
        case .models: nil
        }
    }
}

/// What an OpenAI-compatible API answered.
public enum OpenAIResponse: Sendable, Hashable {
    /// A chat completion.
    case chat(ChatCompletion)
    /// Embedding vectors.
    case embeddings(EmbeddingsResponse)
    /// The models list.
    case models(ModelList)

    /// The chat completion, if this is one.
    public var chat: ChatCompletion? { if case .chat(let value) = self { value } else { nil } }
    /// The embeddings, if these are some.
    public var embeddings: EmbeddingsResponse? { if case .embeddings(let value) = self { value } else { nil } }
    /// The models list, if this is one.
    public var models: ModelList? { if case .models(let value) = self { value } else { nil } }
}

/// Why a request could not be made or an answer not used.
public struct OpenAIError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case invalidBaseURL(String)
        case invalidRequest(String)
        case noText(finishReason: String?)
    }

    private let code: Code

    /// The base URL is not an absolute http(s) URL without query or credentials.
    public static func invalidBaseURL(_ url: String) -> OpenAIError { OpenAIError(code: .invalidBaseURL(url)) }
    /// The request cannot be encoded (bad temperature, too many stop sequences, tools not JSON, …).
    public static func invalidRequest(_ reason: String) -> OpenAIError { OpenAIError(code: .invalidRequest(reason)) }
    /// The answer has no text (the model only called tools, or was cut).
    public static func noText(finishReason: String?) -> OpenAIError { OpenAIError(code: .noText(finishReason: finishReason)) }

    /// What went wrong, in one line.
    public var description: String {
        switch code {
        case .invalidBaseURL(let url): "invalid base URL: '\(url.prefix(200))'"
        case .invalidRequest(let reason): reason
        case .noText(let reason): "the answer has no text (finish reason: \(reason ?? "none"))"
        }
    }
}
