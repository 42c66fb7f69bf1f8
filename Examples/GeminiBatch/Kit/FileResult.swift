/// What `gemini-batch` writes for one input file, as `<output>/<file name>.json`.
public struct FileResult: Codable, Sendable, Hashable {
    public struct ChunkAnswer: Codable, Sendable, Hashable {
        /// 1-based position of the chunk in the file.
        public var index: Int
        public var characters: Int
        public var answer: String
        public var attempts: Int
        public var tokens: Int?

        public init(index: Int, characters: Int, answer: String, attempts: Int, tokens: Int?) {
            self.index = index
            self.characters = characters
            self.answer = answer
            self.attempts = attempts
            self.tokens = tokens
        }
    }

    public var file: String
    /// SHA-256 of the input file's bytes: a rerun redoes the file when its bytes changed.
    /// `nil` in results written before fingerprints (they are redone once).
    public var inputSHA256: String?
    public var model: String
    /// The key that answered the file's calls, masked (`#2 …wxyz`); the last one if it changed.
    public var key: String
    public var chunks: [ChunkAnswer]
    /// The combined answer.
    public var summary: String
    /// HTTP attempts over all of the file's calls.
    public var attempts: Int
    /// Tokens over all of the file's calls (`usageMetadata.totalTokenCount`).
    public var tokens: Int
    /// Wall seconds the file took.
    public var seconds: Double

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
