/// Why a candidate stopped (`Candidate.finishReason`). Unknown values decode as themselves.
public struct FinishReason: GeminiWireString {
    /// The wire string.
    public let rawValue: String
    /// Wraps any wire string, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The default value: no reason given.
    public static let unspecified: FinishReason = "FINISH_REASON_UNSPECIFIED"
    /// A natural stop or a stop sequence.
    public static let stop: FinishReason = "STOP"
    /// `maxOutputTokens` reached (thinking may have used all of it).
    public static let maxTokens: FinishReason = "MAX_TOKENS"
    /// The answer was withheld by the safety filters.
    public static let safety: FinishReason = "SAFETY"
    /// The answer was withheld because it recited training data.
    public static let recitation: FinishReason = "RECITATION"
    /// The answer was in a language the model does not support.
    public static let language: FinishReason = "LANGUAGE"
    /// The server does not name the reason.
    public static let other: FinishReason = "OTHER"
    /// The answer contained terms from the terminology blocklist.
    public static let blocklist: FinishReason = "BLOCKLIST"
    /// The answer may have contained prohibited content.
    public static let prohibitedContent: FinishReason = "PROHIBITED_CONTENT"
    /// The answer may have contained sensitive personally identifiable information.
    public static let spii: FinishReason = "SPII"
    /// The model produced a function call that is not valid.
    public static let malformedFunctionCall: FinishReason = "MALFORMED_FUNCTION_CALL"
    /// The generated images broke the safety rules.
    public static let imageSafety: FinishReason = "IMAGE_SAFETY"
    /// The generated images had prohibited content.
    public static let imageProhibitedContent: FinishReason = "IMAGE_PROHIBITED_CONTENT"
    /// The generated images recited training data.
    public static let imageRecitation: FinishReason = "IMAGE_RECITATION"
    /// Image generation stopped for another reason.
    public static let imageOther: FinishReason = "IMAGE_OTHER"
    /// An image was expected but the model generated none.
    public static let noImage: FinishReason = "NO_IMAGE"
    /// The model called a tool although the request enabled none.
    public static let unexpectedToolCall: FinishReason = "UNEXPECTED_TOOL_CALL"
    /// The model called too many tools in a row, so generation stopped.
    public static let tooManyToolCalls: FinishReason = "TOO_MANY_TOOL_CALLS"

    /// Reasons that mean the provider's safety or policy system withheld the answer: no key and
    /// no retry helps.
    public var isBlocking: Bool { Self.blocking.contains(self) }

    private static let blocking: Set<FinishReason> = [
        .safety, .recitation, .blocklist, .prohibitedContent, .spii,
        .imageSafety, .imageProhibitedContent, .imageRecitation,
    ]
}
