/// Why a prompt was blocked (`promptFeedback.blockReason`). Unknown values decode as themselves.
public struct BlockReason: GeminiWireString {
    /// The wire string.
    public let rawValue: String
    /// Wraps any wire string, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The default value: no reason given.
    public static let unspecified: BlockReason = "BLOCK_REASON_UNSPECIFIED"
    /// Blocked by the safety settings; the prompt's safety ratings say which category.
    public static let safety: BlockReason = "SAFETY"
    /// Blocked for a reason the server does not name.
    public static let other: BlockReason = "OTHER"
    /// The prompt contains terms from the terminology blocklist.
    public static let blocklist: BlockReason = "BLOCKLIST"
    /// The prompt contains prohibited content.
    public static let prohibitedContent: BlockReason = "PROHIBITED_CONTENT"
    /// Blocked because it would generate unsafe images.
    public static let imageSafety: BlockReason = "IMAGE_SAFETY"
}
