/// A content modality (`TEXT`, `IMAGE`, `AUDIO`, …), in token details and `responseModalities`.
public struct Modality: GeminiWireString {
    /// The wire string.
    public let rawValue: String
    /// Wraps any wire string, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Text.
    public static let text: Modality = "TEXT"
    /// Images.
    public static let image: Modality = "IMAGE"
    /// Audio.
    public static let audio: Modality = "AUDIO"
    /// Video.
    public static let video: Modality = "VIDEO"
    /// Documents, such as PDF.
    public static let document: Modality = "DOCUMENT"
}
