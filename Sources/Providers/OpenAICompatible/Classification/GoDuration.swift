import GatewayCore

/// Parses the durations OpenAI-compatible servers write in `x-ratelimit-reset-*` headers and
/// "try again in …" hints: Go's `time.Duration` form, a sequence of `<decimal><unit>` with unit
/// `h`, `m`, `s`, `ms`, `us`/`µs` or `ns` (`"1s"`, `"6m0s"`, `"2m59.56s"`, `"12ms"`, `"114h18m0s"`).
enum GoDuration {
    /// The duration, or `nil` for anything else (negative, empty, unknown units, absurd values).
    static func parse(_ text: String) -> Duration? {
        var scalars = Array(text.trimmingWhitespace().unicodeScalars)[...]
        guard !scalars.isEmpty, scalars.count <= 64 else { return nil }
        var seconds = 0.0
        while !scalars.isEmpty {
            let number = scalars.prefix { ("0"..."9").contains($0) || $0 == "." }
            guard !number.isEmpty, let value = Double(String(String.UnicodeScalarView(number))) else { return nil }
            scalars = scalars.dropFirst(number.count)
            let unitText = String(String.UnicodeScalarView(scalars.prefix { !(("0"..."9").contains($0) || $0 == ".") }))
            scalars = scalars.dropFirst(unitText.unicodeScalars.count)
            let unit: Double
            switch unitText {
            case "h": unit = 3600
            case "m": unit = 60
            case "s": unit = 1
            case "ms": unit = 1e-3
            case "us", "µs", "μs": unit = 1e-6
            case "ns": unit = 1e-9
            default: return nil
            }
            seconds += value * unit
        }
        guard seconds.isFinite, seconds <= 1e9 else { return nil }
        return .secondsClamped(seconds)
    }
}
