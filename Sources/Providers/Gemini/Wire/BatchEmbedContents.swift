/// The body of `models/{model}:batchEmbedContents`: several embed requests in one call. The
/// provider sets each inner request's `model` to the call's model, as the API requires.
public struct BatchEmbedContentsRequest: Codable, Sendable, Hashable {
    /// The embed requests, one per embedding wanted.
    public var requests: [EmbedContentRequest]

    /// Batches `requests`; the provider sets each one's `model`.
    public init(requests: [EmbedContentRequest]) { self.requests = requests }

    /// One request per text, each embedded as a single text part.
    public init(texts: [String], taskType: EmbeddingTaskType? = nil) {
        self.requests = texts.map { EmbedContentRequest(content: Content(parts: [.text($0)]), taskType: taskType) }
    }

    var promptCharacters: Int { requests.reduce(0) { $0 + $1.promptCharacters } }
}

/// The answer of `batchEmbedContents`: one embedding per request, in order.
public struct BatchEmbedContentsResponse: Codable, Sendable, Hashable {
    /// The embeddings, one per request and in order; absent when the server sent none.
    public var embeddings: [ContentEmbedding]?

    /// Creates an answer, e.g. for a mock.
    public init(embeddings: [ContentEmbedding]? = nil) { self.embeddings = embeddings }
}

extension EmbedContentRequest {
    var promptCharacters: Int { content.parts.reduce(0) { $0 + ($1.text?.count ?? 0) } }
}
