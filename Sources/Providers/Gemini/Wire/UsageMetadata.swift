/// Token counts of one call (`usageMetadata`).
public struct UsageMetadata: Codable, Sendable, Hashable {
    public var promptTokenCount: Int?
    public var candidatesTokenCount: Int?
    /// Prompt + candidates + tool-use prompt + thoughts.
    public var totalTokenCount: Int?
    public var cachedContentTokenCount: Int?
    public var thoughtsTokenCount: Int?
    public var toolUsePromptTokenCount: Int?
    public var promptTokensDetails: [ModalityTokenCount]?
    public var candidatesTokensDetails: [ModalityTokenCount]?

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
    public var modality: Modality?
    public var tokenCount: Int?

    public init(modality: Modality? = nil, tokenCount: Int? = nil) {
        self.modality = modality
        self.tokenCount = tokenCount
    }
}
