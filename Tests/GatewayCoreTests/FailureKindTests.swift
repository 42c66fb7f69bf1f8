import GatewayCore
import Testing

@Suite("Failure kinds can grow: struct kinds, matching by kind and details")
struct FailureKindTests {
    func category(_ kind: Failure.Kind) -> String {
        switch kind {
        case .serverError(status: 500): "exactly 500"
        case .serverError: "any server error"
        case .rateLimited: "rate limited"
        case .unresolvedHost: "unresolved host"
        default: "something else"
        }
    }

    @Test("a pattern without details matches every kind of its name; one with details only those")
    func matching() {
        #expect(category(.serverError(status: 500)) == "exactly 500")
        #expect(category(.serverError(status: 503)) == "any server error")
        #expect(category(.rateLimited(RateLimitDetails(retryAfter: .seconds(3), window: .perMinute))) == "rate limited")
        #expect(category(.unresolvedHost) == "unresolved host")
        #expect(category(.billing) == "something else")
    }

    @Test("equality compares the details; the category drops them")
    func equality() {
        #expect(Failure.Kind.serverError(status: 500) != .serverError(status: 503))
        #expect(Failure.Kind.serverError(status: 503).category == .serverError)
        #expect(Failure.Kind.blocked(reason: "SAFETY").blockReason == "SAFETY")
        #expect(Failure.Kind.rateLimited(RateLimitDetails(window: .perDay)).rateLimit?.window == .perDay)
    }

    @Test("names are payload-free metric labels; descriptions carry the details")
    func names() {
        #expect(Failure.Kind.serverError(status: 502).name == "server_error")
        #expect(Failure.Kind.unresolvedHost.name == "unresolved_host")
        #expect("\(Failure.Kind.serverError(status: 502))" == "server error 502")
        #expect("\(Failure.Kind.connectionFailure)" == "connection failure")
        #expect("\(Failure.Kind.rateLimited(RateLimitDetails(retryAfter: .seconds(2), window: .perMinute)))" == "rate limited (perMinute, retry after 2s)")
    }

    @Test("the classifying policy stops on a kind it does not single out, and gives an unresolved host one retry")
    func policyDefaults() {
        let policy = ClassifyingRetryPolicy(random: .constant(0.5))
        #expect(policy.decide(after: Failure(.other), context: RetryContext(attemptOnKey: 1, attempt: 1)) == .stop(.notAtFault))
        guard case .retry = policy.decide(after: Failure(.unresolvedHost), context: RetryContext(attemptOnKey: 1, attempt: 1)) else {
            Issue.record("an unresolved host gets one retry")
            return
        }
        #expect(policy.decide(after: Failure(.unresolvedHost), context: RetryContext(attemptOnKey: 2, attempt: 2)) == .stop(.notAtFault))
    }

    @Test("a DNS failure from a transport is an unresolved host, not a connection failure")
    func dnsFailure() {
        #expect(TransportError.dnsFailure("Could not resolve host: nowhere.invalid").failure.kind == .unresolvedHost)
        #expect(TransportError.connectionRefused().failure.kind == .connectionFailure)
    }
}
