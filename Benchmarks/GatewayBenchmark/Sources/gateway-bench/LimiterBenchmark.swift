import BenchSupport
import GatewayCore
import MockTransport

/// Limiter exactness: on virtual time, the most requests admitted in any window never exceeds
/// the rate; on the real clock at 15 per 3 s, how far grants land from the ideal schedule.
enum LimiterBenchmark {
    static func run(_ report: ([String: Any]) -> Void) async throws {
        for (text, burst) in [("15/60s", 1), ("15/3s", 1), ("1000/60s", 1), ("60/60s", 10)] {
            report(try await virtualRun(try RateLimit.parse(text, burst: burst), label: text))
        }
        report(try await realRun())
    }

    /// 50 tasks asking as fast as they can for 60 virtual seconds (plus a penalty in the middle).
    static func virtualRun(_ limit: RateLimit, label: String) async throws -> [String: Any] {
        let clock = ManualClock()
        let limiter = try TokenBucketRateLimiter(limit: limit, clock: GatewayClock(clock))
        let group = QuotaGroup("project")
        let end = clock.now.advanced(by: .seconds(60))
        let grants = Collected<GatewayClock.Instant>()
        try await clock.drive {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for _ in 0..<50 {
                    tasks.addTask {
                        while true {
                            let permit = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
                            guard permit.grantedAt < end else { return }
                            grants.append(permit.grantedAt)
                        }
                    }
                }
                try await tasks.waitForAll()
            }
        }
        let instants = grants.all.sorted()
        // The window a quota counts in: the period for the count, and, with a burst, the burst
        // may come on top once (GCRA's tolerance).
        let most = maxInWindow(instants, window: limit.period)
        let allowed = limit.requests + limit.burst - 1
        let ideal = 60.0 / limit.period.inSeconds * Double(limit.requests) + Double(limit.burst - 1)
        return [
            "benchmark": "limiter, virtual 60 s", "rate": label, "burst": limit.burst, "admitted": instants.count,
            "ideal admitted": ideal, "max in any window": most, "allowed per window": allowed,
            "exceeded": most > allowed,
        ]
    }

    /// 45 grants at 15 per 3 s on the real clock, 5 tasks queueing: deviation from t0 + i·0.2 s.
    static func realRun() async throws -> [String: Any] {
        let clock = GatewayClock.continuous()
        let limiter = try TokenBucketRateLimiter(limit: try RateLimit.parse("15/3s"), clock: clock)
        let grants = Collected<GatewayClock.Instant>()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for _ in 0..<5 {
                tasks.addTask {
                    for _ in 0..<9 {
                        let permit = try await limiter.acquire(.oneRequest, in: QuotaGroup("p"), maxWait: nil)
                        grants.append(clock.now)   // when the task actually resumed
                        _ = permit
                    }
                }
            }
            try await tasks.waitForAll()
        }
        let instants = grants.all.sorted()
        let start = instants[0]
        let deviations = instants.enumerated().map { index, instant in
            abs(start.duration(to: instant).inSeconds - Double(index) * 0.2) * 1000
        }
        return [
            "benchmark": "limiter, real clock", "rate": "15/3s", "grants": instants.count,
            "mean deviation ms": deviations.reduce(0, +) / Double(deviations.count),
            "max deviation ms": deviations.max() ?? 0,
            "max in any 3 s window": maxInWindow(instants, window: .seconds(3)),
        ]
    }

    /// The most instants inside any half-open window `[t, t + window)`.
    static func maxInWindow(_ sorted: [GatewayClock.Instant], window: Duration) -> Int {
        var best = 0, lower = 0
        for upper in sorted.indices {
            while sorted[lower].duration(to: sorted[upper]) >= window { lower += 1 }
            best = max(best, upper - lower + 1)
        }
        return best
    }
}
