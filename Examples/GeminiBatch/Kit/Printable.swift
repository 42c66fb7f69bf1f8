/// Text from outside (file names, server messages) made safe to print on one line of a
/// terminal or a log: control characters (C0, DEL, C1, and the bidirectional overrides that
/// reorder a line) are written as `\u{1B}`-style escapes, a backslash as `\\` only when an
/// escape could otherwise be forged. Ordinary text, accents and emoji pass unchanged.
public enum Printable {
    /// `text` with every control character escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A path, escaped (a folder's name is as hostile as a file's).
    public static func path(_ path: String) -> String { escaped(path) }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true   // bidi marks and overrides
        case 0x2028, 0x2029: true   // line and paragraph separators
        default: false
        }
    }
}
