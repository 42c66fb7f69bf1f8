/// OpenAI's rate-limit response headers for a quota status.
enum RateLimitHeaders {
    /// `x-ratelimit-{limit,remaining,reset}-requests` for an rpm, the `-tokens` trio for a tpm,
    /// and `retry-after` (whole seconds, rounded up, at least 1) when `retryAfter` is given (a 429).
    static func fields(_ status: QuotaStatus, retryAfter: Duration? = nil) -> [(String, String)] {
        var fields: [(String, String)] = []
        for (suffix, bucket) in [("requests", status.requests), ("tokens", status.tokens)] {
            guard let bucket else { continue }
            fields += [
                ("x-ratelimit-limit-\(suffix)", String(bucket.limit)),
                ("x-ratelimit-remaining-\(suffix)", String(bucket.remaining)),
                ("x-ratelimit-reset-\(suffix)", GoDuration.format(bucket.reset)),
            ]
        }
        if let retryAfter { fields.append(("retry-after", String(wholeSeconds(retryAfter)))) }
        return fields
    }

    /// Seconds rounded up, at least 1.
    static func wholeSeconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(1, seconds + (attoseconds > 0 ? 1 : 0))
    }
}
