/// The body of `models/{model}:embedContent`.
public struct EmbedContentRequest: Codable, Sendable, Hashable {
    /// The model, as `models/{model}`: required inside a batch (the provider fills it in), optional otherwise.
    public var model: String?
    /// The content to embed (text parts only are embedded).
    public var content: Content
    public var taskType: EmbeddingTaskType?
    /// A title, for `RETRIEVAL_DOCUMENT` only.
    public var title: String?
    /// Truncates the embedding to this many dimensions, on models that allow it.
    public var outputDimensionality: Int?

    public init(content: Content, taskType: EmbeddingTaskType? = nil, title: String? = nil, outputDimensionality: Int? = nil) {
        self.content = content
        self.taskType = taskType
        self.title = title
        self.outputDimensionality = outputDimensionality
    }
}

/// What an embedding will be used for. Unknown values decode as themselves.
public struct EmbeddingTaskType: GeminiWireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let retrievalQuery: EmbeddingTaskType = "RETRIEVAL_QUERY"
    public static let retrievalDocument: EmbeddingTaskType = "RETRIEVAL_DOCUMENT"
    public static let semanticSimilarity: EmbeddingTaskType = "SEMANTIC_SIMILARITY"
    public static let classification: EmbeddingTaskType = "CLASSIFICATION"
    public static let clustering: EmbeddingTaskType = "CLUSTERING"
    public static let questionAnswering: EmbeddingTaskType = "QUESTION_ANSWERING"
    public static let factVerification: EmbeddingTaskType = "FACT_VERIFICATION"
}

/// The answer of `embedContent`.
public struct EmbedContentResponse: Codable, Sendable, Hashable {
    public var embedding: ContentEmbedding?

    public init(embedding: ContentEmbedding? = nil) { self.embedding = embedding }
}

/// An embedding vector.
public struct ContentEmbedding: Codable, Sendable, Hashable {
    public var values: [Double]

    public init(values: [Double]) { self.values = values }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        values = try container.decodeIfPresent([Double].self, forKey: .values) ?? []
    }

    private enum CodingKeys: String, CodingKey { case values }
}
