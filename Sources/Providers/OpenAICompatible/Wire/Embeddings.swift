import Foundation

/// An embeddings request: `POST {base}/embeddings`, floats back.
public struct EmbeddingsRequest: Sendable, Hashable {
    /// The model.
    public var model: String
    /// The texts to embed (one vector each).
    public var input: [String]
    /// Fewer dimensions, where the model allows it.
    public var dimensions: Int?

    /// A request for `input`'s vectors.
    public init(model: String, input: [String], dimensions: Int? = nil) {
        self.model = model
        self.input = input
        self.dimensions = dimensions
    }

    func body(model: String) throws(OpenAIError) -> [UInt8] {
        guard !input.isEmpty, !input.contains(where: \.isEmpty) else { throw .invalidRequest("embeddings need non-empty input texts") }
        var object: [String: Any] = ["model": model, "input": input, "encoding_format": "float"]
        if let dimensions { object["dimensions"] = dimensions }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            throw .invalidRequest("the request cannot be encoded as JSON")
        }
        return Array(data)
    }
}

/// The vectors of an embeddings answer.
public struct EmbeddingsResponse: Sendable, Hashable, Decodable {
    /// One input's vector.
    public struct Embedding: Sendable, Hashable, Decodable {
        /// The input's position.
        public var index: Int
        /// The vector.
        public var embedding: [Double]
    }

    /// The vectors, in input order.
    public var data: [Embedding]
    /// The model that answered.
    public var model: String?
    /// Tokens used.
    public var usage: ChatCompletion.Usage?

    /// The vectors alone, sorted by input position.
    public var vectors: [[Double]] { data.sorted { $0.index < $1.index }.map(\.embedding) }
}

/// The models a key may use: `GET {base}/models`.
public struct ModelList: Sendable, Hashable, Decodable {
    /// One model.
    public struct Model: Sendable, Hashable, Decodable {
        /// Its id (Gemini's endpoint writes `models/…`).
        public var id: String
        /// Who owns it.
        public var ownedBy: String?

        enum CodingKeys: String, CodingKey {
            case id
            case ownedBy = "owned_by"
        }
    }

    /// The models.
    public var data: [Model]
}
