import GatewayCore
import KeyStrategyConformance
import Testing

/// A user's strategy in a few lines: the least-loaded project first, then the key used longest
/// ago. Everything else — health, cooldowns, reach, leases, exhaustion — is the pool's.
struct QuietestProject: KeyStrategy {
    func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
        candidates.min { a, b in
            if a.groupLoad != b.groupLoad { return a.groupLoad < b.groupLoad }
            return (a.lastChoice, a.id) < (b.lastChoice, b.id)
        }!
    }
}

/// A strategy that tries to cheat: it keeps the first candidate it ever saw and returns it
/// forever, even after that key is disabled or excluded.
final class StaleChoice: KeyStrategy {
    private let remembered = Locked<KeyCandidate?>(nil)
    func choose(for task: TaskID, from candidates: KeyCandidates) -> KeyCandidate {
        remembered.withLock { remembered in
            if remembered == nil { remembered = candidates.first }
            return remembered!
        }
    }
}

@Suite("Key strategies pass the conformance suite")
struct KeyStrategyConformanceTests {
    @Test("the dedicated strategy", arguments: KeyStrategyConformance.Check.allCases)
    func dedicated(_ check: KeyStrategyConformance.Check) async throws {
        try await KeyStrategyConformance(DedicatedKeyStrategy()).run(check)
    }

    @Test("the round-robin strategy", arguments: KeyStrategyConformance.Check.allCases)
    func roundRobin(_ check: KeyStrategyConformance.Check) async throws {
        try await KeyStrategyConformance(RoundRobinKeyStrategy()).run(check)
    }

    @Test("a custom strategy of a few lines gets every rule right", arguments: KeyStrategyConformance.Check.allCases)
    func custom(_ check: KeyStrategyConformance.Check) async throws {
        try await KeyStrategyConformance(QuietestProject()).run(check)
    }

    @Test("a strategy that returns a stale choice still cannot lease a condemned key", arguments: KeyStrategyConformance.Check.allCases)
    func stale(_ check: KeyStrategyConformance.Check) async throws {
        try await KeyStrategyConformance(StaleChoice()).run(check)
    }

    @Test("the custom strategy really chooses: the quietest project first")
    func customChooses() throws {
        let keys = [APIKey(secret: "quiet-secret-0000001", id: KeyID(0), project: "busy"),
                    APIKey(secret: "quiet-secret-0000002", id: KeyID(1), project: "busy"),
                    APIKey(secret: "quiet-secret-0000003", id: KeyID(2), project: "calm")]
        let pool = KeyPool(keys: keys, strategy: QuietestProject())
        let t0 = GatewayClock.Instant(offset: .zero)
        _ = try pool.lease(for: "a", excluding: [], model: nil, at: t0)  // #1 (ties to the lowest)
        #expect(try pool.lease(for: "b", excluding: [], model: nil, at: t0) == .use(keys[2]))
    }
}

/// A provider that loses verdicts: it records outcomes but never applies what the policy decided.
struct VerdictBlindProvider: KeyProvider {
    let inner: KeyPool
    init(keys: [APIKey]) { inner = KeyPool(keys: keys) }
    func lease(for task: TaskID, excluding excluded: Set<KeyID>, model: String?, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        try inner.lease(for: task, excluding: excluded, model: model, at: now)
    }
    func isUsable(_ key: KeyID, model: String?, at now: GatewayClock.Instant) -> Bool { true }
    func report(_ outcome: AttemptOutcome, verdict: KeyVerdict, for key: KeyID, at now: GatewayClock.Instant) {
        inner.report(outcome, verdict: .notAtFault, for: key, at: now)
    }
    func heldKey(by task: TaskID) -> KeyID? { inner.heldKey(by: task) }
    func release(task: TaskID) { inner.release(task: task) }
    func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot { inner.snapshot(at: now) }
}

@Suite("The conformance suite catches a provider that breaks the rules")
struct ConformanceCatchesTests {
    @Test("a provider that drops verdicts fails every check about health", arguments: [
        KeyStrategyConformance.Check.leasesOnlyCandidates, .disabledStaysDisabled, .cooldownsAreNeverShortened, .cooldownsExpire,
        .billingReachesTheProject, .dailyQuotaReachesTheModel, .exhaustionIsReported, .condemnedKeyIsNotUsed,
    ])
    func verdictBlind(_ check: KeyStrategyConformance.Check) async throws {
        let conformance = KeyStrategyConformance(provider: { VerdictBlindProvider(keys: $0) })
        await #expect(throws: KeyStrategyViolation.self) { try await conformance.run(check) }
    }

    @Test("the same provider still releases its leases")
    func releases() async throws {
        try await KeyStrategyConformance(provider: { VerdictBlindProvider(keys: $0) }).run(.leasesAreReleased)
    }
}
