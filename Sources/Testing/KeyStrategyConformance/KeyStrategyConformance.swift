public import GatewayCore

/// Checks every `KeyStrategy` must pass — ours and yours — and every `KeyProvider` (a
/// backend that keeps the state elsewhere runs the same checks). Each check runs the strategy
/// in a `KeyPool` (or runs the provider; for leases and condemned keys, in a whole gateway over
/// a mock transport on a manual clock) and throws ``KeyStrategyViolation`` when a rule is broken:
/// ```swift
/// @Test(arguments: KeyStrategyConformance.Check.allCases)
/// func conforms(_ check: KeyStrategyConformance.Check) async throws {
///     try await KeyStrategyConformance(MyStrategy()).run(check)
/// }
/// ```
public struct KeyStrategyConformance: Sendable {
    /// The checks, by name.
    public enum Check: String, CaseIterable, Sendable, CustomStringConvertible {
        /// Whatever the strategy returns, only a candidate is leased.
        case leasesOnlyCandidates
        /// A disabled key is never handed out again, whatever verdict follows.
        case disabledStaysDisabled
        /// A shorter cooldown never shortens a longer one.
        case cooldownsAreNeverShortened
        /// A cooling key comes back by itself when its cooldown ends.
        case cooldownsExpire
        /// A billing verdict disables every key of the project, and only those.
        case billingReachesTheProject
        /// A per-day verdict for one model cools that model on every key of the project only.
        case dailyQuotaReachesTheModel
        /// Every key disabled or excluded: a `KeysExhaustedError` naming each key's fate.
        case exhaustionIsReported
        /// A `withClient` scope that returns, throws or is cancelled leaves no lease behind.
        case leasesAreReleased
        /// A key condemned by one task while others wait for its bucket gets no request from them.
        case condemnedKeyIsNotUsed

        /// The check's name.
        public var description: String { rawValue }
    }

    let makeProvider: @Sendable ([APIKey]) -> any KeyProvider

    /// A conformance run for `strategy`, in a `KeyPool`.
    public init(_ strategy: some KeyStrategy) {
        self.makeProvider = { KeyPool(keys: $0, strategy: strategy) }
    }

    /// A conformance run for a whole key provider, made fresh for each check from the keys.
    public init(provider: @escaping @Sendable ([APIKey]) -> any KeyProvider) {
        self.makeProvider = provider
    }

    /// Runs one check.
    /// - Throws: ``KeyStrategyViolation`` naming the broken rule.
    public func run(_ check: Check) async throws {
        switch check {
        case .leasesOnlyCandidates: try await leasesOnlyCandidates()
        case .disabledStaysDisabled: try await disabledStaysDisabled()
        case .cooldownsAreNeverShortened: try await cooldownsAreNeverShortened()
        case .cooldownsExpire: try await cooldownsExpire()
        case .billingReachesTheProject: try await billingReachesTheProject()
        case .dailyQuotaReachesTheModel: try await dailyQuotaReachesTheModel()
        case .exhaustionIsReported: try await exhaustionIsReported()
        case .leasesAreReleased: try await leasesAreReleased()
        case .condemnedKeyIsNotUsed: try await condemnedKeyIsNotUsed()
        }
    }

    /// Every check, in order.
    public func runAll() async throws {
        for check in Check.allCases { try await run(check) }
    }
}

/// A rule a strategy broke, with what was seen.
public struct KeyStrategyViolation: Error, Sendable, CustomStringConvertible {
    /// The check that failed.
    public let check: KeyStrategyConformance.Check
    /// What went wrong.
    public let detail: String

    /// The check's name and what went wrong.
    public var description: String { "\(check): \(detail)" }
}
