/// The pure arithmetic of one quota group: GCRA for requests and tokens, a fixed daily window,
/// and a penalty instant. Every method takes `now` explicitly; nothing here sleeps or locks.
struct QuotaBucket: Sendable {
    private(set) var limit: RateLimit
    /// Theoretical arrival time of the request stream (GCRA).
    private var requestTAT: GatewayClock.Instant
    /// Theoretical arrival time of the token stream (GCRA, capacity one minute of tokens).
    private var tokenTAT: GatewayClock.Instant
    private var dayIndex: Int64 = 0
    private var dayCount = 0
    private let dayOrigin: GatewayClock.Instant
    private(set) var penaltyUntil: GatewayClock.Instant?

    /// The request stream's spacing and tolerance.
    private var requestInterval: Duration
    private var requestTolerance: Duration

    private static let day = Duration.seconds(86_400)
    private static let minute = Duration.seconds(60)

    init(limit: RateLimit, createdAt now: GatewayClock.Instant) {
        self.limit = limit
        self.requestTAT = now
        self.tokenTAT = now
        self.requestInterval = limit.emissionInterval
        self.requestTolerance = limit.emissionInterval * limit.burst
        // Windows start one day before the first reset, so the first reset lands where asked.
        self.dayOrigin = now.advanced(by: (limit.firstDailyReset ?? Self.day) - Self.day)
    }

    /// Paces by `limit` from now on, as if the requests already admitted had been paced by it:
    /// the next one goes one new interval after the last (later for a slower rate, sooner for a
    /// faster one, never in a burst: the tolerance is the new one's).
    mutating func adopt(_ newLimit: RateLimit) {
        guard newLimit != limit else { return }
        requestTAT = requestTAT.advanced(by: newLimit.emissionInterval - requestInterval)
        limit = newLimit
        requestInterval = newLimit.emissionInterval
        requestTolerance = newLimit.emissionInterval * newLimit.burst
    }

    /// The request stream's advance for `cost` (no multiplication for the usual single request).
    private func requestAdvance(_ cost: RateLimitCost) -> Duration {
        cost.requests == 1 ? requestInterval : requestInterval * cost.requests
    }

    private func tokenInterval(_ tpm: Int) -> Duration { Self.minute / tpm }

    /// Why `cost` could never be admitted, if it could not.
    func impossibility(of cost: RateLimitCost) -> String? {
        if cost.requests > limit.burst { return "\(cost.requests) requests exceed the burst of \(limit.burst)" }
        if let tpm = limit.tokensPerMinute, cost.tokens > tpm {
            return "\(cost.tokens) tokens exceed the limit of \(tpm) per minute"
        }
        if let rpd = limit.requestsPerDay, cost.requests > rpd { return "\(cost.requests) requests exceed \(rpd) per day" }
        return nil
    }

    /// The earliest instant at which `cost` fits every dimension (may be `now`).
    func readyTime(for cost: RateLimitCost, at now: GatewayClock.Instant) -> GatewayClock.Instant {
        var ready = now
        // GCRA: allowed when max(tat, now) + n·T − τ ≤ now.
        let requestReady = max(requestTAT, now).advanced(by: requestAdvance(cost) - requestTolerance)
        ready = max(ready, requestReady)
        if let tpm = limit.tokensPerMinute, cost.tokens > 0 {
            let tokenReady = max(tokenTAT, now).advanced(by: tokenInterval(tpm) * cost.tokens - Self.minute)
            ready = max(ready, tokenReady)
        }
        if let rpd = limit.requestsPerDay {
            let index = dayWindow(at: now)
            let used = index == dayIndex ? dayCount : 0
            if used + cost.requests > rpd {
                ready = max(ready, dayOrigin.advanced(by: Self.day * (index + 1)))
            }
        }
        if let penaltyUntil { ready = max(ready, penaltyUntil) }
        return ready
    }

    /// Spends `cost` at `now`; call only when `readyTime(for:at:) <= now`.
    mutating func consume(_ cost: RateLimitCost, at now: GatewayClock.Instant) {
        requestTAT = max(requestTAT, now).advanced(by: requestAdvance(cost))
        if let tpm = limit.tokensPerMinute, cost.tokens > 0 {
            tokenTAT = max(tokenTAT, now).advanced(by: tokenInterval(tpm) * cost.tokens)
        }
        if limit.requestsPerDay != nil {
            let index = dayWindow(at: now)
            if index != dayIndex {
                dayIndex = index
                dayCount = 0
            }
            dayCount += cost.requests
        }
        if let penaltyUntil, penaltyUntil <= now { self.penaltyUntil = nil }
    }

    /// Charges (or refunds) the difference between estimated and actual tokens.
    mutating func settle(estimated: Int, actual: Int) {
        guard let tpm = limit.tokensPerMinute, actual != estimated else { return }
        tokenTAT = tokenTAT.advanced(by: tokenInterval(tpm) * (actual - estimated))
    }

    mutating func penalize(until: GatewayClock.Instant) {
        penaltyUntil = max(penaltyUntil ?? until, until)
    }

    private func dayWindow(at now: GatewayClock.Instant) -> Int64 {
        let elapsed = dayOrigin.duration(to: now)
        let seconds = elapsed.components.seconds
        return seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    }
}
