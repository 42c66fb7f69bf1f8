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

    /// `models/{model}:streamGenerateContent?alt=sse`, used by streamed calls.
    public static let streamGenerateContent = GeminiOperation("streamGenerateContent")
    /// `models/{model}:batchEmbedContents`.
    public static let batchEmbedContents = GeminiOperation("batchEmbedContents")
    /// `GET models` (one page of the list).
    public static let listModels = GeminiOperation("listModels")
    /// `GET models/{model}`.
    public static let getModel = GeminiOperation("getModel")

    /// Whether the operation is a `GET` of model metadata rather than a `POST` to a model.
    var isModelMetadata: Bool { self == .listModels || self == .getModel }

    /// The method name, as in ``name``.
    public var description: String { name }
}
