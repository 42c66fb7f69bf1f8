#if PostgresSharedState
import GatewayCore
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("Learned quota groups: what one process learns from 429s, every process paces by")
    struct LearnedGroupTests {
        static let start = GatewayClock.Instant(offset: .zero)

        /// A 429 for a quota of 15 requests a minute.
        static let limited = Failure.Kind.rateLimited(RateLimitDetails(
            retryAfter: .seconds(5), window: .perMinute, quotaID: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier", requestLimit: 15))

        /// The evidence that `first` and `second` share a 15-a-minute quota: 8 answers each, then
        /// both refused (what ``KeyBook`` needs to merge them).
        static func teach(_ provider: any KeyProvider, _ first: Int, _ second: Int) {
            for key in [first, second] {
                for _ in 0..<8 { provider.report(.success, verdict: .notAtFault, for: KeyID(key), at: start) }
            }
            provider.report(.failure(limited), verdict: .notAtFault, for: KeyID(first), at: start)
            provider.report(.failure(limited), verdict: .notAtFault, for: KeyID(second), at: start.advanced(by: .seconds(1)))
        }

        /// One lease and release: the provider reads the database.
        static func look(_ provider: any KeyProvider, _ task: TaskID = "look") async throws {
            _ = try await provider.lease(for: task, excluding: [], model: nil, at: start)
            await provider.release(task: task)
        }

        /// Each key's learned group in the database, by label.
        static func stored(_ state: PostgresSharedState, _ namespace: String) async throws -> [String?] {
            try await TestDatabase.texts(state, """
                SELECT learned_group FROM llmgateway_key WHERE namespace = '\(namespace)' ORDER BY label
                """)
        }

        @Test("a merge learned in one process is adopted by another, under one name; one bucket on the server paces both keys")
        func learnedEverywhere() async throws {
            let namespace = TestDatabase.unique("learned")
            let rate = RateLimit(requests: 5, per: .seconds(1), burst: 1)
            let a = try await TestDatabase.connect(namespace: namespace, rate: rate)
            let b = try await TestDatabase.connect(namespace: namespace, rate: rate)
            let keys = TestDatabase.keys(3, projects: [nil, nil, "p"])
            let inA = a.keyProvider(for: keys, learning: SharedQuotaLearning())
            let inB = b.keyProvider(for: keys)   // B learns nothing by itself: it adopts
            try await Self.look(inA)
            try await Self.look(inB)
            Self.teach(inA, 0, 1)
            let learned = inA.quotaGroup(of: keys[0])
            #expect(learned == inA.quotaGroup(of: keys[1]))
            #expect(learned.name.hasPrefix("shared quota "), "named after the fingerprints, not this process's labels: \(learned)")
            #expect(inB.quotaGroup(of: keys[0]) == keys[0].quotaGroup, "not before B reads the database")
            await a.flush()
            #expect(try await Self.stored(a, namespace) == [learned.name, learned.name, nil])

            try await Self.look(inB)
            #expect(inB.quotaGroup(of: keys[0]) == learned)
            #expect(inB.quotaGroup(of: keys[1]) == learned)
            #expect(inB.quotaGroup(of: keys[2]) == QuotaGroup("p"))
            let snapshot = inB.snapshot(at: Self.start)
            #expect(snapshot.keys.map(\.quotaGroup) == [learned, learned, QuotaGroup("p")])
            #expect(snapshot.sharedQuotaNotes == [
                "keys #1 and #2 appear to share one project's quota; declare their project to pace them together from the start",
            ])

            // 4 requests on key 1 from A and 4 on key 2 from B, at 5 a second (burst 1): one bucket
            // spaces all 8 at 200 ms (≥ 1.4 s); a bucket per process would take 0.6 s.
            let model = "flash"
            let fromA = a.rateLimiter(), fromB = b.rateLimiter()
            let started = ContinuousClock.now
            async let timesA = PacingTests.admit(4, tasks: 1, through: fromA, in: inA.quotaGroup(of: keys[0]).forModel(model))
            async let timesB = PacingTests.admit(4, tasks: 1, through: fromB, in: inB.quotaGroup(of: keys[1]).forModel(model))
            let times = try await timesA + timesB
            #expect(started.duration(to: ContinuousClock.now) >= .milliseconds(1350))
            #expect(PacingTests.busiestWindow(times, length: .seconds(1)) <= 5 + 2)
            #expect(try await a.requestsToday(in: learned.forModel(model)) == 8)
            await a.shutdown()
            await b.shutdown()
        }

        @Test("a project declared in a process is never overridden by a group learned elsewhere; adopting twice is harmless")
        func declaredAndIdempotent() async throws {
            let namespace = TestDatabase.unique("learned-declared")
            let a = try await TestDatabase.connect(namespace: namespace)
            let c = try await TestDatabase.connect(namespace: namespace)
            let keys = TestDatabase.keys(3)
            let inA = a.keyProvider(for: keys, learning: SharedQuotaLearning())
            try await Self.look(inA)
            Self.teach(inA, 0, 1)
            await a.flush()
            let learned = inA.quotaGroup(of: keys[0])
            let before = try await TestDatabase.texts(a, """
                SELECT key_fp || ' ' || learned_group || ' ' || learned_at::text FROM llmgateway_key
                WHERE namespace = '\(namespace)' AND learned_group IS NOT NULL ORDER BY key_fp
                """)
            #expect(before.count == 2)

            // C declares key 2's project: the learned group does not take it, nor key 1 alone.
            let declared = TestDatabase.keys(3, projects: [nil, "q", nil])
            let inC = c.keyProvider(for: declared, learning: SharedQuotaLearning())
            try await Self.look(inC)
            #expect(inC.quotaGroup(of: declared[1]) == QuotaGroup("q"))
            #expect(inC.quotaGroup(of: declared[0]) == declared[0].quotaGroup)
            #expect(inC.snapshot(at: Self.start).sharedQuotaNotes.isEmpty)

            // Reading it again, in either process, and writing it again, changes nothing.
            try await Self.look(inA, "again")
            try await Self.look(inC, "again")
            Self.teach(inA, 0, 1)
            await a.flush()
            let fingerprints = keys.prefix(2).map { "'\($0.sharedStateFingerprint)'" }.joined(separator: ",")
            let again = try await TestDatabase.texts(a, """
                SELECT group_name FROM llmgateway_learn('\(namespace)', ARRAY[\(fingerprints)], 'another name')
                """)
            #expect(again == [learned.name, learned.name], "a group keeps its first name")
            #expect(inA.quotaGroup(of: keys[1]) == learned)
            #expect(inA.snapshot(at: Self.start).sharedQuotaNotes.count == 1)
            let after = try await TestDatabase.texts(a, """
                SELECT key_fp || ' ' || learned_group || ' ' || learned_at::text FROM llmgateway_key
                WHERE namespace = '\(namespace)' AND learned_group IS NOT NULL ORDER BY key_fp
                """)
            #expect(after == before)
            await a.shutdown()
            await c.shutdown()
        }

        @Test("two processes learning overlapping pairs end with one group of three, named alike")
        func overlappingMerges() async throws {
            let namespace = TestDatabase.unique("learned-overlap")
            let a = try await TestDatabase.connect(namespace: namespace)
            let b = try await TestDatabase.connect(namespace: namespace)
            let keys = TestDatabase.keys(4)
            let inA = a.keyProvider(for: keys, learning: SharedQuotaLearning())
            let inB = b.keyProvider(for: keys, learning: SharedQuotaLearning())
            try await Self.look(inA)
            try await Self.look(inB)
            Self.teach(inA, 0, 1)
            Self.teach(inB, 1, 2)
            #expect(inA.quotaGroup(of: keys[0]) != inB.quotaGroup(of: keys[1]), "learned apart, named apart")
            await a.flush()
            await b.flush()
            try await Self.look(inA)
            try await Self.look(inB)
            let group = inA.quotaGroup(of: keys[0])
            for key in keys.prefix(3) {
                #expect(inA.quotaGroup(of: key) == group)
                #expect(inB.quotaGroup(of: key) == group)
            }
            #expect(inA.quotaGroup(of: keys[3]) == keys[3].quotaGroup)
            let stored = try await Self.stored(a, namespace)
            #expect(stored == [group.name, group.name, group.name, nil])
            await a.shutdown()
            await b.shutdown()
        }
    }
}
#endif
