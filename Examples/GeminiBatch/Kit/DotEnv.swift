/// A `.env` file as people write them: `KEY=value`, `export KEY=value`, spaces around `=`,
/// blank lines and `# comments`, a ` # comment` after an unquoted value, values in double
/// quotes (with `\n`, `\t`, `\"` and `\\` escapes) or single quotes (taken literally). A line
/// that is none of these is an error naming its line number; nothing is dropped silently.
public enum DotEnv {
    /// A line that cannot be parsed.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The 1-based line number.
        public let line: Int
        /// What is wrong with it.
        public let reason: String
        /// `line 3: …`.
        public var description: String { "line \(line): \(reason)" }
    }

    /// The variables of `text`, in order; a name given twice keeps its last value.
    /// - Throws: ``ParseError`` for the first line that cannot be parsed.
    public static func parse(_ text: String) throws(ParseError) -> [(name: String, value: String)] {
        var entries: [(name: String, value: String)] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.first?.hasPrefix("\u{FEFF}") == true { lines[0] = lines[0].dropFirst() }
        for (offset, rawLine) in lines.enumerated() {
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            do {
                entries.append(try entry(trimmed))
            } catch {
                throw ParseError(line: offset + 1, reason: error.reason)
            }
        }
        return entries
    }

    private struct LineError: Error { let reason: String }

    private static func entry(_ line: Substring) throws(LineError) -> (name: String, value: String) {
        var rest = line
        if rest.hasPrefix("export "), rest.dropFirst("export ".count).contains("=") {
            rest = rest.dropFirst("export ".count).drop { $0 == " " || $0 == "\t" }
        }
        guard let equals = rest.firstIndex(of: "=") else {
            throw LineError(reason: "no '=' (expected NAME=value; the line is not shown, it may hold a key)")
        }
        let name = String(rest[..<equals].trimmingSpaces())
        guard let first = name.first, first == "_" || (first.isASCII && first.isLetter),
            name.allSatisfy({ $0 == "_" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
        else {
            // The text is not echoed: a misplaced key could be in it.
            throw LineError(reason: "the text before '=' is not a variable name (letters, digits and _, not starting with a digit)")
        }
        let valueText = rest[rest.index(after: equals)...].drop { $0 == " " || $0 == "\t" }
        return (name, try value(valueText))
    }

    private static func value(_ text: Substring) throws(LineError) -> String {
        guard let quote = text.first, quote == "\"" || quote == "'" else {
            // Unquoted: a '#' after a space starts a comment; a '#' inside a word is kept.
            var value = ""
            var previous: Character = " "
            for character in text {
                if character == "#" && (previous == " " || previous == "\t") { break }
                value.append(character)
                previous = character
            }
            return String(Substring(value).trimmingSpaces())
        }
        var value = ""
        var index = text.index(after: text.startIndex)
        var closed = false
        while index < text.endIndex {
            let character = text[index]
            if character == quote {
                closed = true
                index = text.index(after: index)
                break
            }
            if quote == "\"" && character == "\\" {
                let next = text.index(after: index)
                guard next < text.endIndex else { break }
                switch text[next] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "r": value.append("\r")
                default: value.append(text[next])
                }
                index = text.index(after: next)
                continue
            }
            value.append(character)
            index = text.index(after: index)
        }
        guard closed else { throw LineError(reason: "the value's \(quote == "\"" ? "double" : "single") quote is never closed") }
        let after = text[index...].trimmingSpaces()
        guard after.isEmpty || after.first == "#" else {
            throw LineError(reason: "unexpected text after the closing quote")
        }
        return value
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var trimmed = drop { $0 == " " || $0 == "\t" }
        while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
