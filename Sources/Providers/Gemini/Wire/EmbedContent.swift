/// The body of `models/{model}:embedContent`.
public struct EmbedContentRequest: Codable, Sendable, Hashable {
    /// The model, as `models/{model}`: required inside a batch (the provider fills it in), optional otherwise.
    public var model: String?
    /// The content to embed (text parts only are embedded).
    public var content: Content
    /// What the embedding will be used for; the model's default when `nil`.
    public var taskType: EmbeddingTaskType?
    /// A title, for `RETRIEVAL_DOCUMENT` only.
    public var title: String?
    /// Truncates the embedding to this many dimensions, on models that allow it.
    public var outputDimensionality: Int?

    /// Embeds `content`; ``model`` starts `nil` (the provider fills it in inside a batch).
    public init(content: Content, taskType: EmbeddingTaskType? = nil, title: String? = nil, outputDimensionality: Int? = nil) {
        self.content = content
        self.taskType = taskType
        self.title = title
        self.outputDimensionality = outputDimensionality
    }
}

/// What an embedding will be used for. Unknown values decode as themselves.
public struct EmbeddingTaskType: GeminiWireString {
    /// The wire string.
    public let rawValue: String
    /// Wraps any wire string, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The text is a search query.
    public static let retrievalQuery: EmbeddingTaskType = "RETRIEVAL_QUERY"
    /// The text is a document of the corpus being searched (it may have a
    /// ``EmbedContentRequest/title``).
    public static let retrievalDocument: EmbeddingTaskType = "RETRIEVAL_DOCUMENT"
    /// The embedding measures how similar texts are.
    public static let semanticSimilarity: EmbeddingTaskType = "SEMANTIC_SIMILARITY"
    /// The embedding feeds a classifier.
    public static let classification: EmbeddingTaskType = "CLASSIFICATION"
    /// The embedding feeds clustering.
    public static let clustering: EmbeddingTaskType = "CLUSTERING"
    /// The text is a question for a question-answering system.
    public static let questionAnswering: EmbeddingTaskType = "QUESTION_ANSWERING"
    /// The text is a statement to verify.
    public static let factVerification: EmbeddingTaskType = "FACT_VERIFICATION"
}

/// The answer of `embedContent`.
public struct EmbedContentResponse: Codable, Sendable, Hashable {
    /// The embedding; absent when the server sent none.
    public var embedding: ContentEmbedding?

    /// Creates an answer, e.g. for a mock.
    public init(embedding: ContentEmbedding? = nil) { self.embedding = embedding }
}

/// An embedding vector.
public struct ContentEmbedding: Codable, Sendable, Hashable {
    /// The vector's components.
    public var values: [Double]

    /// Wraps a vector.
    public init(values: [Double]) { self.values = values }

    /// Decodes from the wire JSON, reading an absent `values` as an empty vector.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        values = try container.decodeIfPresent([Double].self, forKey: .values) ?? []
    }

    private enum CodingKeys: String, CodingKey { case values }
}
