import DequeModule

/// The default ``RateLimiter``: one token bucket (GCRA) per quota group, FIFO-fair.
///
/// - Rates are requests per any period with a burst (burst 1 = even spacing: 4 s at 15/min).
/// - Keys of one project share the project's bucket, because the gateway passes their quota group.
/// - Waiters queue per group; only the head sleeps, outside the lock, until its ready time, then
///   re-checks (a penalty may have arrived meanwhile). A cancelled waiter leaves the queue and
///   consumes nothing; the next one moves up.
/// - Optional tokens-per-minute (reserve an estimate, ``settle(_:actualTokens:)`` with the real
///   usage) and requests-per-day dimensions; a request is admitted when every dimension allows it.
public final class TokenBucketRateLimiter: RateLimiter {
    private struct Waiter {
        let id: Int
        var continuation: CheckedContinuation<Void, any Error>?
        var cancelled = false
    }

    private struct Group {
        var bucket: QuotaBucket
        var waiters: Deque<Waiter> = []
    }

    /// Every group's bucket and queue, under one lock.
    private struct State {
        var groups: [QuotaGroup: Group] = [:]
        var nextWaiter = 0
    }

    private let defaultLimit: RateLimit
    private let overrides: [QuotaGroup: RateLimit]
    private let pacing: ServerPacing
    private let clock: GatewayClock
    private let state = Locked(State())

    /// Creates a limiter.
    /// - Parameters:
    ///   - limit: The limit of every quota group not in `overrides`.
    ///   - overrides: Limits for particular groups (e.g. a paid project).
    ///   - clock: The gateway's clock.
    ///   - serverPacing: Whether the limits servers announce change the pace (``ServerPacing``);
    ///     `limit` and `overrides` are then the pace until the first announcement.
    /// - Throws: ``ConfigurationError/invalidRate(_:)`` for zero or negative settings.
    public init(
        limit: RateLimit, overrides: [QuotaGroup: RateLimit] = [:], clock: GatewayClock = .continuous(),
        serverPacing: ServerPacing = .ignore
    ) throws(ConfigurationError) {
        try limit.validate()
        for (_, other) in overrides { try other.validate() }
        try serverPacing.ceiling?.validate()
        self.defaultLimit = limit
        self.overrides = overrides
        self.pacing = serverPacing
        self.clock = clock
    }

    /// The limit that applies to `group`.
    public func limit(for group: QuotaGroup) -> RateLimit { overrides[group] ?? overrides[group.whole] ?? defaultLimit }

    /// Waits in `group`'s queue, first come first served, until every dimension admits `cost`, then
    /// spends it; a cost that can never fit throws ``RateLimiterError/costExceedsCapacity(_:)``.
    public func acquire(_ cost: RateLimitCost, in group: QuotaGroup, maxWait: Duration?) async throws -> RateLimitPermit {
        try Task.checkCancellation()
        // Nobody queued and a token ready: grant without entering the waiting machinery (its
        // async frame is the largest on a call's path, and a task keeps the memory its deepest
        // frames once needed: see BENCHMARKS.md, memory per task).
        if let permit = try grantAtOnce(cost, in: group) { return permit }
        return try await acquireWaiting(cost, in: group, maxWait: maxWait)
    }

    /// A grant when the group's queue is empty and the bucket has room now; `nil` otherwise.
    private func grantAtOnce(_ cost: RateLimitCost, in group: QuotaGroup) throws -> RateLimitPermit? {
        let now = clock.now
        let limit = limit(for: group)
        return try state.withLock { s throws -> RateLimitPermit? in
            let granted = try Self.grantAtOnce(cost, in: &s.groups[group, default: Group(bucket: QuotaBucket(limit: limit, createdAt: now))], at: now)
            return granted ? RateLimitPermit(group: group, cost: cost, grantedAt: now) : nil
        }
    }

    /// Spends `cost` from `entry` and answers `true` when nobody queues and the bucket has room
    /// at `now`; throws when `cost` could never fit. Shared by the fast path and a new waiter's
    /// first step (a request can arrive between the two).
    private static func grantAtOnce(_ cost: RateLimitCost, in entry: inout Group, at now: GatewayClock.Instant) throws -> Bool {
        if let reason = entry.bucket.impossibility(of: cost) {
            throw RateLimiterError.costExceedsCapacity(reason)
        }
        guard entry.waiters.isEmpty, entry.bucket.readyTime(for: cost, at: now) <= now else { return false }
        entry.bucket.consume(cost, at: now)
        return true
    }

    private func acquireWaiting(_ cost: RateLimitCost, in group: QuotaGroup, maxWait: Duration?) async throws -> RateLimitPermit {
        let start = clock.now
        let deadline = maxWait.map { start.advanced(by: $0) }
        let id = state.withLock { s -> Int in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        return try await withTaskCancellationHandler {
            var enqueued = false
            while true {
                let step = try nextStep(id: id, cost: cost, group: group, deadline: deadline, enqueued: &enqueued)
                switch step {
                case .granted(let permit, let wake):
                    wake?.resume()
                    return permit
                case .sleep(let until):
                    do {
                        try await clock.sleep(until: until)
                    } catch {
                        leave(id: id, group: group)
                        throw error
                    }
                case .giveUp(let error, let wake):
                    wake?.resume()
                    throw error
                case .park:
                    do {
                        try await park(id: id, group: group)
                    } catch {
                        leave(id: id, group: group)
                        throw error
                    }
                }
            }
        } onCancel: {
            cancelWaiter(id: id, group: group)
        }
    }

    private enum Step {
        case granted(RateLimitPermit, wake: CheckedContinuation<Void, any Error>?)
        case sleep(until: GatewayClock.Instant)
        case park
        case giveUp(RateLimiterError, wake: CheckedContinuation<Void, any Error>?)
    }

    private func nextStep(
        id: Int, cost: RateLimitCost, group: QuotaGroup, deadline: GatewayClock.Instant?, enqueued: inout Bool
    ) throws -> Step {
        let now = clock.now
        let limit = limit(for: group)
        return try state.withLock { s throws -> Step in
            var entry = s.groups[group] ?? Group(bucket: QuotaBucket(limit: limit, createdAt: now))
            defer { s.groups[group] = entry }
            if !enqueued {
                // (An enqueued waiter passed the capacity check when it joined; limits never change.)
                if try Self.grantAtOnce(cost, in: &entry, at: now) {
                    return .granted(RateLimitPermit(group: group, cost: cost, grantedAt: now), wake: nil)
                }
                let ready = entry.bucket.readyTime(for: cost, at: now)
                let queued = limit.emissionInterval * entry.waiters.count
                let estimate = now.duration(to: ready) + queued
                if let deadline, now.advanced(by: estimate) > deadline {
                    throw RateLimiterError.waitTooLong(estimate)
                }
                entry.waiters.append(Waiter(id: id))
                enqueued = true
            }
            guard let index = entry.waiters.firstIndex(where: { $0.id == id }) else {
                throw CancellationError()
            }
            if entry.waiters[index].cancelled {
                entry.waiters.remove(at: index)
                throw CancellationError()
            }
            guard index == 0 else { return .park }
            let ready = entry.bucket.readyTime(for: cost, at: now)
            if ready <= now {
                entry.bucket.consume(cost, at: now)
                entry.waiters.removeFirst()
                let wake = entry.waiters.isEmpty ? nil : entry.waiters[0].continuation
                if wake != nil { entry.waiters[0].continuation = nil }
                return .granted(RateLimitPermit(group: group, cost: cost, grantedAt: now), wake: wake)
            }
            if let deadline, ready > deadline {
                entry.waiters.removeFirst()
                let wake = entry.waiters.first?.continuation
                if wake != nil { entry.waiters[0].continuation = nil }
                return .giveUp(.waitTooLong(now.duration(to: ready)), wake: wake)
            }
            return .sleep(until: ready)
        }
    }

    /// Suspends a non-head waiter until it becomes the head (or is cancelled).
    private func park(id: Int, group: QuotaGroup) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enum Action { case parked, resume, cancel }
            let action = state.withLock { s -> Action in
                guard let index = s.groups[group]?.waiters.firstIndex(where: { $0.id == id }) else { return .cancel }
                if s.groups[group]!.waiters[index].cancelled || Task.isCancelled { return .cancel }
                if index == 0 { return .resume }
                s.groups[group]!.waiters[index].continuation = continuation
                return .parked
            }
            switch action {
            case .parked: break
            case .resume: continuation.resume()
            case .cancel: continuation.resume(throwing: CancellationError())
            }
        }
    }

    /// Marks a waiter cancelled; resumes it if it is parked.
    private func cancelWaiter(id: Int, group: QuotaGroup) {
        let parked = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            guard let index = s.groups[group]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            s.groups[group]!.waiters[index].cancelled = true
            let continuation = s.groups[group]!.waiters[index].continuation
            s.groups[group]!.waiters[index].continuation = nil
            return continuation
        }
        parked?.resume(throwing: CancellationError())
    }

    /// Removes a waiter that is giving up; if it was the head, the next waiter moves up.
    private func leave(id: Int, group: QuotaGroup) {
        let wake = state.withLock { s -> CheckedContinuation<Void, any Error>? in
            guard let index = s.groups[group]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            s.groups[group]!.waiters.remove(at: index)
            guard index == 0, let next = s.groups[group]!.waiters.first?.continuation else { return nil }
            s.groups[group]!.waiters[0].continuation = nil
            return next
        }
        wake?.resume()
    }

    /// Admits nothing in `group` before `until`.
    public func penalize(_ group: QuotaGroup, until: GatewayClock.Instant) {
        let now = clock.now
        let limit = limit(for: group)
        state.withLock { s in
            s.groups[group, default: Group(bucket: QuotaBucket(limit: limit, createdAt: now))].bucket.penalize(until: until)
        }
    }

    /// How long `cost` would wait in `group` now: until the bucket has room, plus one request
    /// interval per task queued ahead.
    public func estimatedWait(_ cost: RateLimitCost, in group: QuotaGroup) -> Duration {
        let now = clock.now
        let limit = limit(for: group)
        return state.withLock { s in
            guard let entry = s.groups[group] else { return .zero }
            let ready = entry.bucket.readyTime(for: cost, at: now)
            return now.duration(to: ready) + limit.emissionInterval * entry.waiters.count
        }
    }

    /// With ``ServerPacing/follow(ceiling:headroom:)``: paces `group` at the announced limits
    /// (never faster than the ceiling), and holds it while a budget is announced spent.
    public func observe(_ limits: ServerRateLimits, in group: QuotaGroup) {
        guard pacing.follows, !limits.isEmpty else { return }
        let now = clock.now
        let base = limit(for: group)
        var learned = limits.limit(basedOn: base)?.withHeadroom(pacing.headroom)
        if let ceiling = pacing.ceiling, let proposed = learned {
            learned = Self.slower(proposed, ceiling)
        }
        let spentUntil = limits.exhaustedUntil(after: now)
        state.withLock { s in
            var entry = s.groups[group] ?? Group(bucket: QuotaBucket(limit: base, createdAt: now))
            if let learned, (try? learned.validate()) != nil { entry.bucket.adopt(learned) }
            if let spentUntil { entry.bucket.penalize(until: spentUntil) }
            s.groups[group] = entry
        }
    }

    /// `proposed`, slowed where `ceiling` is slower: the longer request interval, the smaller
    /// token budget.
    private static func slower(_ proposed: RateLimit, _ ceiling: RateLimit) -> RateLimit {
        var result = proposed
        if ceiling.emissionInterval > proposed.emissionInterval {
            result.requests = ceiling.requests
            result.period = ceiling.period
            result.burst = min(proposed.burst, ceiling.burst)
        }
        if let cap = ceiling.tokensPerMinute { result.tokensPerMinute = min(result.tokensPerMinute ?? cap, cap) }
        return result
    }

    /// The spacing of `group`'s requests at its current limit.
    public func pace(in group: QuotaGroup) -> Duration? { currentLimit(in: group).emissionInterval }

    /// The limit `group` is paced at now (announced limits included).
    package func currentLimit(in group: QuotaGroup) -> RateLimit {
        state.withLock { $0.groups[group]?.bucket.limit } ?? limit(for: group)
    }

    /// Charges or refunds the permit's group the difference between its token estimate and
    /// `actualTokens`.
    public func settle(_ permit: RateLimitPermit, actualTokens: Int) {
        state.withLock { s in
            s.groups[permit.group]?.bucket.settle(estimated: permit.cost.tokens, actual: actualTokens)
        }
    }

    /// Waiters currently queued in `group` (for tests).
    package func queueLength(in group: QuotaGroup) -> Int {
        state.withLock { $0.groups[group]?.waiters.count ?? 0 }
    }
}
