/// Guards the JSON decoder against bodies nested deeply enough to exhaust the stack.
enum JSONDepth {
    /// Gemini answers nest about ten levels; function-call arguments add what the model writes.
    static let limit = 128

    /// Whether `bytes` nest arrays and objects at most `limit` deep (strings are skipped, escapes
    /// honoured). Linear, allocation-free, and it stops at the first level too deep.
    static func isWithinLimit(_ bytes: [UInt8], limit: Int = limit) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
        return true
    }
}
