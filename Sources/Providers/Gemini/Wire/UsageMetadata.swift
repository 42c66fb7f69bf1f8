/// Token counts of one call (`usageMetadata`).
public struct UsageMetadata: Codable, Sendable, Hashable {
    /// Tokens in the prompt, cached content included.
    public var promptTokenCount: Int?
    /// Tokens in the generated candidates.
    public var candidatesTokenCount: Int?
    /// Prompt + candidates + tool-use prompt + thoughts.
    public var totalTokenCount: Int?
    /// Tokens of the prompt that came from cached content.
    public var cachedContentTokenCount: Int?
    /// Tokens the model thought with.
    public var thoughtsTokenCount: Int?
    /// Tokens of tool-use prompts.
    public var toolUsePromptTokenCount: Int?
    /// The prompt's tokens, per modality.
    public var promptTokensDetails: [ModalityTokenCount]?
    /// The candidates' tokens, per modality.
    public var candidatesTokensDetails: [ModalityTokenCount]?

    /// Creates token counts, e.g. for a mock.
    public init(
        promptTokenCount: Int? = nil, candidatesTokenCount: Int? = nil, totalTokenCount: Int? = nil,
        cachedContentTokenCount: Int? = nil, thoughtsTokenCount: Int? = nil, toolUsePromptTokenCount: Int? = nil,
        promptTokensDetails: [ModalityTokenCount]? = nil, candidatesTokensDetails: [ModalityTokenCount]? = nil
    ) {
        self.promptTokenCount = promptTokenCount
        self.candidatesTokenCount = candidatesTokenCount
        self.totalTokenCount = totalTokenCount
        self.cachedContentTokenCount = cachedContentTokenCount
        self.thoughtsTokenCount = thoughtsTokenCount
        self.toolUsePromptTokenCount = toolUsePromptTokenCount
        self.promptTokensDetails = promptTokensDetails
        self.candidatesTokensDetails = candidatesTokensDetails
    }
}

/// Tokens of one modality.
public struct ModalityTokenCount: Codable, Sendable, Hashable {
    /// The modality counted.
    public var modality: Modality?
    /// Its tokens.
    public var tokenCount: Int?

    /// Creates a count, e.g. for a mock.
    public init(modality: Modality? = nil, tokenCount: Int? = nil) {
        self.modality = modality
        self.tokenCount = tokenCount
    }
}
