import GatewayCore
import MockTransport
import Testing

@Suite("Key pool, dedicated strategy")
struct DedicatedKeyPoolTests {
    let t0 = GatewayClock.Instant(offset: .zero)

    func keys(_ count: Int, projects: [String?]? = nil) -> [APIKey] {
        Harness.secrets(count).enumerated().map { index, secret in
            APIKey(secret: secret, id: KeyID(index), project: projects?[index])
        }
    }

    func selected(_ pool: KeyPool, _ task: TaskID, excluding: Set<KeyID> = [], at now: GatewayClock.Instant? = nil) throws -> KeyID? {
        if case .use(let key) = try pool.lease(for: task, excluding: excluding, model: nil, at: now ?? t0) { return key.id }
        return nil
    }

    @Test("a task reuses its assignment")
    func reuse() throws {
        let pool = KeyPool(keys: keys(3))
        let first = try selected(pool, "a")
        #expect(try selected(pool, "a") == first)
        #expect(pool.snapshot(at: t0).totalLeases == 1)
    }

    @Test("free keys are preferred: n tasks on n keys get n different keys")
    func freePreferred() throws {
        let pool = KeyPool(keys: keys(4))
        let chosen = try (1...4).map { try selected(pool, TaskID("t\($0)")) }
        #expect(Set(chosen).count == 4)
    }

    @Test("when every key is leased, tasks share the least-loaded key, evenly")
    func leastLoadedSharing() throws {
        let pool = KeyPool(keys: keys(3))
        for index in 1...9 { _ = try selected(pool, TaskID("t\(index)")) }
        #expect(pool.snapshot(at: t0).keys.map(\.leases) == [3, 3, 3])
        // Release two tasks of one key: the next task goes to that key.
        let lightKey = try #require(pool.heldKey(by: "t1"))
        let sameKey = (2...9).first { pool.heldKey(by: TaskID("t\($0)")) == lightKey }!
        pool.release(task: "t1")
        pool.release(task: TaskID("t\(sameKey)"))
        #expect(try selected(pool, "new") == lightKey)
    }

    @Test("an excluded assignment rotates to another key and moves the lease")
    func exclusionRotates() throws {
        let pool = KeyPool(keys: keys(2))
        let first = try #require(try selected(pool, "a"))
        let second = try #require(try selected(pool, "a", excluding: [first]))
        #expect(second != first)
        let snapshot = pool.snapshot(at: t0)
        #expect(snapshot.keys[first.index].leases == 0)
        #expect(snapshot.keys[second.index].leases == 1)
    }

    @Test("exhaustion lists every key's fate, masked")
    func exhaustion() throws {
        let keys = keys(3)
        let pool = KeyPool(keys: keys)
        pool.report(.failure(.other), verdict: .disable(reach: .key, reason: "invalid key"), for: KeyID(0), at: t0)
        pool.report(.failure(.other), verdict: .disable(reach: .key, reason: "permission denied: leaked"), for: KeyID(1), at: t0)
        let error = #expect(throws: KeysExhaustedError.self) {
            try pool.lease(for: "a", excluding: [KeyID(2)], model: nil, at: t0)
        }
        let text = try #require(error).description
        #expect(text.contains("all 3 keys exhausted"))
        #expect(text.contains("#1") && text.contains("invalid key"))
        #expect(text.contains("leaked"))
        #expect(text.contains("#3") && text.contains("rotated away"))
        for key in keys {
            #expect(!text.contains(key.revealSecret()))
            #expect(text.contains(key.masked))
        }
    }

    @Test("a disabled key is skipped by every task")
    func disabledForAll() throws {
        let pool = KeyPool(keys: keys(2))
        let first = try #require(try selected(pool, "a"))
        pool.report(.failure(.other), verdict: .disable(reach: .key, reason: "invalid key"), for: first, at: t0)
        #expect(try selected(pool, "a") != first)
        for index in 1...5 { #expect(try selected(pool, TaskID("other\(index)")) != first) }
    }

    @Test("a cooling key comes back by itself when its time has passed")
    func coolingReturns() throws {
        let pool = KeyPool(keys: keys(1))
        pool.report(.failure(.other), verdict: .coolDown(for: .seconds(30), reach: .key, reason: "rate limited"), for: KeyID(0), at: t0)
        #expect(try pool.lease(for: "a", excluding: [], model: nil, at: t0) == .waitUntil(GatewayClock.Instant(offset: .seconds(30))))
        let later = GatewayClock.Instant(offset: .seconds(30))
        #expect(try selected(pool, "a", at: later) == KeyID(0))
        #expect(pool.snapshot(at: later).keys[0].health == .active)
    }

    @Test("verdicts on a quota group reach every key of the project, and only them")
    func groupVerdicts() throws {
        let pool = KeyPool(keys: keys(3, projects: ["p", "p", nil]))
        pool.report(.failure(.other), verdict: .coolDown(for: .seconds(60), reach: .quotaGroup, reason: "rate limited"), for: KeyID(0), at: t0)
        let health = pool.snapshot(at: t0).keys.map(\.health)
        #expect(health[1] == .cooling(until: GatewayClock.Instant(offset: .seconds(60)), reason: "rate limited"))
        #expect(health[2] == .active)
        pool.report(.failure(.other), verdict: .disable(reach: .quotaGroup, reason: "billing"), for: KeyID(1), at: t0)
        #expect(pool.snapshot(at: t0).keys.prefix(2).allSatisfy { $0.health == .disabled(reason: "billing") })
    }

    @Test("free keys in untouched projects come before free keys of a busy project")
    func spreadsAcrossProjects() throws {
        let keys = keys(4, projects: ["p", "p", "q", "r"])
        let pool = KeyPool(keys: keys)
        let chosen = try (1...3).map { try #require(try selected(pool, TaskID("t\($0)"))) }
        let projects = Set(chosen.map { keys[$0.index].project })
        #expect(projects == ["p", "q", "r"])
    }

    @Test("release ends the lease; releasing twice is harmless")
    func release() throws {
        let pool = KeyPool(keys: keys(2))
        _ = try selected(pool, "a")
        pool.release(task: "a")
        pool.release(task: "a")
        #expect(pool.snapshot(at: t0).totalLeases == 0)
        #expect(pool.heldKey(by: "a") == nil)
    }

    @Test("snapshot counts attempts, successes, failures and 429s per key")
    func snapshotCounters() throws {
        let keys = keys(1)
        let pool = KeyPool(keys: keys)
        let limited = Failure.Kind.rateLimited(RateLimitDetails(retryAfter: .seconds(1), window: .perMinute))
        pool.report(.success, verdict: .notAtFault, for: KeyID(0), at: t0)
        pool.report(.failure(limited), verdict: .notAtFault, for: KeyID(0), at: t0)
        pool.report(.failure(.serverError(status: 503)), verdict: .notAtFault, for: KeyID(0), at: t0)
        let key = pool.snapshot(at: t0).keys[0]
        #expect((key.attempts, key.successes, key.failures, key.rateLimited) == (3, 1, 2, 1))
        #expect(key.lastFailure == .serverError(status: 503))
        #expect(!key.description.contains(keys[0].revealSecret()))
    }
}

@Suite("Key pool, round-robin strategy")
struct RoundRobinKeyPoolTests {
    let t0 = GatewayClock.Instant(offset: .zero)

    @Test("every selection takes the next active key, skipping disabled and excluded ones")
    func rotation() throws {
        let keys = Harness.secrets(3).enumerated().map { APIKey(secret: $1, id: KeyID($0)) }
        let pool = KeyPool(keys: keys, strategy: .roundRobin)
        func next(_ excluded: Set<KeyID> = []) throws -> Int? {
            if case .use(let key) = try pool.lease(for: "t", excluding: excluded, model: nil, at: t0) { return key.id.index }
            return nil
        }
        #expect(try [next(), next(), next(), next()] == [0, 1, 2, 0])
        pool.report(.failure(.other), verdict: .disable(reach: .key, reason: "invalid key"), for: KeyID(1), at: t0)
        #expect(try [next(), next(), next()] == [2, 0, 2])
        #expect(try next([KeyID(0)]) == 2)
        #expect(throws: KeysExhaustedError.self) { try pool.lease(for: "t", excluding: [KeyID(0), KeyID(2)], model: nil, at: self.t0) }
        pool.release(task: "t")
        #expect(pool.snapshot(at: t0).totalLeases == 0)
    }

    @Test("the round-robin strategy plugs into the gateway through the same seam")
    func throughGateway() async throws {
        let h = try Harness(keyCount: 3, keyProvider: .roundRobin)
        h.mock.setDefault(.geminiText("ok"))
        let gateway = h.gateway
        try await h.run {
            try await gateway.withClient(task: "t") { client in
                for _ in 0..<3 { _ = try await client.send(.init("p")) }
            }
        }
        #expect(h.mock.requests.map(\.apiKey) == [h.secret(1), h.secret(2), h.secret(3)])
        #expect(h.requestTimes == [0, 0, 0])
    }
}

@Suite("Key pool, dedicated strategy: a doubled-up task moves to a key that frees")
struct DoubledUpTests {
    @Test("when a key frees, a task that shares its key moves to it; a task alone on its key stays")
    func movesToFreedKey() throws {
        let keys = Harness.secrets(2).enumerated().map { APIKey(secret: $1, id: KeyID($0)) }
        let pool = KeyPool(keys: keys)
        let t0 = GatewayClock.Instant(offset: .zero)
        func lease(_ task: TaskID) throws -> KeyID? {
            if case .use(let key) = try pool.lease(for: task, excluding: [], model: nil, at: t0) { return key.id }
            return nil
        }
        let a = try #require(try lease("a"))
        let b = try #require(try lease("b"))
        let c = try #require(try lease("c"))   // shares a key with a or b
        #expect(a != b && [a, b].contains(c))
        let partner: TaskID = c == a ? "a" : "b"
        let other: TaskID = c == a ? "b" : "a"
        pool.release(task: other)              // its key is free now
        let moved = try #require(try lease("c"))
        #expect(moved != c)
        #expect(try lease(partner) == c)       // alone on its key again: stays
        #expect(pool.snapshot(at: t0).keys.map(\.leases) == [1, 1])
    }

    @Test("a task that shares its project with another moves to a project nobody uses; alone in its project it stays")
    func movesToIdleGroup() throws {
        let secrets = Harness.secrets(3)
        let keys = [
            APIKey(secret: secrets[0], id: KeyID(0), project: "shared"), APIKey(secret: secrets[1], id: KeyID(1), project: "shared"),
            APIKey(secret: secrets[2], id: KeyID(2), project: "own"),
        ]
        let pool = KeyPool(keys: keys)
        let t0 = GatewayClock.Instant(offset: .zero)
        func lease(_ task: TaskID) throws -> KeyID? {
            if case .use(let key) = try pool.lease(for: task, excluding: [], model: nil, at: t0) { return key.id }
            return nil
        }
        let a = try #require(try lease("a"))   // the least-loaded project first: "shared" (2 keys) or "own"
        let b = try #require(try lease("b"))
        let c = try #require(try lease("c"))
        #expect(Set([a, b, c]) == [KeyID(0), KeyID(1), KeyID(2)])
        let onOwn: TaskID = a == KeyID(2) ? "a" : b == KeyID(2) ? "b" : "c"
        pool.release(task: onOwn)                // "own" is idle now; two tasks pace in "shared"
        let moving: [TaskID] = (["a", "b", "c"] as [TaskID]).filter { $0 != onOwn }
        #expect(try lease(moving[0]) == KeyID(2), "the first of the two to call again moves")
        #expect(try lease(moving[1]) != KeyID(2), "the other is alone in its project now: stays")
        let leases = pool.snapshot(at: t0).keys.map(\.leases)
        #expect(leases[2] == 1 && leases[0] + leases[1] == 1, "one task per project, no key shared")
    }
}
