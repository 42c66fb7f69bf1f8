/// Lines fitted to a terminal: their width counted in columns (wide East Asian characters and
/// emoji take two, combining marks none) and cut with `…` to fit, so no line ever wraps and a
/// redraw that moves up by its line count lands where the frame began.
public enum TerminalText {
    /// The columns `text` takes on a terminal (an estimate of wcwidth, without the C locale).
    public static func columns(_ text: String) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// `line` cut to at most `width` columns, ending in `…` when it was cut.
    public static func fit(_ line: String, width: Int) -> String {
        guard width > 0 else { return "" }
        if columns(line) <= width { return line }
        var out = ""
        var used = 0
        for character in line {
            let size = columns(of: character)
            if used + size > width - 1 { break }
            out.append(character)
            used += size
        }
        return out + "…"
    }

    private static func columns(of character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark { return 0 }
        if character.unicodeScalars.count > 1, character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return first.properties.isEmojiPresentation ? 2 : 1
        }
    }
}
