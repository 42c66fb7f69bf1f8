import GatewayCore
import MockTransport
import Synchronization
import Testing

@Suite("Concurrency stress")
struct StressTests {
    @Test("1,000 tasks over 10 keys in 5 projects: no group exceeds its rate in any window, every call ends, no lease leaks")
    func thousandTasks() async throws {
        let clock = ManualClock()
        let mock = MockTransport(clock: clock)
        let limit = RateLimit.perMinute(15)
        let audit = AuditingRateLimiter(try TokenBucketRateLimiter(limit: limit, clock: GatewayClock(clock)))
        let entries = Harness.secrets(10).enumerated().map { index, secret in
            KeySource.Entry(secret: secret, project: "project-\(index / 2)")
        }
        // Deterministic faults: 3% server errors, 2% 429 with a short server delay, the rest succeed.
        mock.setHandler { _, number in
            switch number % 100 {
            case 7, 38, 71: .geminiServerError(503)
            case 19, 88: .geminiRateLimited(retryDelay: "2s")
            default: .geminiText("ok")
            }
        }
        let gateway = try Gateway.builder()
            .keys(.entries(entries))
            .rateLimit(.custom { _ in audit })
            .retryPolicy(ClassifyingRetryPolicy(random: .seeded(42)))
            .transport(mock)
            .provider(TestProvider())
            .clock(clock)
            .build()

        let tasks = 1000, callsPerTask = 2
        let outcomes = try await drive(clock) {
            try await withThrowingTaskGroup(of: (ok: Int, failed: Int).self) { group in
                for index in 0..<tasks {
                    group.addTask {
                        try await gateway.withClient(task: TaskID("task-\(index)")) { client in
                            var ok = 0, failed = 0
                            for call in 0..<callsPerTask {
                                do {
                                    _ = try await client.send(.init("task \(index) call \(call)"))
                                    ok += 1
                                } catch is GatewayError {
                                    failed += 1
                                }
                            }
                            return (ok, failed)
                        }
                    }
                }
                return try await group.reduce(into: (ok: 0, failed: 0)) { $0.ok += $1.ok; $0.failed += $1.failed }
            }
        }

        #expect(outcomes.ok + outcomes.failed == tasks * callsPerTask)
        #expect(outcomes.ok == tasks * callsPerTask)
        #expect(gateway.snapshot().totalLeases == 0)
        let grants = audit.allGrants
        #expect(grants.count == 5)
        var admitted = 0
        for (group, instants) in grants {
            admitted += instants.count
            let most = maxInWindow(instants, window: .seconds(60))
            #expect(most <= 15, "group \(group) admitted \(most) in one minute")
        }
        #expect(admitted == mock.requestCount)
        #expect(mock.requestCount >= tasks * callsPerTask)
        print("stress: \(tasks) tasks × \(callsPerTask) calls over 10 keys / 5 projects: \(mock.requestCount) requests, "
            + "max admitted per group per 60 s window: \(grants.values.map { maxInWindow($0, window: .seconds(60)) }.max() ?? 0) (limit 15), "
            + "virtual time \(clock.now.offset.secondsDouble) s")
    }
}
