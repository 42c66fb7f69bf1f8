import GeminiProvider

/// What to ask for each file: the model, the prompts and how to cut the text.
public struct BatchJob: Sendable {
    public var model: String
    public var chunkPrompt: PromptTemplate
    public var summaryPrompt: PromptTemplate
    public var chunker: Chunker
    /// Files processed at once (each on its own dedicated key).
    public var concurrency: Int
    public var generationConfig: GenerationConfig?

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
