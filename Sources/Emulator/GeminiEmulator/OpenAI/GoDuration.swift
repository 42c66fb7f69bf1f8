/// Durations written the way Go's `time.Duration.String` writes them, which is what OpenAI's
/// `x-ratelimit-reset-*` headers carry: `"0s"`, `"12ms"`, `"1.5s"`, `"6m0s"`, `"1h2m3.5s"`.
///
/// The emulator rounds up to the millisecond first, so a client never reads a reset earlier
/// than the real one.
enum GoDuration {
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || attoseconds > 0 else { return "0s" }
        var milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if attoseconds % 1_000_000_000_000_000 != 0 { milliseconds += 1 }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds / 60_000 % 60
        let secondsText = decimal(milliseconds % 60_000)
        if hours > 0 { return "\(hours)h\(minutes)m\(secondsText)s" }
        if minutes > 0 { return "\(minutes)m\(secondsText)s" }
        return "\(secondsText)s"
    }

    /// Milliseconds as seconds with up to three decimals and no trailing zeros: 1500 → "1.5".
    private static func decimal(_ milliseconds: Int64) -> String {
        let whole = milliseconds / 1000
        let fraction = milliseconds % 1000
        guard fraction != 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }
}
