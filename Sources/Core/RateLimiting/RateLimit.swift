/// A quota for one quota group: requests per period with a burst, plus optional tokens per
/// minute and requests per day.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
    /// Requests admitted per ``period``.
    public var requests: Int
    /// The period the request count refers to (60 s for "per minute").
    public var period: Duration
    /// Requests that may go back to back after a quiet spell. `1` spaces every request evenly
    /// (4 s apart at 15 per minute), as the original design did.
    public var burst: Int
    /// Input+output tokens per minute, if limited.
    public var tokensPerMinute: Int?
    /// Requests per day, if limited; the day resets every 24 h from ``firstDailyReset``.
    public var requestsPerDay: Int?
    /// How long after the limiter starts the first daily reset happens (default 24 h).
    public var firstDailyReset: Duration?

    /// `requests` per `period`, with a burst and optional token and daily limits.
    public init(
        requests: Int, per period: Duration, burst: Int = 1,
        tokensPerMinute: Int? = nil, requestsPerDay: Int? = nil, firstDailyReset: Duration? = nil
    ) {
        self.requests = requests
        self.period = period
        self.burst = burst
        self.tokensPerMinute = tokensPerMinute
        self.requestsPerDay = requestsPerDay
        self.firstDailyReset = firstDailyReset
    }

    /// `n` requests per minute.
    public static func perMinute(_ requests: Int, burst: Int = 1) -> RateLimit {
        RateLimit(requests: requests, per: .seconds(60), burst: burst)
    }

    /// The Gemini free tier's 15 requests per minute, evenly spaced.
    public static let geminiFreeTier = RateLimit.perMinute(15)

    /// The nominal spacing between requests (`period / requests`).
    public var emissionInterval: Duration { period / requests }

    /// Parses `15/60s`, `15/min`, `1000/60s`, `15/3s`, `2/500ms`, `100/h`, `10/day`.
    /// - Throws: ``ConfigurationError/invalidRate(_:)`` for anything else (zero, negative, NaN, garbage).
    public static func parse(_ text: String, burst: Int = 1) throws(ConfigurationError) -> RateLimit {
        let parts = text.split(separator: "/", maxSplits: 1).map { String($0).trimmingWhitespace() }
        guard parts.count == 2, let count = Int(parts[0]) else {
            throw .invalidRate("'\(text)' is not of the form <requests>/<period>, e.g. 15/60s")
        }
        let unitStart = parts[1].firstIndex { !($0.isNumber || $0 == ".") } ?? parts[1].endIndex
        let numberText = parts[1][..<unitStart]
        let unit = parts[1][unitStart...].lowercased()
        let amount = numberText.isEmpty ? 1 : Double(numberText)
        let unitSeconds: Double? = switch unit {
        case "ms": 0.001
        case "s", "sec", "secs", "second", "seconds": 1
        case "m", "min", "mins", "minute", "minutes": 60
        case "h", "hour", "hours": 3600
        case "d", "day", "days": 86_400
        default: nil
        }
        guard let amount, let unitSeconds, amount.isFinite, amount > 0 else {
            throw .invalidRate("'\(text)' has no valid period (use ms, s, min, h or day)")
        }
        let limit = RateLimit(requests: count, per: .secondsClamped(amount * unitSeconds), burst: burst)
        try limit.validate()
        return limit
    }

    /// The same limit paced `fraction` below the server's rate (the period stretched by
    /// 1 / (1 − fraction)), so that the jitter of real networks never lands a request inside a
    /// strict server window early. `0.02` keeps 98 % of the rate; fractions outside 0..<0.5 are
    /// clamped into it.
    public func withHeadroom(_ fraction: Double) -> RateLimit {
        let fraction = fraction.isFinite ? min(max(fraction, 0), 0.5) : 0
        guard fraction > 0 else { return self }
        var copy = self
        copy.period = .secondsClamped(period.secondsDouble / (1 - fraction))
        return copy
    }

    /// Rejects zero or negative counts, periods and bursts.
    public func validate() throws(ConfigurationError) {
        guard requests > 0 else { throw .invalidRate("requests must be positive (got \(requests))") }
        guard period > .zero else { throw .invalidRate("the period must be longer than zero") }
        guard burst >= 1 else { throw .invalidRate("burst must be at least 1 (got \(burst))") }
        if let tokensPerMinute, tokensPerMinute <= 0 {
            throw .invalidRate("tokensPerMinute must be positive (got \(tokensPerMinute))")
        }
        if let requestsPerDay, requestsPerDay <= 0 {
            throw .invalidRate("requestsPerDay must be positive (got \(requestsPerDay))")
        }
        if let firstDailyReset, firstDailyReset <= .zero {
            throw .invalidRate("firstDailyReset must be in the future")
        }
    }

    /// The rate, burst, and token and daily limits where set, in one line.
    public var description: String {
        var text = "\(requests)/\(period.formattedSeconds) burst \(burst)"
        if let tokensPerMinute { text += ", \(tokensPerMinute) tokens/min" }
        if let requestsPerDay { text += ", \(requestsPerDay)/day" }
        return text
    }
}
