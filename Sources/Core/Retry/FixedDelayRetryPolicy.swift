/// A deliberately simple policy: retry transient failures on the same key after a fixed delay
/// (or the server's, when it gives one), up to `maxAttempts` in all; rotate away from a key that
/// is invalid or denied; stop on anything else.
public struct FixedDelayRetryPolicy: RetryPolicy {
    /// Attempts per call in all, the first included.
    public var maxAttempts: Int
    /// The wait before a retry, unless a rate limit names its own.
    public var delay: Duration

    /// A policy of up to `maxAttempts` attempts, `delay` apart.
    public init(maxAttempts: Int = 3, delay: Duration = .seconds(1)) {
        self.maxAttempts = maxAttempts
        self.delay = delay
    }

    /// Retries rate limits, server errors, timeouts and connection failures until ``maxAttempts``;
    /// disables an invalid or denied key and rotates; stops on anything else.
    public func decide(after failure: Failure, context: RetryContext) -> RetryDecision {
        switch failure.kind {
        case .invalidKey, .permissionDenied:
            return .rotate(.disable(reach: .key, reason: failure.kind.description), after: .zero)
        case .rateLimited:
            guard context.attempt < maxAttempts else { return .stop(.notAtFault) }
            return .retry(after: failure.kind.rateLimit?.retryAfter ?? delay)
        case .serverError, .timeout, .connectionFailure:
            guard context.attempt < maxAttempts else { return .stop(.notAtFault) }
            return .retry(after: delay)
        default:
            return .stop(.notAtFault)
        }
    }

    /// Throws ``ConfigurationError/invalidPolicy(_:)`` for fewer than one attempt or a negative delay.
    public func validate() throws(ConfigurationError) {
        guard maxAttempts >= 1 else { throw .invalidPolicy("maxAttempts must be at least 1") }
        guard delay >= .zero else { throw .invalidPolicy("delay must not be negative") }
    }
}
