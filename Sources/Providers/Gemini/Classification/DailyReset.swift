import Foundation
import GatewayCore

/// Gemini's per-day quotas reset at midnight Pacific time (America/Los_Angeles, with DST).
enum DailyReset {
    /// The Pacific time zone; a fixed UTC−8 if the system has no time-zone database.
    static let timeZone = TimeZone(identifier: "America/Los_Angeles") ?? TimeZone(secondsFromGMT: -8 * 3600)!

    /// The first Pacific midnight strictly after `now`.
    static func next(after now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let startOfDay = calendar.startOfDay(for: now)
        return calendar.date(byAdding: .day, value: 1, to: startOfDay) ?? now.addingTimeInterval(86_400)
    }

    /// The time from `now` to the next Pacific midnight.
    static func duration(after now: Date) -> Duration {
        .secondsClamped(next(after: now).timeIntervalSince(now))
    }
}
