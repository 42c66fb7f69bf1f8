#if PostgresSharedState
import GatewayCore
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("Pacing: one GCRA per group on the database's clock, for every process")
    struct PacingTests {
        /// Admission instants of `count` requests from `tasks` concurrent tasks on `limiter`.
        static func admit(_ count: Int, tasks: Int, through limiter: any RateLimiter, in group: QuotaGroup) async throws -> [ContinuousClock.Instant] {
            try await withThrowingTaskGroup(of: [ContinuousClock.Instant].self) { tasksGroup in
                for task in 0..<tasks {
                    tasksGroup.addTask {
                        var times: [ContinuousClock.Instant] = []
                        for _ in stride(from: task, to: count, by: tasks) {
                            _ = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
                            times.append(ContinuousClock.now)
                        }
                        return times
                    }
                }
                return try await tasksGroup.reduce(into: []) { $0 += $1 }
            }
        }

        /// The most admissions within any window of `length` (windows starting at an admission).
        static func busiestWindow(_ times: [ContinuousClock.Instant], length: Duration) -> Int {
            let sorted = times.sorted()
            var most = 0
            for (index, start) in sorted.enumerated() {
                most = max(most, sorted[index...].prefix { $0 < start.advanced(by: length) }.count)
            }
            return most
        }

        @Test("two processes, two tasks each, together keep 10 per second (burst 2) in every window")
        func twoProcessesKeepTheRate() async throws {
            let namespace = TestDatabase.unique("pace")
            let rate = RateLimit(requests: 10, per: .seconds(1), burst: 2)
            let a = try await TestDatabase.connect(namespace: namespace, rate: rate)
            let b = try await TestDatabase.connect(namespace: namespace, rate: rate)
            let group = QuotaGroup("project-p", model: "flash")
            let started = ContinuousClock.now
            async let fromA = Self.admit(15, tasks: 2, through: a.rateLimiter(), in: group)
            async let fromB = Self.admit(15, tasks: 2, through: b.rateLimiter(), in: group)
            let times = try await fromA + fromB
            let elapsed = started.duration(to: ContinuousClock.now)
            // GCRA bound over any window W: burst + W / interval, one more for the local wake-up's
            // jitter (each process alone at the full rate would admit 2 × 22).
            #expect(Self.busiestWindow(times, length: .seconds(2)) <= 2 + 20 + 1)
            // 30 requests at 10/s with a burst of 2 take at least (30 − 2) × 100 ms.
            #expect(elapsed >= .milliseconds(2750))
            await a.shutdown()
            await b.shutdown()
        }

        @Test("a server's retry delay seen by one process holds the group for the other")
        func penaltyIsShared() async throws {
            let namespace = TestDatabase.unique("penalty")
            let a = try await TestDatabase.connect(namespace: namespace)
            let b = try await TestDatabase.connect(namespace: namespace)
            let group = QuotaGroup("project-q")
            let clock = GatewayClock.continuous()
            let limiterA = a.rateLimiter(clock: clock)
            limiterA.penalize(group, until: clock.now.advanced(by: .seconds(1)))
            await a.flush()
            let started = ContinuousClock.now
            _ = try await b.rateLimiter().acquire(.oneRequest, in: group, maxWait: .seconds(5))
            #expect(started.duration(to: ContinuousClock.now) >= .milliseconds(800))
            await #expect(throws: RateLimiterError.self) {
                limiterA.penalize(group, until: clock.now.advanced(by: .seconds(30)))
                await a.flush()
                _ = try await b.rateLimiter().acquire(.oneRequest, in: group, maxWait: .seconds(1))
            }
            await a.shutdown()
            await b.shutdown()
        }

        @Test("a cancelled wait gives its slot back")
        func cancelledWaitRefunds() async throws {
            let namespace = TestDatabase.unique("refund")
            let state = try await TestDatabase.connect(namespace: namespace, rate: RateLimit(requests: 1, per: .seconds(2)))
            let limiter = state.rateLimiter()
            let group = QuotaGroup("project-r")
            _ = try await limiter.acquire(.oneRequest, in: group, maxWait: nil)
            let waiting = Task { try await limiter.acquire(.oneRequest, in: group, maxWait: nil) }
            try await Task.sleep(for: .milliseconds(200))
            waiting.cancel()
            await #expect(throws: CancellationError.self) { _ = try await waiting.value }
            await state.flush()
            // The slot at +2 s is free again: the next request gets it, not the one at +4 s.
            let started = ContinuousClock.now
            _ = try await limiter.acquire(.oneRequest, in: group, maxWait: .seconds(3))
            #expect(started.duration(to: ContinuousClock.now) < .milliseconds(2500))
            await state.shutdown()
        }
    }
}
#endif
