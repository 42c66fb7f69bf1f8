/// The default policy: the original design's shape (5 attempts per key, rotation through every
/// key) with its flaws fixed.
///
/// | failure | decision |
/// |---|---|
/// | rate limited, per day | cool the quota group until the reset (the server's delay, else ``dailyCooldown``) and rotate at once |
/// | rate limited, otherwise | wait exactly the server's delay (else ``rateLimitBackoff``) on the same key; after ``maxAttemptsPerKey`` attempts, or when the delay exceeds ``maxServerDelay``, cool the group for that delay and rotate |
/// | invalid key, permission denied | disable the key for every task and rotate at once |
/// | billing | disable the key's whole quota group and rotate |
/// | server error, timeout, connection failure | back off on the same key (``serverBackoff``); after ``maxAttemptsPerKey`` attempts stop — the key is not to blame |
/// | unresolved host | one retry after ``serverBackoff``'s first delay, then stop |
/// | blocked, bad request, other, any kind added later | stop at once |
public struct ClassifyingRetryPolicy: RetryPolicy {
    /// Attempts per key before rotating (rate limits) or giving up (server errors). Default 5.
    public var maxAttemptsPerKey: Int
    /// Backoff for 5xx, timeouts and connection failures.
    public var serverBackoff: Backoff
    /// Backoff for rate limits that carry no server delay.
    public var rateLimitBackoff: Backoff
    /// A server delay longer than this is not waited out on the same key: the group cools and the
    /// call rotates. Default 120 s.
    public var maxServerDelay: Duration
    /// How long a key's group cools after a per-day quota hit that names no reset time. Default 1 h.
    public var dailyCooldown: Duration
    /// Jitter source.
    public var random: RandomSource

    /// A policy with these settings; the defaults are the ones described on each property.
    public init(
        maxAttemptsPerKey: Int = 5,
        serverBackoff: Backoff = Backoff(initial: .seconds(1), maximum: .seconds(30)),
        rateLimitBackoff: Backoff = Backoff(initial: .seconds(5), maximum: .seconds(60)),
        maxServerDelay: Duration = .seconds(120),
        dailyCooldown: Duration = .seconds(3600),
        random: RandomSource = .system
    ) {
        self.maxAttemptsPerKey = maxAttemptsPerKey
        self.serverBackoff = serverBackoff
        self.rateLimitBackoff = rateLimitBackoff
        self.maxServerDelay = maxServerDelay
        self.dailyCooldown = dailyCooldown
        self.random = random
    }

    /// Decides by the failure's kind, as the table above says.
    public func decide(after failure: Failure, context: RetryContext) -> RetryDecision {
        let lastOnKey = context.attemptOnKey >= maxAttemptsPerKey
        let kind = failure.kind
        switch kind {
        case .rateLimited where kind.rateLimit?.window == .perDay:
            let cooldown = kind.rateLimit?.retryAfter ?? dailyCooldown
            return .rotate(.coolDown(for: cooldown, reach: context.quotaReach, reason: "daily quota exhausted"), after: .zero)
        case .rateLimited:
            let delay = kind.rateLimit?.retryAfter
                ?? rateLimitBackoff.delay(forRetry: context.attemptOnKey, random: random.next())
            if lastOnKey || delay > maxServerDelay {
                return .rotate(.coolDown(for: delay, reach: context.quotaReach, reason: "rate limited"), after: .zero)
            }
            return .retry(after: delay)
        case .invalidKey:
            return .rotate(.disable(reach: .key, reason: reason("invalid key", failure)), after: .zero)
        case .permissionDenied:
            return .rotate(.disable(reach: .key, reason: reason("permission denied", failure)), after: .zero)
        case .billing:
            return .rotate(.disable(reach: .quotaGroup, reason: reason("billing", failure)), after: .zero)
        case .serverError, .timeout, .connectionFailure:
            if lastOnKey { return .stop(.notAtFault) }
            return .retry(after: serverBackoff.delay(forRetry: context.attemptOnKey, random: random.next()))
        case .unresolvedHost:
            // A name that did not resolve is a typo or no network: one quick second look, no more.
            if context.attemptOnKey >= 2 { return .stop(.notAtFault) }
            return .retry(after: serverBackoff.delay(forRetry: 1, random: random.next()))
        default:
            // Blocked, bad request, other, and any kind this policy does not know: no retry helps.
            return .stop(.notAtFault)
        }
    }

    /// Throws ``ConfigurationError/invalidPolicy(_:)`` when a setting is out of range.
    public func validate() throws(ConfigurationError) {
        guard maxAttemptsPerKey >= 1 else { throw .invalidPolicy("maxAttemptsPerKey must be at least 1") }
        guard maxServerDelay >= .zero, dailyCooldown > .zero else {
            throw .invalidPolicy("maxServerDelay must be ≥ 0 and dailyCooldown > 0")
        }
        try serverBackoff.validate("serverBackoff")
        try rateLimitBackoff.validate("rateLimitBackoff")
    }

    private func reason(_ label: String, _ failure: Failure) -> String {
        failure.message.isEmpty ? label : "\(label): \(failure.message.prefix(120))"
    }
}
