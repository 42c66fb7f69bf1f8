/// How the model generates (`generationConfig`). Every field is optional; unset fields are
/// omitted from the JSON and the model's defaults apply.
public struct GenerationConfig: Codable, Sendable, Hashable {
    /// Randomness, 0.0–2.0.
    public var temperature: Double?
    /// Nucleus sampling: the cumulative probability of the tokens considered at each step.
    public var topP: Double?
    /// The most tokens considered at each step.
    public var topK: Int?
    /// The most tokens to generate (thinking tokens count against it on thinking models).
    public var maxOutputTokens: Int?
    /// How many candidates to generate.
    public var candidateCount: Int?
    /// Up to five sequences that end generation.
    public var stopSequences: [String]?
    /// The decoding seed, for repeatable output.
    public var seed: Int?
    /// `text/plain` (default), `application/json` or `text/x.enum`.
    public var responseMimeType: String?
    /// An OpenAPI-subset schema for JSON output.
    public var responseSchema: JSONValue?
    /// A JSON Schema for JSON output (needs ``responseMimeType``).
    public var responseJsonSchema: JSONValue?
    /// Penalises tokens that already appear in the answer, however often.
    public var presencePenalty: Double?
    /// Penalises tokens by how often they already appear in the answer.
    public var frequencyPenalty: Double?
    /// Whether to return the log probabilities of the chosen tokens.
    public var responseLogprobs: Bool?
    /// How many of the likeliest tokens to return log probabilities for at each step (needs
    /// ``responseLogprobs``).
    public var logprobs: Int?
    /// The modalities the answer may contain, e.g. `TEXT` and `IMAGE`.
    public var responseModalities: [Modality]?
    /// Thinking budget and thought summaries (an error on models without thinking).
    public var thinkingConfig: ThinkingConfig?

    /// Creates a configuration; unset fields are left out and the model's defaults apply.
    public init(
        temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, maxOutputTokens: Int? = nil,
        candidateCount: Int? = nil, stopSequences: [String]? = nil, seed: Int? = nil,
        responseMimeType: String? = nil, responseSchema: JSONValue? = nil, responseJsonSchema: JSONValue? = nil,
        presencePenalty: Double? = nil, frequencyPenalty: Double? = nil, responseLogprobs: Bool? = nil,
        logprobs: Int? = nil, responseModalities: [Modality]? = nil, thinkingConfig: ThinkingConfig? = nil
    ) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.maxOutputTokens = maxOutputTokens
        self.candidateCount = candidateCount
        self.stopSequences = stopSequences
        self.seed = seed
        self.responseMimeType = responseMimeType
        self.responseSchema = responseSchema
        self.responseJsonSchema = responseJsonSchema
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.responseLogprobs = responseLogprobs
        self.logprobs = logprobs
        self.responseModalities = responseModalities
        self.thinkingConfig = thinkingConfig
    }
}

/// Thinking settings (`generationConfig.thinkingConfig`).
public struct ThinkingConfig: Codable, Sendable, Hashable {
    /// Whether to return thought summaries as parts marked `thought: true`.
    public var includeThoughts: Bool?
    /// Tokens the model may think with; `0` turns thinking off where allowed, `-1` is dynamic.
    public var thinkingBudget: Int?

    /// Creates thinking settings; unset fields keep the model's defaults.
    public init(includeThoughts: Bool? = nil, thinkingBudget: Int? = nil) {
        self.includeThoughts = includeThoughts
        self.thinkingBudget = thinkingBudget
    }
}
