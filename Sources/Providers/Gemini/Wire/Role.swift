/// Who produced a ``Content``: `user` or `model`.
public struct Role: GeminiWireString {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The caller's turn.
    public static let user: Role = "user"
    /// The model's turn.
    public static let model: Role = "model"
}
