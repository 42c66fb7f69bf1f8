/// Who produced a ``Content``: `user` or `model`.
public struct Role: GeminiWireString {
    /// The wire string.
    public let rawValue: String
    /// Wraps any wire string, known or not.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The caller's turn.
    public static let user: Role = "user"
    /// The model's turn.
    public static let model: Role = "model"
}
