import GatewayCore

/// Wraps a limiter and records every grant, so tests can check the most requests admitted in
/// any window of each quota group.
final class AuditingRateLimiter: RateLimiter {
    let base: any RateLimiter
    private let grants = Locked<[QuotaGroup: [GatewayClock.Instant]]>([:])

    init(_ base: any RateLimiter) { self.base = base }

    func acquire(_ cost: RateLimitCost, in group: QuotaGroup, maxWait: Duration?) async throws -> RateLimitPermit {
        let permit = try await base.acquire(cost, in: group, maxWait: maxWait)
        grants.withLock { $0[group, default: []].append(permit.grantedAt) }
        return permit
    }

    func penalize(_ group: QuotaGroup, until: GatewayClock.Instant) { base.penalize(group, until: until) }
    func estimatedWait(_ cost: RateLimitCost, in group: QuotaGroup) -> Duration { base.estimatedWait(cost, in: group) }
    func settle(_ permit: RateLimitPermit, actualTokens: Int) { base.settle(permit, actualTokens: actualTokens) }

    var allGrants: [QuotaGroup: [GatewayClock.Instant]] { grants.withLock { $0 } }

    /// The most grants of `group` inside any half-open window `[t, t + window)`.
    func maxInAnyWindow(_ group: QuotaGroup, window: Duration) -> Int {
        maxInWindow(allGrants[group] ?? [], window: window)
    }
}

/// The most instants inside any half-open window of length `window`.
func maxInWindow(_ instants: [GatewayClock.Instant], window: Duration) -> Int {
    let sorted = instants.sorted()
    var best = 0
    var lower = 0
    for upper in sorted.indices {
        while sorted[lower].duration(to: sorted[upper]) >= window { lower += 1 }
        best = max(best, upper - lower + 1)
    }
    return best
}
