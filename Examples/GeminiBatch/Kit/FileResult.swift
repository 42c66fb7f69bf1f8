/// What `gemini-batch` writes for one input file, as `<output>/<file name>.json`.
public struct FileResult: Codable, Sendable, Hashable {
    /// One chunk's answer.
    public struct ChunkAnswer: Codable, Sendable, Hashable {
        /// 1-based position of the chunk in the file.
        public var index: Int
        /// The chunk's length in characters.
        public var characters: Int
        /// The model's answer.
        public var answer: String
        /// HTTP attempts the answer took.
        public var attempts: Int
        /// Tokens the call used (`usageMetadata.totalTokenCount`), when reported.
        public var tokens: Int?

        /// An answer of chunk `index`.
        public init(index: Int, characters: Int, answer: String, attempts: Int, tokens: Int?) {
            self.index = index
            self.characters = characters
            self.answer = answer
            self.attempts = attempts
            self.tokens = tokens
        }
    }

    /// The input file's name.
    public var file: String
    /// SHA-256 of the input file's bytes: a rerun redoes the file when its bytes changed.
    /// `nil` in results written before fingerprints (they are redone once).
    public var inputSHA256: String?
    /// The model that answered.
    public var model: String
    /// The key that answered the file's calls, masked (`#2 …wxyz`); the last one if it changed.
    public var key: String
    /// The answer of every chunk, in order.
    public var chunks: [ChunkAnswer]
    /// The combined answer.
    public var summary: String
    /// HTTP attempts over all of the file's calls.
    public var attempts: Int
    /// Tokens over all of the file's calls (`usageMetadata.totalTokenCount`).
    public var tokens: Int
    /// Wall seconds the file took.
    public var seconds: Double

    /// A result.
    public init(
        file: String, inputSHA256: String? = nil, model: String, key: String, chunks: [ChunkAnswer], summary: String,
        attempts: Int, tokens: Int, seconds: Double
    ) {
        self.file = file
        self.inputSHA256 = inputSHA256
        self.model = model
        self.key = key
        self.chunks = chunks
        self.summary = summary
        self.attempts = attempts
        self.tokens = tokens
        self.seconds = seconds
    }
}
