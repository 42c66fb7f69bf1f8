import GatewayCore

/// The checks that need only a pool: the book's rules hold whatever the strategy chooses.
extension KeyStrategyConformance {
    static var start: GatewayClock.Instant { GatewayClock.Instant(offset: .zero) }

    /// Six keys: projects p (#1–#3), q (#4, #5), and #6 on its own.
    static var keys: [APIKey] {
        let projects: [String?] = ["p", "p", "p", "q", "q", nil]
        return projects.enumerated().map { index, project in
            APIKey(secret: "conformance-secret-\(index + 1)-abcdefgh", id: KeyID(index), project: project)
        }
    }

    func pool() -> any KeyProvider { makeProvider(Self.keys) }

    /// The keys many tasks lease at `now`, each for a call to `model`.
    func leased(_ pool: any KeyProvider, tasks: Int = 24, model: String? = nil, at now: GatewayClock.Instant = start) async throws -> [KeyID] {
        var leased: [KeyID] = []
        for index in 0..<tasks {
            if case .use(let key) = try await pool.lease(for: TaskID("task-\(index)"), excluding: [], model: model, at: now) { leased.append(key.id) }
        }
        return leased
    }

    func expect(_ condition: Bool, _ check: Check, _ detail: @autoclosure () -> String) throws {
        if !condition { throw KeyStrategyViolation(check: check, detail: detail()) }
    }

    func leasesOnlyCandidates() async throws {
        let pool = pool()
        pool.report(.failure(.invalidKey), verdict: .disable(reach: .key, reason: "invalid"), for: KeyID(0), at: Self.start)
        pool.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(60), reach: .key, reason: "429"), for: KeyID(3), at: Self.start)
        for index in 0..<24 {
            let excluded: Set<KeyID> = [KeyID(index % 6)]
            guard case .use(let key) = try await pool.lease(for: TaskID("t\(index)"), excluding: excluded, model: nil, at: Self.start) else {
                throw KeyStrategyViolation(check: .leasesOnlyCandidates, detail: "told to wait while keys were free")
            }
            try expect(![KeyID(0), KeyID(3)].contains(key.id) && !excluded.contains(key.id), .leasesOnlyCandidates,
                "leased \(key.label), which was disabled, cooling or excluded")
        }
    }

    func disabledStaysDisabled() async throws {
        let pool = pool()
        pool.report(.failure(.invalidKey), verdict: .disable(reach: .key, reason: "invalid"), for: KeyID(1), at: Self.start)
        pool.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(1), reach: .quotaGroup, reason: "429"), for: KeyID(0), at: Self.start)
        let later = Self.start.advanced(by: .seconds(5))
        try expect(pool.snapshot(at: later).keys[1].health.isDisabled, .disabledStaysDisabled, "a later cooldown revived the disabled key")
        try expect(!(try await leased(pool, at: later)).contains(KeyID(1)), .disabledStaysDisabled, "a disabled key was leased")
    }

    func cooldownsAreNeverShortened() async throws {
        let pool = pool()
        pool.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(600), reach: .key, reason: "long"), for: KeyID(5), at: Self.start)
        pool.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(10), reach: .key, reason: "short"), for: KeyID(5), at: Self.start)
        let later = Self.start.advanced(by: .seconds(60))
        try expect(!pool.isUsable(KeyID(5), model: nil, at: later), .cooldownsAreNeverShortened, "a 10 s cooldown cut a 600 s one short")
        try expect(!(try await leased(pool, at: later)).contains(KeyID(5)), .cooldownsAreNeverShortened, "a cooling key was leased")
    }

    func cooldownsExpire() async throws {
        let pool = pool()
        for index in 0..<6 {
            pool.report(.failure(.rateLimited), verdict: .coolDown(for: .seconds(30), reach: .key, reason: "429"), for: KeyID(index), at: Self.start)
        }
        let selection = try await pool.lease(for: "waiting", excluding: [], model: nil, at: Self.start)
        try expect(selection == .waitUntil(Self.start.advanced(by: .seconds(30))), .cooldownsExpire, "every key cooling gave \(selection)")
        let later = Self.start.advanced(by: .seconds(30))
        for key in Self.keys {
            let others = Set(Self.keys.map(\.id)).subtracting([key.id])
            let selection = try await pool.lease(for: "returning", excluding: others, model: nil, at: later)
            try expect(selection == .use(key), .cooldownsExpire, "\(key.label) did not come back after its cooldown: \(selection)")
        }
    }

    func billingReachesTheProject() async throws {
        let pool = pool()
        pool.report(.failure(.billing), verdict: .disable(reach: .quotaGroup, reason: "billing"), for: KeyID(3), at: Self.start)
        let health = pool.snapshot(at: Self.start).keys.map(\.health.isDisabled)
        try expect(health == [false, false, false, true, true, false], .billingReachesTheProject, "disabled: \(health)")
        try expect(Set(try await leased(pool)).isDisjoint(with: [KeyID(3), KeyID(4)]), .billingReachesTheProject, "a key of the unpaid project was leased")
    }

    func dailyQuotaReachesTheModel() async throws {
        let pool = pool()
        let day = RateLimitDetails(retryAfter: .seconds(3600), window: .perDay)
        pool.report(.failure(.rateLimited(day)), verdict: .coolDown(for: .seconds(3600), reach: .model("pro"), reason: "daily"), for: KeyID(0), at: Self.start)
        let forPro = Set(try await leased(pool, model: "pro"))
        try expect(forPro.isDisjoint(with: [KeyID(0), KeyID(1), KeyID(2)]), .dailyQuotaReachesTheModel, "a key of the spent project was leased for the spent model")
        // Only the project's keys allowed: the spent model waits for the reset, another model goes on.
        let outside: Set<KeyID> = [KeyID(3), KeyID(4), KeyID(5)]
        let pro = try await pool.lease(for: "pro only", excluding: outside, model: "pro", at: Self.start)
        try expect(pro == .waitUntil(Self.start.advanced(by: .seconds(3600))), .dailyQuotaReachesTheModel, "the spent model on its project: \(pro)")
        guard case .use(let key) = try await pool.lease(for: "flash only", excluding: outside, model: "flash", at: Self.start) else {
            throw KeyStrategyViolation(check: .dailyQuotaReachesTheModel, detail: "the project's other models were cooled too")
        }
        try expect(!outside.contains(key.id), .dailyQuotaReachesTheModel, "an excluded key was leased")
        try expect(pool.snapshot(at: Self.start).keys.allSatisfy { $0.health == .active }, .dailyQuotaReachesTheModel,
            "a per-model verdict cooled whole keys")
    }

    func exhaustionIsReported() async throws {
        let pool = pool()
        for index in 0..<5 {
            pool.report(.failure(.invalidKey), verdict: .disable(reach: .key, reason: "invalid"), for: KeyID(index), at: Self.start)
        }
        do {
            let selection = try await pool.lease(for: "last", excluding: [KeyID(5)], model: nil, at: Self.start)
            throw KeyStrategyViolation(check: .exhaustionIsReported, detail: "no key left, yet \(selection)")
        } catch let error as KeysExhaustedError {
            try expect(error.keys.count == 6 && error.excluded == [KeyID(5)], .exhaustionIsReported, "\(error)")
            for key in Self.keys {
                try expect(!error.description.contains(key.revealSecret()), .exhaustionIsReported, "the error shows key text")
            }
        }
    }
}
