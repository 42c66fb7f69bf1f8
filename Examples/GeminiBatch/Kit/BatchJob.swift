import GeminiProvider

/// What to ask for each file: the model, the prompts and how to cut the text.
public struct BatchJob: Sendable {
    /// The Gemini model, e.g. `gemini-2.5-flash-lite`.
    public var model: String
    /// The prompt of each chunk call (`{chunk}` required).
    public var chunkPrompt: PromptTemplate
    /// The prompt of the combining call (`{answers}` required).
    public var summaryPrompt: PromptTemplate
    /// How files are cut into chunks.
    public var chunker: Chunker
    /// Files processed at once (each on its own dedicated key).
    public var concurrency: Int
    /// Generation settings sent with every call, if any.
    public var generationConfig: GenerationConfig?

    /// A job; `concurrency` below 1 counts as 1.
    public init(
        model: String = "gemini-2.5-flash-lite", chunkPrompt: PromptTemplate = .defaultChunk,
        summaryPrompt: PromptTemplate = .defaultSummary, chunkCharacters: Int = 4_000, concurrency: Int,
        generationConfig: GenerationConfig? = nil
    ) {
        self.model = model
        self.chunkPrompt = chunkPrompt
        self.summaryPrompt = summaryPrompt
        self.chunker = Chunker(maxCharacters: chunkCharacters)
        self.concurrency = max(1, concurrency)
        self.generationConfig = generationConfig
    }
}
