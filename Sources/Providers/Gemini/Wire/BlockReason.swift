/// Why a prompt was blocked (`promptFeedback.blockReason`). Unknown values decode as themselves.
public struct BlockReason: GeminiWireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let unspecified: BlockReason = "BLOCK_REASON_UNSPECIFIED"
    public static let safety: BlockReason = "SAFETY"
    public static let other: BlockReason = "OTHER"
    public static let blocklist: BlockReason = "BLOCKLIST"
    public static let prohibitedContent: BlockReason = "PROHIBITED_CONTENT"
    public static let imageSafety: BlockReason = "IMAGE_SAFETY"
}
