import Foundation

/// Short, key-free excerpts of server text for `Failure` messages.
enum BodySnippet {
    /// How much of a body is looked at for a snippet; the rest is never scanned.
    private static let scanLimit = 16 * 1024

    /// A snippet of a body that is not a JSON envelope (an HTML error page, plain text, bytes):
    /// tags and `<style>`/`<script>` blocks removed, whitespace collapsed, at most `limit` characters.
    static func ofBody(_ bytes: [UInt8], limit: Int = 120) -> String {
        let text = String(decoding: bytes.prefix(scanLimit), as: UTF8.self)
        return clip(scrub(stripTags(text)), limit)
    }

    /// A server message, whitespace collapsed, echoed keys masked, at most `limit` characters.
    static func ofMessage(_ message: String, limit: Int = 300) -> String {
        clip(scrub(String(message.prefix(scanLimit))), limit)
    }

    /// Drops `<…>` tags and the contents of `<style>`, `<script>` and `<head>`-level noise.
    private static func stripTags(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "<") {
            out += rest[..<open]
            let tagAndAfter = rest[open...]
            guard let close = tagAndAfter.firstIndex(of: ">") else { return out }
            let tag = tagAndAfter[tagAndAfter.index(after: open)..<close].lowercased()
            rest = tagAndAfter[tagAndAfter.index(after: close)...]
            for block in ["style", "script"] where tag == block || tag.hasPrefix(block + " ") {
                if let end = rest.range(of: "</\(block)", options: .caseInsensitive) {
                    rest = rest[end.upperBound...]
                    if let gt = rest.firstIndex(of: ">") { rest = rest[rest.index(after: gt)...] }
                } else {
                    rest = ""
                }
            }
            out += " "
        }
        return out + rest
    }

    /// Collapses whitespace and masks `api_key:<secret>` echoes (the suspended-key message names
    /// the key; the gateway redacts too, this keeps other keys' text out as well).
    private static func scrub(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        return words.map { word -> String in
            guard let range = word.range(of: "api_key:") else { return String(word) }
            let tail = word[range.upperBound...].drop { $0 != "'" && $0 != "\"" && $0 != "," }
            return word[..<range.upperBound] + "…" + tail
        }.joined(separator: " ")
    }

    private static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
