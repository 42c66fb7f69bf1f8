/// What one request draws from its quota group.
public struct RateLimitCost: Sendable, Hashable {
    /// Requests (normally 1).
    public var requests: Int
    /// Estimated tokens (prompt plus expected output), for tokens-per-minute limits.
    public var tokens: Int

    /// A cost of `requests` requests and an estimate of `tokens` tokens.
    public init(requests: Int = 1, tokens: Int = 0) {
        self.requests = requests
        self.tokens = tokens
    }

    /// One request, no token estimate.
    public static let oneRequest = RateLimitCost()
}

/// Proof that a request was admitted; hand it back to ``RateLimiter/settle(_:actualTokens:)``
/// once the real token usage is known.
public struct RateLimitPermit: Sendable, Hashable {
    /// The quota group (and model) that paid.
    public let group: QuotaGroup
    /// What was spent, with its token estimate.
    public let cost: RateLimitCost
    /// When the request was admitted, on the gateway's clock.
    public let grantedAt: GatewayClock.Instant

    /// A permit for `cost` in `group`; limiters make these for you.
    public init(group: QuotaGroup, cost: RateLimitCost, grantedAt: GatewayClock.Instant) {
        self.group = group
        self.cost = cost
        self.grantedAt = grantedAt
    }
}

/// Why a limiter refused to admit a request.
public struct RateLimiterError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case waitTooLong(Duration)
        case costExceedsCapacity(String)
    }
    private let code: Code

    /// The wait would exceed the caller's limit; nothing was consumed.
    public static func waitTooLong(_ estimate: Duration) -> Self { Self(code: .waitTooLong(estimate)) }
    /// The request can never fit (more tokens than a minute allows, more requests than the burst).
    public static func costExceedsCapacity(_ detail: String) -> Self { Self(code: .costExceedsCapacity(detail)) }

    /// The estimated wait, for ``waitTooLong(_:)``.
    public var estimatedWait: Duration? {
        if case .waitTooLong(let wait) = code { wait } else { nil }
    }

    /// Why the request was refused, in one line.
    public var description: String {
        switch code {
        case .waitTooLong(let wait): "rate limiter wait of \(wait.formattedSeconds) exceeds the allowed wait"
        case .costExceedsCapacity(let detail): "request can never be admitted: \(detail)"
        }
    }
}

/// Paces requests per quota group.
///
/// Implementations reserve under a lock and sleep outside it, wait in FIFO order, and give back
/// everything when a waiting task is cancelled.
public protocol RateLimiter: Sendable {
    /// Waits until `cost` may be spent in `group`, then spends it.
    /// - Parameters:
    ///   - cost: The requests and tokens to spend.
    ///   - group: The quota group (and model) whose budget pays.
    ///   - maxWait: Fail at once with ``RateLimiterError/waitTooLong(_:)``, consuming
    ///     nothing, when the wait is longer than this. `nil` waits as long as needed.
    /// - Throws: `CancellationError` if the task is cancelled while waiting (nothing consumed).
    func acquire(_ cost: RateLimitCost, in group: QuotaGroup, maxWait: Duration?) async throws -> RateLimitPermit

    /// Admits nothing in `group` before `until` (fed by the server's retry delay).
    func penalize(_ group: QuotaGroup, until: GatewayClock.Instant)

    /// A prediction of how long `cost` would wait in `group` now, without consuming anything.
    func estimatedWait(_ cost: RateLimitCost, in group: QuotaGroup) -> Duration

    /// Corrects a permit's token estimate with the real usage.
    func settle(_ permit: RateLimitPermit, actualTokens: Int)

    /// Learns what the server announced about `group`'s limits in an answer (see
    /// ``ServerRateLimits``); the gateway calls it after every answer that carries any.
    func observe(_ limits: ServerRateLimits, in group: QuotaGroup)

    /// The spacing the limiter keeps between requests in `group` now, if it paces it evenly
    /// (``GatewayClient/sendAll(_:maxInFlight:deadline:)`` sizes its window by it).
    func pace(in group: QuotaGroup) -> Duration?
}

extension RateLimiter {
    /// Nothing to correct.
    public func settle(_ permit: RateLimitPermit, actualTokens: Int) {}
    /// Announced limits change nothing.
    public func observe(_ limits: ServerRateLimits, in group: QuotaGroup) {}
    /// Unknown.
    public func pace(in group: QuotaGroup) -> Duration? { nil }
}

/// Admits everything at once: for tests, or when the server alone should push back.
public struct UnlimitedRateLimiter: RateLimiter {
    private let clock: GatewayClock
    /// A limiter that stamps its permits with `clock`'s time.
    public init(clock: GatewayClock = .continuous()) { self.clock = clock }
    /// Admits `cost` at once; throws only when the task is cancelled.
    public func acquire(_ cost: RateLimitCost, in group: QuotaGroup, maxWait: Duration?) async throws -> RateLimitPermit {
        try Task.checkCancellation()
        return RateLimitPermit(group: group, cost: cost, grantedAt: clock.now)
    }
    /// Ignores the penalty: this limiter admits everything.
    public func penalize(_ group: QuotaGroup, until: GatewayClock.Instant) {}
    /// Always zero.
    public func estimatedWait(_ cost: RateLimitCost, in group: QuotaGroup) -> Duration { .zero }
}
