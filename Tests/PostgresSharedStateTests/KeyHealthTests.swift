#if PostgresSharedState
import Foundation
import GatewayCore
@testable import PostgresSharedState
import Testing

extension PostgresSuites {
    @Suite("Key health: what one process learns, every process knows")
    struct KeyHealthTests {
        static let start = GatewayClock.Instant(offset: .zero)

        /// The keys `tasks` fresh tasks lease from `provider`.
        static func leased(_ provider: any KeyProvider, tasks: Int, prefix: String, model: String? = nil) async throws -> [KeyID] {
            var keys: [KeyID] = []
            for index in 0..<tasks {
                if case .use(let key) = try await provider.lease(for: TaskID("\(prefix)-\(index)"), excluding: [], model: model, at: start) {
                    keys.append(key.id)
                }
            }
            return keys
        }

        @Test("a key disabled in one process is never leased by another")
        func disabledEverywhere() async throws {
            let namespace = TestDatabase.unique("disable")
            let a = try await TestDatabase.connect(namespace: namespace)
            let b = try await TestDatabase.connect(namespace: namespace)
            let keys = TestDatabase.keys(3)
            let inA = a.keyProvider(for: keys)
            let inB = b.keyProvider(for: keys)
            _ = try await inB.lease(for: "warm-up", excluding: [], model: nil, at: Self.start)  // B registered and running
            await inB.release(task: "warm-up")
            inA.report(.failure(.invalidKey), verdict: .disable(reach: .key, reason: "invalid"), for: KeyID(1), at: Self.start)
            await a.flush()
            let leased = try await Self.leased(inB, tasks: 9, prefix: "b")
            #expect(!leased.contains(KeyID(1)))
            #expect(inB.snapshot(at: Self.start).keys[1].health.isDisabled)
            await a.shutdown()
            await b.shutdown()
        }

        @Test("cooldowns are shared: a project's per-model daily quota and a key's minute")
        func cooldownsEverywhere() async throws {
            let namespace = TestDatabase.unique("cool")
            let a = try await TestDatabase.connect(namespace: namespace)
            let b = try await TestDatabase.connect(namespace: namespace)
            let keys = TestDatabase.keys(4, projects: ["p", "p", "q", nil])
            let inA = a.keyProvider(for: keys)
            let inB = b.keyProvider(for: keys)
            _ = try await inA.lease(for: "warm-up", excluding: [], model: nil, at: Self.start)
            await inA.release(task: "warm-up")
            inA.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(3600), reach: .model("pro"), reason: "daily"), for: KeyID(0), at: Self.start)
            inA.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(60), reach: .key, reason: "minute"), for: KeyID(3), at: Self.start)
            await a.flush()
            let forPro = Set(try await Self.leased(inB, tasks: 8, prefix: "pro", model: "pro"))
            #expect(forPro == [KeyID(2)])
            for index in 0..<8 { await inB.release(task: TaskID("pro-\(index)")) }
            let forFlash = Set(try await Self.leased(inB, tasks: 8, prefix: "flash", model: "flash"))
            #expect(forFlash == [KeyID(0), KeyID(1), KeyID(2)])
            #expect(!inB.isUsable(KeyID(3), model: nil, at: Self.start.advanced(by: .seconds(30))))
            await a.shutdown()
            await b.shutdown()
        }
    }

    @Suite("Leases: exclusive across processes while free keys remain, back after the TTL")
    struct LeaseTests {
        @Test("two processes with two tasks each on four keys hold four different keys; a fifth task shares")
        func exclusiveAcrossProcesses() async throws {
            let namespace = TestDatabase.unique("lease")
            let a = try await TestDatabase.connect(namespace: namespace)
            let b = try await TestDatabase.connect(namespace: namespace)
            let keys = TestDatabase.keys(4)
            let inA = a.keyProvider(for: keys)
            let inB = b.keyProvider(for: keys)
            let fromA = try await KeyHealthTests.leased(inA, tasks: 2, prefix: "a")
            let fromB = try await KeyHealthTests.leased(inB, tasks: 2, prefix: "b")
            #expect(Set(fromA + fromB).count == 4)
            let shared = try await KeyHealthTests.leased(inB, tasks: 1, prefix: "b-extra")
            #expect(shared.count == 1)
            // A gives one back: B's next task takes it alone.
            await inA.release(task: "a-0")
            await a.flush()
            let next = try await KeyHealthTests.leased(inB, tasks: 1, prefix: "b-next")
            #expect(next == [fromA[0]])
            await a.shutdown()
            await b.shutdown()
        }

        @Test("a process that stops heart-beating loses its leases within the TTL")
        func crashedHolderLosesLeases() async throws {
            let namespace = TestDatabase.unique("ttl")
            let ttl = Duration.seconds(2)
            let a = try await TestDatabase.connect(namespace: namespace, ttl: ttl)
            let b = try await TestDatabase.connect(namespace: namespace, ttl: ttl)
            let keys = TestDatabase.keys(2)
            let inA = a.keyProvider(for: keys)
            let inB = b.keyProvider(for: keys)
            #expect(Set(try await KeyHealthTests.leased(inA, tasks: 2, prefix: "a")).count == 2)
            // Alive, A keeps them past the TTL (its heartbeat renews them).
            try await Task.sleep(for: ttl + .milliseconds(500))
            let whileAlive = try await TestDatabase.texts(b, """
                SELECT holder_id::text FROM llmgateway_lease WHERE namespace = '\(namespace)' AND expires_at > clock_timestamp()
                """)
            #expect(whileAlive.count == 2)
            a.abandon()  // as after kill -9: nothing given back
            let abandonedAt = ContinuousClock.now
            let mine = b.context.holder.uuidString.lowercased()
            let back = try await TestDatabase.eventually(within: ttl * 2) {
                await inB.release(task: "b-0")
                await inB.release(task: "b-1")
                _ = try await KeyHealthTests.leased(inB, tasks: 2, prefix: "b")
                let holders = try await TestDatabase.texts(b, "SELECT holder_id::text FROM llmgateway_lease WHERE namespace = '\(namespace)'")
                return holders.count == 2 && holders.allSatisfy { $0 == mine }
            }
            #expect(back)
            #expect(abandonedAt.duration(to: ContinuousClock.now) <= ttl + .seconds(1))
            await b.shutdown()
        }
    }
}
#endif
