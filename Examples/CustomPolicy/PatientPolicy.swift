import GatewayCore

/// A patient policy: w/// A patient policy: waits out rate limits on the same key (the server's delay, else 2 s),
/// retries server errors 3 times with a fixed 200 ms pause, drops bad keys at once, and never
/// retries what no key can fix (nor any kind of failure it does not know).
public struct PatientPolicy: RetryPolicy {
    public init() {}

    public func decide(after failure: Failure, context: RetryContext) -> RetryDecision {
        let kind = failure.kind
        switch kind {
        case .rateLimited where kind.rateLimit?.window == .perDay:
            return .rotate(.coolDown(for: kind.rateLimit?.retryAfter ?? .seconds(3600), reach: context.quotaReach, reason: "daily quota"), after: .zero)
        case .rateLimited:
            return .retry(after: kind.rateLimit?.retryAfter ?? .seconds(2))
        case .invalidKey, .permissionDenied:
            return .rotate(.disable(reach: .key, reason: failure.description), after: .zero)
        case .billing:
            return .rotate(.disable(reach: .quotaGroup, reason: "billing"), after: .zero)
        case .serverError, .timeout, .connectionFailure:
            return context.attemptOnKey < 3 ? .retry(after: .milliseconds(200)) : .stop(.notAtFault)
        default:
            return .stop(.notAtFault)
        }
    }
}
