/// Why a candidate stopped (`Candidate.finishReason`). Unknown values decode as themselves.
public struct FinishReason: GeminiWireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let unspecified: FinishReason = "FINISH_REASON_UNSPECIFIED"
    /// A natural stop or a stop sequence.
    public static let stop: FinishReason = "STOP"
    /// `maxOutputTokens` reached (thinking may have used all of it).
    public static let maxTokens: FinishReason = "MAX_TOKENS"
    public static let safety: FinishReason = "SAFETY"
    public static let recitation: FinishReason = "RECITATION"
    public static let language: FinishReason = "LANGUAGE"
    public static let other: FinishReason = "OTHER"
    public static let blocklist: FinishReason = "BLOCKLIST"
    public static let prohibitedContent: FinishReason = "PROHIBITED_CONTENT"
    public static let spii: FinishReason = "SPII"
    public static let malformedFunctionCall: FinishReason = "MALFORMED_FUNCTION_CALL"
    public static let imageSafety: FinishReason = "IMAGE_SAFETY"
    public static let imageProhibitedContent: FinishReason = "IMAGE_PROHIBITED_CONTENT"
    public static let imageRecitation: FinishReason = "IMAGE_RECITATION"
    public static let imageOther: FinishReason = "IMAGE_OTHER"
    public static let noImage: FinishReason = "NO_IMAGE"
    public static let unexpectedToolCall: FinishReason = "UNEXPECTED_TOOL_CALL"
    public static let tooManyToolCalls: FinishReason = "TOO_MANY_TOOL_CALLS"

    /// Reasons that mean the provider's safety or policy system withheld the answer: no key and
    /// no retry helps.
    public var isBlocking: Bool { Self.blocking.contains(self) }

    private static let blocking: Set<FinishReason> = [
        .safety, .recitation, .blocklist, .prohibitedContent, .spii,
        .imageSafety, .imageProhibitedContent, .imageRecitation,
    ]
}
