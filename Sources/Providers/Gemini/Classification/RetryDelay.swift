import GatewayCore

/// Parses a protobuf `Duration` as Gemini writes `RetryInfo.retryDelay`: decimal seconds with an
/// `s` suffix (`"26s"`, `"0.5s"`, `"34.074824224s"`), or milliseconds (`"900ms"`).
enum RetryDelay {
    /// The delay, or `nil` for anything else (negative, empty, exponent, other units, garbage).
    static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingWhitespace()
        let number: Substring
        let scale: Double
        if trimmed.hasSuffix("ms") {
            (number, scale) = (trimmed.dropLast(2), 0.001)
        } else if trimmed.hasSuffix("s") {
            (number, scale) = (trimmed.dropLast(), 1)
        } else {
            return nil
        }
        guard isDecimal(number), let value = Double(number) else { return nil }
        return .secondsClamped(value * scale)
    }

    /// `\d+(\.\d+)?`
    private static func isDecimal(_ text: Substring) -> Bool {
        let pieces = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard (1...2).contains(pieces.count), pieces.count == 1 || text.last != "." else { return false }
        return pieces.allSatisfy { !$0.isEmpty && $0.utf8.count <= 30 && $0.utf8.allSatisfy { (48...57).contains($0) } }
    }
}
