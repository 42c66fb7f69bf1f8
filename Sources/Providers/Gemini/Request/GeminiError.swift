/// A Gemini request could not be built, or an answer had nothing to return.
public struct GeminiError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: String, Sendable, Hashable {
        case invalidModel = "invalid model name"
        case invalidBaseURL = "invalid base URL"
        case encodingFailed = "request encoding failed"
        case noText = "no text in the answer"
        case notStreamable = "operation cannot be streamed"
    }

    private let code: Code
    /// Detail (never key material).
    public let detail: String

    private init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    /// The model name is empty or has characters that do not belong in a path.
    public static func invalidModel(_ model: String) -> Self { Self(.invalidModel, "'\(model.prefix(80))'") }
    /// The configured base URL is not an absolute `http(s)` URL without query or credentials.
    public static func invalidBaseURL(_ url: String) -> Self { Self(.invalidBaseURL, "'\(url.prefix(120))'") }
    /// The body could not be encoded (e.g. a NaN temperature).
    public static func encodingFailed(_ detail: String) -> Self { Self(.encodingFailed, String(detail.prefix(200))) }
    /// The answer carried no text (e.g. only a function call, or an empty content with `finishReason`).
    public static func noText(finishReason: FinishReason?) -> Self {
        Self(.noText, finishReason.map { "finishReason \($0.rawValue)" } ?? "")
    }

    /// Only `generateContent` can be streamed.
    public static func notStreamable(_ operation: String) -> Self { Self(.notStreamable, operation) }

    /// A payload-free name, for metric labels and matching.
    public var shortDescription: String { code.rawValue }

    /// Whether two errors are of the same kind, ignoring detail.
    public func isSameKind(as other: GeminiError) -> Bool { code == other.code }

    /// The kind of error, followed by its detail when there is one.
    public var description: String { detail.isEmpty ? code.rawValue : "\(code.rawValue): \(detail)" }
}
