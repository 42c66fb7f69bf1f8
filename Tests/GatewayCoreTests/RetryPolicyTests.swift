import GatewayCore
import Testing

/// The retry policies are pure functions from a classified failure and a context to a decision.
@Suite("Retry policies: classifying and fixed-delay decisions")
struct RetryPolicyTests {
    /// Jitter factor 0.75 + 0.25 · 0.5 = 0.875 with the default proportional jitter.
    static let policy = ClassifyingRetryPolicy(random: .constant(0.5))

    static func context(onKey: Int, attempt: Int? = nil) -> RetryContext {
        RetryContext(attemptOnKey: onKey, attempt: attempt ?? onKey)
    }

    static func rateLimited(_ window: QuotaWindow, after delay: Duration? = nil) -> Failure {
        Failure(.rateLimited(RateLimitDetails(retryAfter: delay, window: window, quotaID: "q")), status: 429)
    }

    /// The cooldown of a `.rotate(.coolDown(…), after: .zero)`, or `nil` for any other decision.
    static func groupCooldown(_ decision: RetryDecision) -> Duration? {
        guard case .rotate(.coolDown(let duration, .quotaGroup, _), after: .zero) = decision else { return nil }
        return duration
    }

    // MARK: ClassifyingRetryPolicy, rate limits

    @Test("a per-day limit cools the group for the server's delay and rotates at once", arguments: 1...5)
    func perDayWithServerDelay(onKey: Int) throws {
        let decision = Self.policy.decide(after: Self.rateLimited(.perDay, after: .seconds(5 * 3600)), context: Self.context(onKey: onKey))
        guard case .rotate(.coolDown(let duration, let scope, _), let after) = decision else {
            Issue.record("expected a rotation with a cooldown, got \(decision)")
            return
        }
        #expect(duration == .seconds(5 * 3600))
        #expect(scope == .quotaGroup)
        #expect(after == .zero)
    }

    @Test("a per-day limit without a server delay cools the group for dailyCooldown")
    func perDayWithoutServerDelay() {
        var policy = Self.policy
        policy.dailyCooldown = .seconds(7200)
        let decision = policy.decide(after: Self.rateLimited(.perDay), context: Self.context(onKey: 1))
        #expect(Self.groupCooldown(decision) == .seconds(7200))
        #expect(Self.groupCooldown(Self.policy.decide(after: Self.rateLimited(.perDay), context: Self.context(onKey: 1)))
            == .seconds(3600))
    }

    @Test(
        "a per-minute (or unknown) limit with a server delay retries the same key after exactly that delay",
        arguments: [QuotaWindow.perMinute, .unknown], 1...4)
    func perMinuteRetriesExactly(window: QuotaWindow, onKey: Int) {
        for delay: Duration in [.milliseconds(7500), .seconds(26), .milliseconds(1), .zero, .seconds(120)] {
            let decision = Self.policy.decide(after: Self.rateLimited(window, after: delay), context: Self.context(onKey: onKey))
            #expect(decision == .retry(after: delay))
        }
    }

    @Test("on the last attempt on a key a per-minute limit cools the group for the delay and rotates")
    func perMinuteRotatesOnLastAttempt() {
        let decision = Self.policy.decide(after: Self.rateLimited(.perMinute, after: .milliseconds(7500)), context: Self.context(onKey: 5))
        #expect(Self.groupCooldown(decision) == .milliseconds(7500))
        // Past the limit too.
        let later = Self.policy.decide(after: Self.rateLimited(.perMinute, after: .seconds(3)), context: Self.context(onKey: 6))
        #expect(Self.groupCooldown(later) == .seconds(3))
    }

    @Test("the attempt count per key, not per call, decides the rotation")
    func perKeyCountDecides() {
        let decision = Self.policy.decide(
            after: Self.rateLimited(.perMinute, after: .seconds(2)),
            context: RetryContext(attemptOnKey: 1, attempt: 9))
        #expect(decision == .retry(after: .seconds(2)))
    }

    @Test("maxAttemptsPerKey sets the rotation point", arguments: 1...4)
    func customMaxAttempts(max: Int) {
        let policy = ClassifyingRetryPolicy(maxAttemptsPerKey: max, random: .constant(0.5))
        let failure = Self.rateLimited(.perMinute, after: .seconds(2))
        for onKey in 1..<max {
            #expect(policy.decide(after: failure, context: Self.context(onKey: onKey)) == .retry(after: .seconds(2)))
        }
        #expect(Self.groupCooldown(policy.decide(after: failure, context: Self.context(onKey: max))) == .seconds(2))
    }

    @Test("a server delay longer than maxServerDelay rotates at once, cooling the group for that delay")
    func longServerDelayRotates() {
        let decision = Self.policy.decide(after: Self.rateLimited(.perMinute, after: .seconds(121)), context: Self.context(onKey: 1))
        #expect(Self.groupCooldown(decision) == .seconds(121))

        var strict = Self.policy
        strict.maxServerDelay = .seconds(10)
        #expect(Self.groupCooldown(strict.decide(after: Self.rateLimited(.unknown, after: .seconds(11)), context: Self.context(onKey: 1)))
            == .seconds(11))
        #expect(strict.decide(after: Self.rateLimited(.unknown, after: .seconds(10)), context: Self.context(onKey: 1))
            == .retry(after: .seconds(10)))
    }

    @Test(
        "without a server delay a rate limit backs off with rateLimitBackoff",
        arguments: [(1, 4_375), (2, 8_750), (3, 17_500), (4, 35_000)])
    func rateLimitBackoffWithoutDelay(onKey: Int, milliseconds: Int64) {
        let decision = Self.policy.decide(after: Self.rateLimited(.perMinute), context: Self.context(onKey: onKey))
        // 5 s · 2ⁿ⁻¹ · 0.875
        #expect(decision == .retry(after: .milliseconds(milliseconds)))
        #expect(decision == .retry(after: Self.policy.rateLimitBackoff.delay(forRetry: onKey, random: 0.5)))
    }

    @Test("without a server delay the last attempt rotates, cooling the group for the backoff delay")
    func rateLimitBackoffLastAttempt() {
        let decision = Self.policy.decide(after: Self.rateLimited(.unknown), context: Self.context(onKey: 5))
        // 5 s · 16 = 80 s, capped at 60 s, · 0.875
        #expect(Self.groupCooldown(decision) == .milliseconds(52_500))
    }

    @Test("a backoff delay beyond maxServerDelay rotates at once as well")
    func longBackoffRotates() {
        var policy = Self.policy
        policy.maxServerDelay = .seconds(4)
        let decision = policy.decide(after: Self.rateLimited(.perMinute), context: Self.context(onKey: 1))
        #expect(Self.groupCooldown(decision) == .milliseconds(4_375))
    }

    // MARK: ClassifyingRetryPolicy, key faults

    @Test(
        "an invalid or denied key is disabled and the call rotates at once",
        arguments: [Failure.Kind.invalidKey, .permissionDenied], [1, 3, 5, 6])
    func badKeyDisabled(kind: Failure.Kind, onKey: Int) {
        let decision = Self.policy.decide(after: Failure(kind, status: 400, message: "API key not valid"), context: Self.context(onKey: onKey))
        guard case .rotate(.disable(let scope, let reason), let after) = decision else {
            Issue.record("expected a rotation disabling the key, got \(decision)")
            return
        }
        #expect(scope == .key)
        #expect(after == .zero)
        #expect(reason.contains("API key not valid"))
    }

    @Test("billing disables the key's whole quota group and rotates", arguments: [1, 5])
    func billingDisablesGroup(onKey: Int) {
        let decision = Self.policy.decide(after: Failure(.billing, status: 402), context: Self.context(onKey: onKey))
        guard case .rotate(.disable(let scope, let reason), let after) = decision else {
            Issue.record("expected a rotation disabling the group, got \(decision)")
            return
        }
        #expect(scope == .quotaGroup)
        #expect(after == .zero)
        #expect(!reason.isEmpty)
    }

    // MARK: ClassifyingRetryPolicy, transient and final failures

    static let transient: [Failure.Kind] = [.serverError(status: 503), .serverError(status: 500), .timeout, .connectionFailure]

    @Test(
        "server errors, timeouts and connection failures back off on the same key with serverBackoff",
        arguments: transient, [(1, 875), (2, 1_750), (3, 3_500), (4, 7_000)])
    func transientRetries(kind: Failure.Kind, step: (Int, Int64)) {
        let (onKey, milliseconds) = step
        let decision = Self.policy.decide(after: Failure(kind), context: Self.context(onKey: onKey))
        // 1 s · 2ⁿ⁻¹ · 0.875
        #expect(decision == .retry(after: .milliseconds(milliseconds)))
        #expect(decision == .retry(after: Self.policy.serverBackoff.delay(forRetry: onKey, random: 0.5)))
    }

    @Test("on the last attempt on a key a transient failure stops without blaming the key", arguments: transient)
    func transientStops(kind: Failure.Kind) {
        #expect(Self.policy.decide(after: Failure(kind), context: Self.context(onKey: 5)) == .stop(.notAtFault))
        let two = ClassifyingRetryPolicy(maxAttemptsPerKey: 2, random: .constant(0.5))
        #expect(two.decide(after: Failure(kind), context: Self.context(onKey: 2)) == .stop(.notAtFault))
    }

    @Test(
        "blocked, bad request and other stop at once",
        arguments: [Failure.Kind.blocked(reason: "SAFETY"), .badRequest(status: 400), .badRequest(status: 404), .other])
    func finalFailuresStop(kind: Failure.Kind) {
        #expect(Self.policy.decide(after: Failure(kind), context: Self.context(onKey: 1)) == .stop(.notAtFault))
    }

    @Test("a jitter source outside 0..<1 never stretches a delay past the backoff's maximum")
    func clampedRandomness() {
        let wild = ClassifyingRetryPolicy(random: .constant(7))
        for onKey in 1...4 {
            guard case .retry(let delay) = wild.decide(after: Failure(.timeout), context: Self.context(onKey: onKey)) else {
                Issue.record("expected a retry")
                continue
            }
            #expect(delay <= wild.serverBackoff.maximum)
            #expect(delay > .zero)
        }
    }

    @Test("the same input gives the same decision")
    func deterministic() {
        let failure = Self.rateLimited(.perMinute)
        let context = Self.context(onKey: 2)
        #expect(Self.policy.decide(after: failure, context: context) == Self.policy.decide(after: failure, context: context))
        let seededA = ClassifyingRetryPolicy(random: .seeded(7))
        let seededB = ClassifyingRetryPolicy(random: .seeded(7))
        for _ in 0..<10 {
            #expect(seededA.decide(after: failure, context: context) == seededB.decide(after: failure, context: context))
        }
    }

    // MARK: ClassifyingRetryPolicy.validate

    @Test("the defaults are valid")
    func defaultsValid() throws {
        try ClassifyingRetryPolicy().validate()
        try ClassifyingRetryPolicy.classifying(maxAttemptsPerKey: 1).validate()
    }

    @Test("validate rejects fewer than one attempt per key", arguments: [0, -1, Int.min])
    func rejectsZeroAttempts(attempts: Int) {
        #expect(throws: ConfigurationError.self) { try ClassifyingRetryPolicy(maxAttemptsPerKey: attempts).validate() }
    }

    @Test("validate rejects a bad backoff, a negative maxServerDelay and a zero dailyCooldown")
    func rejectsBadSettings() {
        let badBackoff = Backoff(initial: .seconds(1), multiplier: 0.5, maximum: .seconds(30))
        #expect(throws: ConfigurationError.self) { try ClassifyingRetryPolicy(serverBackoff: badBackoff).validate() }
        #expect(throws: ConfigurationError.self) { try ClassifyingRetryPolicy(rateLimitBackoff: badBackoff).validate() }
        #expect(throws: ConfigurationError.self) { try ClassifyingRetryPolicy(maxServerDelay: .seconds(-1)).validate() }
        #expect(throws: ConfigurationError.self) { try ClassifyingRetryPolicy(dailyCooldown: .zero).validate() }
    }

    // MARK: FixedDelayRetryPolicy

    static let fixed = FixedDelayRetryPolicy(maxAttempts: 3, delay: .seconds(2))

    @Test("transient failures retry the same key after the fixed delay up to maxAttempts", arguments: transient)
    func fixedRetriesTransient(kind: Failure.Kind) {
        #expect(Self.fixed.decide(after: Failure(kind), context: Self.context(onKey: 1)) == .retry(after: .seconds(2)))
        #expect(Self.fixed.decide(after: Failure(kind), context: Self.context(onKey: 2)) == .retry(after: .seconds(2)))
        #expect(Self.fixed.decide(after: Failure(kind), context: Self.context(onKey: 3)) == .stop(.notAtFault))
    }

    @Test("a rate limit waits the server's delay when given, else the fixed delay")
    func fixedRateLimits() {
        #expect(Self.fixed.decide(after: Self.rateLimited(.perMinute, after: .milliseconds(7500)), context: Self.context(onKey: 1))
            == .retry(after: .milliseconds(7500)))
        #expect(Self.fixed.decide(after: Self.rateLimited(.unknown), context: Self.context(onKey: 2)) == .retry(after: .seconds(2)))
        #expect(Self.fixed.decide(after: Self.rateLimited(.perMinute), context: Self.context(onKey: 3)) == .stop(.notAtFault))
    }

    @Test("maxAttempts counts every attempt of the call, across keys")
    func fixedCountsWholeCall() {
        let context = RetryContext(attemptOnKey: 1, attempt: 3)
        #expect(Self.fixed.decide(after: Failure(.timeout), context: context) == .stop(.notAtFault))
    }

    @Test("an invalid or denied key is disabled and the call rotates", arguments: [Failure.Kind.invalidKey, .permissionDenied])
    func fixedRotatesOnBadKey(kind: Failure.Kind) {
        for attempt in [1, 3] {
            let decision = Self.fixed.decide(after: Failure(kind), context: Self.context(onKey: attempt))
            guard case .rotate(.disable(.key, _), after: .zero) = decision else {
                Issue.record("expected a rotation disabling the key, got \(decision)")
                continue
            }
        }
    }

    @Test(
        "anything else stops at once",
        arguments: [Failure.Kind.billing, .blocked(reason: "SAFETY"), .badRequest(status: 400), .other])
    func fixedStopsOtherwise(kind: Failure.Kind) {
        #expect(Self.fixed.decide(after: Failure(kind), context: Self.context(onKey: 1)) == .stop(.notAtFault))
    }

    @Test("validate rejects zero attempts and a negative delay, accepts the defaults")
    func fixedValidate() throws {
        try FixedDelayRetryPolicy().validate()
        try FixedDelayRetryPolicy(maxAttempts: 1, delay: .zero).validate()
        #expect(throws: ConfigurationError.self) { try FixedDelayRetryPolicy(maxAttempts: 0).validate() }
        #expect(throws: ConfigurationError.self) { try FixedDelayRetryPolicy(maxAttempts: -3).validate() }
        #expect(throws: ConfigurationError.self) { try FixedDelayRetryPolicy(delay: .seconds(-1)).validate() }
        #expect(throws: ConfigurationError.self) { try FixedDelayRetryPolicy.fixedDelay(maxAttempts: 0).validate() }
    }

    @Test("the static shorthands carry their settings")
    func shorthands() {
        let fixed = FixedDelayRetryPolicy.fixedDelay(maxAttempts: 4, delay: .milliseconds(250))
        #expect(fixed.maxAttempts == 4)
        #expect(fixed.delay == .milliseconds(250))
        let classifying = ClassifyingRetryPolicy.classifying(maxAttemptsPerKey: 2)
        #expect(classifying.maxAttemptsPerKey == 2)
    }
}
