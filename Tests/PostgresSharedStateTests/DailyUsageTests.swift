#if PostgresSharedState
import GatewayCore
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("Daily usage: requests per group per day survive a restart")
    struct DailyUsageTests {
        @Test("a new instance the same day knows what is spent and refuses past the daily limit")
        func usageSurvivesRestart() async throws {
            let namespace = TestDatabase.unique("daily")
            let rate = RateLimit(requests: 600, per: .seconds(60), burst: 5, requestsPerDay: 3)
            let group = QuotaGroup("project-d", model: "pro")
            let first = try await TestDatabase.connect(namespace: namespace, rate: rate)
            let limiter = first.rateLimiter()
            for _ in 0..<3 { _ = try await limiter.acquire(.oneRequest, in: group, maxWait: .seconds(1)) }
            await first.shutdown()

            let restarted = try await TestDatabase.connect(namespace: namespace, rate: rate)
            #expect(try await restarted.requestsToday(in: group) == 3)
            #expect(try await restarted.requestsToday(in: QuotaGroup("project-d", model: "flash")) == 0)
            await #expect(throws: RateLimiterError.self) {
                _ = try await restarted.rateLimiter().acquire(.oneRequest, in: group, maxWait: .seconds(5))
            }
            await restarted.shutdown()
        }
    }

    @Suite("No key text in the database")
    struct NoKeyTextTests {
        @Test("after leases, verdicts, penalties, pacing and a learned group, no table holds a key or 8 characters of one")
        func noKeyText() async throws {
            let namespace = TestDatabase.unique("secrets")
            let state = try await TestDatabase.connect(namespace: namespace)
            let keys = TestDatabase.keys(4, projects: ["p", "p", nil, nil])
            let provider = state.keyProvider(for: keys, learning: SharedQuotaLearning())
            let limiter = state.rateLimiter()
            let now = GatewayClock.Instant(offset: .zero)
            for task in 0..<3 {
                if case .use(let key) = try await provider.lease(for: TaskID("t\(task)"), excluding: [], model: nil, at: now) {
                    _ = try await limiter.acquire(.oneRequest, in: provider.quotaGroup(of: key), maxWait: nil)
                }
            }
            provider.report(.failure(.invalidKey), verdict: .disable(reach: .key, reason: "invalid"), for: KeyID(2), at: now)
            provider.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(60), reach: .quotaGroup, reason: "429"), for: KeyID(0), at: now)
            limiter.penalize(QuotaGroup("p"), until: GatewayClock.continuous().now.advanced(by: .seconds(5)))
            LearnedGroupTests.teach(provider, 2, 3)
            await state.flush()
            let learned = try await TestDatabase.texts(state, """
                SELECT learned_group FROM llmgateway_key WHERE namespace = '\(namespace)' AND learned_group IS NOT NULL
                """)
            #expect(learned.count == 2)

            let columns = try await TestDatabase.texts(state, """
                SELECT table_name || '.' || column_name FROM information_schema.columns
                WHERE table_name LIKE 'llmgateway\\_%' ORDER BY 1
                """).compactMap { $0 }
            #expect(columns.count >= 30)
            var everything = ""
            for column in columns {
                let parts = column.split(separator: ".")
                let values = try await TestDatabase.texts(state, "SELECT \"\(parts[1])\"::text FROM \"\(parts[0])\"")
                everything += values.compactMap { $0 }.joined(separator: "\n") + "\n"
            }
            #expect(everything.contains(keys[0].sharedStateFingerprint))
            for key in keys {
                let secret = Array(key.revealSecret())
                for start in 0...(secret.count - 8) {
                    let piece = String(secret[start..<start + 8])
                    #expect(!everything.contains(piece), "a column holds \(piece.prefix(3))… of \(key.label)")
                }
            }
            await state.shutdown()
        }
    }
}
#endif
