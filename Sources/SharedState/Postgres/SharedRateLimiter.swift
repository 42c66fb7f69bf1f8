#if PostgresSharedState
import GatewayCore
import PostgresNIO

/// The ``RateLimiter`` of a ``PostgresSharedState``: GCRA per quota group (and model) in one
/// statement on the database's clock, so every process together keeps the rate.
///
/// A request reserves the group's next conforming slot (first come, first served across
/// processes), sleeps until it on the gateway's clock, and gives the slot back if cancelled
/// first. A server's retry delay penalises the group for every process. While the database is
/// away, a local ``TokenBucketRateLimiter`` paces at this process's share of the rate (the rate
/// divided by the processes last seen, ``RateLimit/sharedBy(_:)``).
final class SharedRateLimiter: RateLimiter {
    private let context: SharedContext
    private let clock: GatewayClock
    private let defaultLimit: RateLimit
    private let overrides: [QuotaGroup: RateLimit]
    private let fallback: Locked<(processes: Int, limiter: TokenBucketRateLimiter)?> = Locked(nil)
    /// How far ahead a request with no wait limit reserves at most; it asks again after that.
    private let longestReservation = Duration.seconds(600)

    init(context: SharedContext, clock: GatewayClock, limit: RateLimit, overrides: [QuotaGroup: RateLimit]) {
        self.context = context
        self.clock = clock
        self.defaultLimit = limit
        self.overrides = overrides
    }

    func limit(for group: QuotaGroup) -> RateLimit { overrides[group] ?? overrides[group.whole] ?? defaultLimit }

    /// The group's row in the database: the namespace, then the group (and model).
    private func groupID(_ group: QuotaGroup) -> String { RateStatements.groupID(group, namespace: context.namespace) }

    func acquire(_ cost: RateLimitCost, in group: QuotaGroup, maxWait: Duration?) async throws -> RateLimitPermit {
        try Task.checkCancellation()
        let limit = limit(for: group)
        let requests = max(cost.requests, 1)
        guard requests <= limit.burst else {
            throw RateLimiterError.costExceedsCapacity("\(requests) requests exceed the burst of \(limit.burst)")
        }
        let interval = limit.emissionInterval.microseconds
        while true {
            guard context.database.isUp else {
                return try await fallbackLimiter().acquire(cost, in: group, maxWait: maxWait)
            }
            let window = min(maxWait ?? longestReservation, longestReservation)
            let query = RateStatements.reserve(
                group: groupID(group), intervalMicros: interval, burst: limit.burst, cost: requests,
                maxWaitMicros: window.microseconds, dailyLimit: limit.requestsPerDay ?? 0)
            let answer: (granted: Bool, delay: Int64, daily: Bool)
            do {
                answer = try await context.database.call("pace") { client in
                    var answer = (granted: false, delay: Int64(0), daily: false)
                    for try await (granted, delay, _, daily) in try await client.query(query).decode((Bool, Int64, Int64, Bool).self) {
                        answer = (granted, delay, daily)
                    }
                    return answer
                }
            } catch {
                continue  // marked down: the local share paces this request
            }
            let wait = Duration.microseconds(max(answer.delay, 0))
            if answer.granted {
                if wait > .zero {
                    do {
                        try await clock.sleep(until: clock.now.advanced(by: wait))
                    } catch {
                        context.writes.enqueue("refund", RateStatements.refund(group: groupID(group), intervalMicros: interval, cost: requests))
                        throw error
                    }
                }
                return RateLimitPermit(group: group, cost: cost, grantedAt: clock.now)
            }
            if maxWait != nil { throw RateLimiterError.waitTooLong(wait) }
            try await clock.sleep(until: clock.now.advanced(by: min(wait, longestReservation)))
        }
    }

    func penalize(_ group: QuotaGroup, until: GatewayClock.Instant) {
        fallbackLimiter().penalize(group, until: until)
        let delay = clock.now.duration(to: until)
        guard delay > .zero else { return }
        context.writes.enqueue("penalize", RateStatements.penalize(group: groupID(group), delayMicros: delay.microseconds))
    }

    /// The local knowledge only (penalties seen here); the database decides at `acquire`.
    func estimatedWait(_ cost: RateLimitCost, in group: QuotaGroup) -> Duration {
        fallbackLimiter().estimatedWait(cost, in: group)
    }

    /// The spacing this process sees: the group's interval times the processes sharing it.
    func pace(in group: QuotaGroup) -> Duration? { limit(for: group).emissionInterval * context.processesSeen }

    /// The local limiter at this process's share, remade when the processes seen change.
    private func fallbackLimiter() -> TokenBucketRateLimiter {
        let processes = context.processesSeen
        return fallback.withLock { cached in
            if let cached, cached.processes == processes { return cached.limiter }
            let share = overrides.mapValues { $0.sharedBy(processes) }
            // The limits were validated when the state was configured; sharing keeps them valid.
            let limiter = try! TokenBucketRateLimiter(limit: defaultLimit.sharedBy(processes), overrides: share, clock: clock)
            cached = (processes, limiter)
            return limiter
        }
    }
}
#endif
