import Foundation
import GeminiProvider
import Testing

/// Per-day quotas reset at midnight America/Los_Angeles, DST included.
@Suite("Daily reset")
struct DailyResetTests {
    /// (now, seconds to the next reset); typed up front so the `@Test` expansion stays cheap to type-check.
    static let cases: [(Date, Double)] = [
        (Instants.juneMorning, 14.0 * 3600),
        (Instants.springForward, 22.0 * 3600),
        (Instants.beforeSpringForward, 3600.0),
        (Instants.fallBack, 24.5 * 3600),
        (Instants.midnight, 24.0 * 3600),
        (Instants.halfSecondToMidnight, 0.5),
    ]

    @Test("the next reset is the next Pacific midnight", arguments: cases)
    func nextReset(now: Date, seconds: Double) {
        #expect(GeminiProvider.nextDailyReset(after: now).timeIntervalSince(now) == seconds)
    }

    @Test("the reset is a midnight on the Pacific wall clock")
    func wallClock() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "America/Los_Angeles"))
        for now in [Instants.juneMorning, Instants.springForward, Instants.fallBack, Instants.midnight] {
            let reset = GeminiProvider.nextDailyReset(after: now)
            let parts = calendar.dateComponents([.hour, .minute, .second], from: reset)
            #expect(parts.hour == 0 && parts.minute == 0 && parts.second == 0)
            #expect(reset > now)
        }
    }
}
