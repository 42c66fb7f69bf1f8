import GatewayCore
import MockTransport
import Testing

/// Gateway totals and per-call reports, for run summaries.
@Suite("Statistics and call reports")
struct StatisticsTests {
    @Test("totals count calls, attempts, same-key retries, rotations and 429s")
    func totals() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.enqueue(.geminiRateLimited(retryDelay: "1s"), when: .key(h.secret(1)))
        h.mock.setDefault(.geminiInvalidKey, when: .key(h.secret(1)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        try await h.run {
            try await gateway.withClient(task: "t") { client in
                _ = try await client.send(.init("a"))   // 429 → retry → invalid → rotate → ok
                _ = try await client.send(.init("b"))   // ok on the second key
            }
        }
        let stats = gateway.statistics()
        #expect(stats.callsSucceeded == 2 && stats.callsFailed == 0)
        #expect(stats.attempts == 4)
        #expect(stats.retries == 1)
        #expect(stats.rotations == 1)
        #expect(stats.rateLimited == 1)
    }

    @Test("a failed call counts as failed")
    func failedCall() async throws {
        let h = try Harness(keyCount: 1)
        h.mock.setDefault(.geminiInvalidKey)
        let gateway = h.gateway
        await #expect(throws: GatewayError.self) {
            try await h.run { try await gateway.withClient(task: "t") { try await $0.send(.init("a")) } }
        }
        #expect(gateway.statistics().callsFailed == 1)
    }

    @Test("sendReporting tells the attempts and the answering key, masked")
    func report() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.geminiInvalidKey, when: .key(h.secret(1)))
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        let report = try await h.run {
            try await gateway.withClient(task: "t") { try await $0.sendReporting(.init("a")).report }
        }
        #expect(report.attempts == 2)
        #expect(report.failedAttempts.map(\.keyLabel) == ["#1"])
        #expect(report.keyLabel == "#2")
        #expect(report.maskedKey == gateway.keys[1].masked)
        #expect(!report.maskedKey.contains(h.secret(2)))
    }
}

@Suite("Rate headroom")
struct HeadroomTests {
    @Test("headroom stretches the period, keeps the count, and clamps nonsense")
    func headroom() throws {
        let limit = try RateLimit.parse("15/3s")
        #expect(abs(limit.withHeadroom(0.02).period.secondsDouble - 3 / 0.98) < 1e-6)
        #expect(limit.withHeadroom(0.02).requests == 15)
        #expect(limit.withHeadroom(0) == limit)
        #expect(limit.withHeadroom(-1) == limit)
        #expect(limit.withHeadroom(.nan) == limit)
        #expect(limit.withHeadroom(0.9).period == .seconds(6))
    }
}
