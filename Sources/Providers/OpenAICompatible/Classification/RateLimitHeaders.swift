import Foundation
import GatewayCore
import HTTPTypes

/// What an answer's headers say about limits and waiting.
enum RateLimitHeaders {
    /// The server's wait before retrying: `retry-after-ms` (milliseconds), else `retry-after`
    /// (seconds, fractional accepted, or an HTTP date). Non-positive or absurd values count as none.
    static func retryAfter(in fields: HTTPFields, now: Date) -> Duration? {
        if let text = fields[HTTPField.Name("retry-after-ms")!], let ms = Double(text.trimmingWhitespace()), ms.isFinite, ms > 0 {
            return .secondsClamped(min(ms / 1000, 1e7))
        }
        guard let text = fields[HTTPField.Name("retry-after")!]?.trimmingWhitespace(), !text.isEmpty else { return nil }
        if let seconds = Double(text) {
            return seconds.isFinite && seconds > 0 ? .secondsClamped(min(seconds, 1e7)) : nil
        }
        guard let date = httpDate.date(from: text) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return seconds > 0 ? .secondsClamped(min(seconds, 1e7)) : nil
    }

    /// `x-ratelimit-*`, or `nil` when none is present.
    static func limits(in fields: HTTPFields, window: Duration) -> ServerRateLimits? {
        func integer(_ name: String) -> Int? { fields[HTTPField.Name(name)!].flatMap { Int($0.trimmingWhitespace()) } }
        func duration(_ name: String) -> Duration? { fields[HTTPField.Name(name)!].flatMap(GoDuration.parse) }
        let limits = ServerRateLimits(
            requestLimit: integer("x-ratelimit-limit-requests"),
            requestsRemaining: integer("x-ratelimit-remaining-requests"),
            requestsReset: duration("x-ratelimit-reset-requests"),
            tokenLimit: integer("x-ratelimit-limit-tokens"),
            tokensRemaining: integer("x-ratelimit-remaining-tokens"),
            tokensReset: duration("x-ratelimit-reset-tokens"),
            window: window)
        return limits.isEmpty ? nil : limits
    }

    private static let httpDate: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter
    }()
}
