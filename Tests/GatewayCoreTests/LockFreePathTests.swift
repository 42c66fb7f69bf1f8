import GatewayCore
import MockTransport
import Testing

/// The shortcuts a call takes without the pool's lock: a task keeps its key through
/// `reuse` while the key is healthy, successes are counted per key without the lock, and the
/// gateway's totals are kept per core. Each must agree with what the locked paths would say.
@Suite("Lock-free call path")
struct LockFreePathTests {
    let t0 = GatewayClock.Instant(offset: .zero)

    func keys(_ count: Int, project: String? = nil) -> [APIKey] {
        Harness.secrets(count).enumerated().map { APIKey(secret: $1, id: KeyID($0), project: project) }
    }

    @Test("reuse keeps a healthy key and declines a disabled, cooling, scope-cooling or excluded one")
    func reuseFollowsHealth() throws {
        let pool = DedicatedKeyPool(keys: keys(3))
        let key = KeyID(0)
        #expect(pool.reuse(key, for: "t", excluding: [], scope: nil, at: t0)?.id == key)
        #expect(pool.reuse(key, for: "t", excluding: [key], scope: nil, at: t0) == nil)

        pool.apply(.coolDown(for: .seconds(10), scope: .key, reason: "test"), to: key, at: t0)
        #expect(pool.reuse(key, for: "t", excluding: [], scope: nil, at: t0) == nil)
        // The cooldown ends; the locked path (select refreshes) brings the key back, and reuse follows.
        _ = try pool.select(for: "other", excluding: [], at: t0.advanced(by: .seconds(11)))
        #expect(pool.reuse(key, for: "t", excluding: [], scope: nil, at: t0.advanced(by: .seconds(11)))?.id == key)

        pool.apply(.coolDown(for: .seconds(5), scope: .quotaGroupScope("gemini-2.5-flash"), reason: "daily"), to: key, at: t0)
        #expect(pool.reuse(key, for: "t", excluding: [], scope: "gemini-2.5-pro", at: t0) == nil, "any scoped cooldown sends the task the long way")

        pool.apply(.disable(scope: .key, reason: "invalid"), to: KeyID(1), at: t0)
        #expect(pool.reuse(KeyID(1), for: "t", excluding: [], scope: nil, at: t0) == nil)
        #expect(pool.reuse(KeyID(99), for: "t", excluding: [], scope: nil, at: t0) == nil, "a stale hint is declined, not trusted")
    }

    @Test("the round-robin pool never takes the shortcut")
    func roundRobinDeclines() {
        let pool = RoundRobinKeyPool(keys: keys(2))
        #expect(pool.reuse(KeyID(0), for: "t", excluding: [], scope: nil, at: t0) == nil)
    }

    @Test("successes counted without the lock appear in the snapshot with the locked failures")
    func countersInSnapshot() {
        let pool = DedicatedKeyPool(keys: keys(2))
        for _ in 0..<5 { pool.record(.success, for: KeyID(1), at: t0) }
        pool.record(.failure(.serverError(status: 503)), for: KeyID(1), at: t0)
        let key = pool.snapshot(at: t0).keys[1]
        #expect((key.attempts, key.successes, key.failures) == (6, 5, 1))
        #expect(pool.snapshot(at: t0).keys[0].attempts == 0)
    }

    @Test("a task's second call goes through the shortcut to the same key, and a bad key still moves it")
    func gatewayUsesShortcut() async throws {
        let h = try Harness(keyCount: 2)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        let keysUsed = try await h.run {
            try await gateway.withClient(task: "t") { client in
                var used: [String] = []
                for _ in 0..<3 { used.append(try await client.sendReporting(.init("q")).report.keyLabel) }
                // Another task finds the key invalid: the next call must not reuse it.
                gateway.keyProvider.apply(.disable(scope: .key, reason: "invalid"), to: client.currentKey!.id, at: gateway.clock.now)
                used.append(try await client.sendReporting(.init("q")).report.keyLabel)
                return used
            }
        }
        #expect(Set(keysUsed.prefix(3)).count == 1)
        #expect(keysUsed[3] != keysUsed[0])
        #expect(gateway.snapshot().keys.map(\.successes).reduce(0, +) == 4)
    }

    @Test("per-core totals are exact when many tasks count at once")
    func perCoreTotalsExact() async throws {
        let h = try Harness(keyCount: 4)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        try await h.run {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<40 {
                    group.addTask {
                        try await gateway.withClient(task: TaskID("t\(task)")) { client in
                            for _ in 0..<25 { _ = try await client.send(.init("q")) }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        let stats = gateway.statistics()
        #expect(stats.callsSucceeded == 1_000 && stats.attempts == 1_000)
        #expect(gateway.snapshot().keys.map(\.successes).reduce(0, +) == 1_000)
    }
}

/// The continuous clock on Linux reads `CLOCK_BOOTTIME` itself; it must agree with
/// `ContinuousClock`, whose sleeps the gateway still uses.
@Suite("Gateway clock")
struct GatewayClockTests {
    @Test("the continuous gateway clock keeps step with ContinuousClock")
    func agreesWithContinuousClock() {
        let reference = ContinuousClock()
        let start = reference.now
        let clock = GatewayClock.continuous()
        var previous = clock.now
        for _ in 0..<1_000 {
            let now = clock.now
            #expect(now >= previous)
            previous = now
        }
        let elapsedOnReference = start.duration(to: reference.now)
        #expect(previous.offset >= .zero)
        #expect(previous.offset <= elapsedOnReference + .milliseconds(1))
    }
}
