/// The body of a successful `generateContent` answer. Every field is optional on the wire
/// (proto3 JSON omits zero values).
public struct GenerateContentResponse: Codable, Sendable, Hashable {
    /// The answers; empty or absent when the prompt was blocked.
    public var candidates: [Candidate]?
    /// Why the prompt was blocked, if it was.
    public var promptFeedback: PromptFeedback?
    /// The call's token counts.
    public var usageMetadata: UsageMetadata?
    /// The model that answered, bare (`gemini-2.0-flash`) or prefixed (`models/…`).
    public var modelVersion: String?
    /// The server's identifier of this answer.
    public var responseId: String?

    /// Creates an answer, e.g. for a mock.
    public init(
        candidates: [Candidate]? = nil, promptFeedback: PromptFeedback? = nil, usageMetadata: UsageMetadata? = nil,
        modelVersion: String? = nil, responseId: String? = nil
    ) {
        self.candidates = candidates
        self.promptFeedback = promptFeedback
        self.usageMetadata = usageMetadata
        self.modelVersion = modelVersion
        self.responseId = responseId
    }

    /// The text of the first candidate (its non-thought text parts joined), or `nil` when it has none.
    public var text: String? {
        guard let text = candidates?.first?.content?.text, !text.isEmpty else { return nil }
        return text
    }

    /// Whether the body carried none of the fields of an answer (e.g. it was an error envelope).
    var isEmpty: Bool {
        (candidates ?? []).isEmpty && promptFeedback == nil && usageMetadata == nil && modelVersion == nil
    }
}

/// One answer.
public struct Candidate: Codable, Sendable, Hashable {
    /// The answer; absent when the candidate was stopped before any output.
    public var content: Content?
    /// Why generation stopped; absent while it has not (stream chunks).
    public var finishReason: FinishReason?
    /// The server's explanation of ``finishReason``, if any.
    public var finishMessage: String?
    /// The candidate's position among the answers.
    public var index: Int?
    /// The safety judgement of the candidate, per harm category.
    public var safetyRatings: [SafetyRating]?
    /// Citation sources, as raw JSON.
    public var citationMetadata: JSONValue?

    /// Creates a candidate, e.g. for a mock.
    public init(
        content: Content? = nil, finishReason: FinishReason? = nil, finishMessage: String? = nil, index: Int? = nil,
        safetyRatings: [SafetyRating]? = nil, citationMetadata: JSONValue? = nil
    ) {
        self.content = content
        self.finishReason = finishReason
        self.finishMessage = finishMessage
        self.index = index
        self.safetyRatings = safetyRatings
        self.citationMetadata = citationMetadata
    }
}

/// What the server thought of the prompt.
public struct PromptFeedback: Codable, Sendable, Hashable {
    /// Set when the prompt was blocked; then there are no candidates.
    public var blockReason: BlockReason?
    /// The safety judgement of the prompt, per harm category.
    public var safetyRatings: [SafetyRating]?

    /// Creates feedback, e.g. for a mock.
    public init(blockReason: BlockReason? = nil, safetyRatings: [SafetyRating]? = nil) {
        self.blockReason = blockReason
        self.safetyRatings = safetyRatings
    }
}
