/// A prompt with placeholders: `{chunk}` (the chunk's text), `{file}` (the file's name),
/// `{index}` and `{count}` (the chunk's 1-based position and the number of chunks), and for
/// the summary prompt `{answers}` (the chunk answers, numbered). `{{` and `}}` stand for a
/// literal brace.
public struct PromptTemplate: Sendable, Hashable {
    /// The template's text.
    public let text: String

    /// A template of `text` (see ``validate(required:allowed:)``).
    public init(_ text: String) { self.text = text }

    /// The default per-chunk prompt.
    public static let defaultChunk = PromptTemplate(
        "You are reading part {index} of {count} of the file {file}. Summarise its key points in a few sentences.\n\n{chunk}")
    /// The default combining prompt.
    public static let defaultSummary = PromptTemplate(
        "These are summaries of the consecutive parts of the file {file}. Combine them into one short summary.\n\n{answers}")

    /// The placeholders a chunk prompt may use.
    public static let chunkPlaceholders: Set<String> = ["chunk", "file", "index", "count"]
    /// The placeholders a summary prompt may use.
    public static let summaryPlaceholders: Set<String> = ["answers", "file"]

    /// Why a template cannot be used.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, naming the placeholder.
        public let description: String
    }

    /// The placeholders of the template, in order (`{{`/`}}` escapes skipped).
    /// - Throws: ``Problem`` for a `{` that is never closed.
    public func placeholders() throws(Problem) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let afterOpen = rest.index(after: open)
            if afterOpen < rest.endIndex, rest[afterOpen] == "{" {
                rest = rest[rest.index(after: afterOpen)...]
                continue
            }
            guard let close = rest[afterOpen...].firstIndex(where: { $0 == "}" || $0 == "{" }), rest[close] == "}" else {
                let context = String(rest[open...].prefix(20))
                throw Problem(description: "an unclosed '{' at \"\(Printable.escaped(context))\" (write {{ for a literal brace)")
            }
            names.append(String(rest[afterOpen..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Checks that the template uses `required` exactly once and no placeholder outside `allowed`.
    /// - Throws: ``Problem`` naming the missing, repeated or unknown placeholder.
    public func validate(required: String, allowed: Set<String>) throws(Problem) {
        let names = try placeholders()
        if let unknown = names.first(where: { !allowed.contains($0) }) {
            let known = allowed.sorted().map { "{\($0)}" }.joined(separator: ", ")
            throw Problem(description: "unknown placeholder {\(Printable.escaped(unknown))} (known: \(known); write {{ and }} for literal braces)")
        }
        let count = names.count { $0 == required }
        if count == 0 { throw Problem(description: "no {\(required)} placeholder: the prompt would be sent without it") }
        if count > 1 { throw Problem(description: "{\(required)} appears \(count) times; it must appear exactly once") }
    }

    /// Fills the placeholders; unknown names are left as they are (``validate(required:allowed:)``
    /// refuses them first), `{{` and `}}` become single braces. Values are inserted once, so a
    /// chunk that itself contains `{file}` is not expanded again.
    public func render(_ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let brace = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            out += rest[..<brace]
            let next = rest.index(after: brace)
            if next < rest.endIndex, rest[next] == rest[brace] {   // {{ or }}
                out.append(rest[brace])
                rest = rest[rest.index(after: next)...]
            } else if rest[brace] == "{", let close = rest[next...].firstIndex(of: "}"),
                let value = values[String(rest[next..<close])]
            {
                out += value
                rest = rest[rest.index(after: close)...]
            } else {
                out.append(rest[brace])
                rest = rest[next...]
            }
        }
        return out + rest
    }

    /// Whether the template names `placeholder` (e.g. `"chunk"`).
    public func mentions(_ placeholder: String) -> Bool { text.contains("{\(placeholder)}") }
}
