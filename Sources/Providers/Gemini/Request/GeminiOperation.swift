/// A Gemini method a ``GeminiRequest`` calls: the part of the path after `models/{model}:`.
public struct GeminiOperation: Sendable, Hashable, CustomStringConvertible {
    /// The method name as it appears in the path, e.g. `generateContent`.
    public let name: String
    private init(_ name: String) { self.name = name }

    /// `models/{model}:generateContent`.
    public static let generateContent = GeminiOperation("generateContent")
    /// `models/{model}:countTokens`.
    public static let countTokens = GeminiOperation("countTokens")
    /// `models/{model}:embedContent`.
    public static let embedContent = GeminiOperation("embedContent")

    public var description: String { name }
}
