/// The body of `models/{model}:countTokens`: either plain ``contents`` or a whole
/// ``generateContentRequest`` (which also counts the system instruction and tools).
public struct CountTokensRequest: Codable, Sendable, Hashable {
    /// The contents to count, when counting plain contents.
    public var contents: [Content]?
    /// The whole request to count, when counting a request.
    public var generateContentRequest: GenerateContentRequest?

    /// Counts the tokens of `contents`.
    public init(contents: [Content]) {
        self.contents = contents
        self.generateContentRequest = nil
    }

    /// Counts the tokens `request` would send (the provider sets its `model`).
    public init(generateContentRequest request: GenerateContentRequest) {
        self.contents = nil
        self.generateContentRequest = request
    }

    var promptCharacters: Int {
        generateContentRequest?.promptCharacters
            ?? (contents ?? []).reduce(0) { total, content in content.parts.reduce(total) { $0 + ($1.text?.count ?? 0) } }
    }
}

/// The answer of `countTokens`.
public struct CountTokensResponse: Codable, Sendable, Hashable {
    /// The tokens the prompt takes.
    public var totalTokens: Int?
    /// The tokens of the cached content, when the request uses one.
    public var cachedContentTokenCount: Int?
    /// The prompt's tokens, per modality.
    public var promptTokensDetails: [ModalityTokenCount]?

    /// Creates an answer, e.g. for a mock.
    public init(totalTokens: Int? = nil, cachedContentTokenCount: Int? = nil, promptTokensDetails: [ModalityTokenCount]? = nil) {
        self.totalTokens = totalTokens
        self.cachedContentTokenCount = cachedContentTokenCount
        self.promptTokensDetails = promptTokensDetails
    }
}
