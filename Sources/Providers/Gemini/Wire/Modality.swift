/// A content modality (`TEXT`, `IMAGE`, `AUDIO`, …), in token details and `responseModalities`.
public struct Modality: GeminiWireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let text: Modality = "TEXT"
    public static let image: Modality = "IMAGE"
    public static let audio: Modality = "AUDIO"
    public static let video: Modality = "VIDEO"
    public static let document: Modality = "DOCUMENT"
}
