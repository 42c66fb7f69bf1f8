import GeminiProvider

/// What to ask for each file: the model, the prompts and how to cut the text.
public struct BatchJob: Sendable {
    /// The model, e.g. `gemini-2.5-flash-lite`.
    public var model: String
    /// The prompt of each chunk call (`{chunk}` required).
    public var chunkPrompt: PromptTemplate
    /// The prompt of the combining call (`{answers}` required).
    public var summaryPrompt: PromptTemplate
    /// How files are cut into chunks.
    public var chunker: Chunker
    /// Files processed at once (each on its own dedicated key); a file making its combining call
    /// does not count, so the next file starts on its key meanwhile.
    public var concurrency: Int
    /// Generation settings sent with every call, if any (for an OpenAI-compatible server: the
    /// temperature and the output-token limit).
    public var generationConfig: GenerationConfig?
    /// The most chunk calls of one file in flight at once. Within it the number follows the
    /// key's pace and the latency seen (``GatewayClient/sendEach(_:maxInFlight:deadline:allStarted:_:)``):
    /// one at a time when the pace is slower than an answer, more on a paid tier.
    public var maxCallsInFlight: Int

    /// A job; `concurrency` below 1 counts as 1.
    public init(
        model: String = "gemini-2.5-flash-lite", chunkPrompt: PromptTemplate = .defaultChunk,
        summaryPrompt: PromptTemplate = .defaultSummary, chunkCharacters: Int = 4_000, concurrency: Int,
        generationConfig: GenerationConfig? = nil, maxCallsInFlight: Int = 16
    ) {
        self.model = model
        self.chunkPrompt = chunkPrompt
        self.summaryPrompt = summaryPrompt
        self.chunker = Chunker(maxCharacters: chunkCharacters)
        self.concurrency = max(1, concurrency)
        self.generationConfig = generationConfig
        self.maxCallsInFlight = max(1, maxCallsInFlight)
    }
}
