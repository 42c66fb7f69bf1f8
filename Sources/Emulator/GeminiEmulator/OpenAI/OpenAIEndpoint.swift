/// The endpoints of the OpenAI-compatible surface, under `/v1beta/openai/` as on Gemini's service.
enum OpenAIEndpoint: Sendable, Equatable {
    /// `POST chat/completions`, streaming or not.
    case chatCompletions
    /// `POST embeddings`.
    case embeddings
    /// `GET models`.
    case listModels
    /// `GET models/{id}`; the id without a `models/` prefix.
    case getModel(String)
    /// Anything else under the prefix: a 404 in the surface's error style.
    case unknown(method: String, path: String)

    static let prefix = "/v1beta/openai/"

    /// The endpoint for a request whose path starts with ``prefix`` (nil for any other path).
    init?(method: String, path: Substring) {
        guard path.hasPrefix(Self.prefix) else { return nil }
        let rest = path.dropFirst(Self.prefix.count)
        switch (method, rest) {
        case ("POST", "chat/completions"): self = .chatCompletions
        case ("POST", "embeddings"): self = .embeddings
        case ("GET", "models"), ("GET", "models/"): self = .listModels
        case ("GET", _) where rest.hasPrefix("models/"):
            let id = Self.modelID(Route.percentDecoded(rest.dropFirst("models/".count)))
            self = id.isEmpty || id.contains("/") ? .unknown(method: method, path: String(path)) : .getModel(id)
        default: self = .unknown(method: method, path: String(path))
        }
    }

    /// A model id without the `models/` prefix requests may carry.
    static func modelID(_ name: String) -> String {
        name.hasPrefix("models/") ? String(name.dropFirst("models/".count)) : name
    }
}
