/// A prompt with placeholders: `{chunk}` (the chunk's text), `{file}` (the file's name),
/// `{index}` and `{count}` (the chunk's 1-based position and the number of chunks), and for
/// the summary prompt `{answers}` (the chunk answers, numbered).
public struct PromptTemplate: Sendable, Hashable {
    public let text: String

    public init(_ text: String) { self.text = text }

    /// The default per-chunk prompt.
    public static let defaultChunk = PromptTemplate(
        "You are reading part {index} of {count} of the file {file}. Summarise its key points in a few sentences.\n\n{chunk}")
    /// The default combining prompt.
    public static let defaultSummary = PromptTemplate(
        "These are summaries of the consecutive parts of the file {file}. Combine them into one short summary.\n\n{answers}")

    /// Fills the placeholders; unknown braces are left as they are. Values are inserted once,
    /// so a chunk that itself contains `{file}` is not expanded again.
    public func render(_ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = values[String(rest[afterOpen..<close])] {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out.append("{")
                rest = rest[afterOpen...]
            }
        }
        return out + rest
    }

    /// Whether the template names `placeholder` (e.g. `"chunk"`).
    public func mentions(_ placeholder: String) -> Bool { text.contains("{\(placeholder)}") }
}
