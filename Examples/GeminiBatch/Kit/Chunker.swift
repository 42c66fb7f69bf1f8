import Foundation

/// Splits a text into chunks of at most `maxCharacters` characters, cutting at the last
/// paragraph break, else line break, else sentence end, else space within the limit; a run with
/// none of those is cut hard. No character is lost or repeated: the chunks join back to the text.
public struct Chunker: Sendable {
    /// The most characters a chunk holds.
    public let maxCharacters: Int

    /// - Precondition: `maxCharacters` ≥ 1 (the CLI validates it).
    public init(maxCharacters: Int) {
        self.maxCharacters = max(1, maxCharacters)
    }

    /// The chunks of `text`, whitespace-only ones left out.
    public func chunks(of text: String) -> [String] {
        var chunks: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            guard let limit = rest.index(rest.startIndex, offsetBy: maxCharacters, limitedBy: rest.endIndex),
                limit < rest.endIndex
            else {
                chunks.append(String(rest))
                break
            }
            let window = rest[rest.startIndex..<limit]
            let cut = Self.cutPoint(in: window) ?? limit
            chunks.append(String(rest[rest.startIndex..<cut]))
            rest = rest[cut...]
        }
        return chunks.filter { !$0.allSatisfy(\.isWhitespace) }
    }

    /// The end of the last paragraph, line, sentence or word in `window` (past its separator),
    /// if it leaves at least half the window in the chunk.
    private static func cutPoint(in window: Substring) -> Substring.Index? {
        let minimum = window.index(window.startIndex, offsetBy: window.count / 2)
        let separators: [(Substring) -> Substring.Index?] = [
            { $0.range(of: "\n\n", options: .backwards)?.upperBound },
            { $0.lastIndex(of: "\n").map($0.index(after:)) },
            { w in [". ", "! ", "? "].compactMap { w.range(of: $0, options: .backwards)?.upperBound }.max() },
            { $0.lastIndex(of: " ").map($0.index(after:)) },
        ]
        for find in separators {
            if let cut = find(window), cut > minimum { return cut }
        }
        return nil
    }
}
