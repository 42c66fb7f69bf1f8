import GatewayCore
import MockTransport
import Testing

/// Bad configuration fails when the gateway is built, with a ``ConfigurationError``, never at call time.
@Suite("Configuration: rate parsing, validation and builder checks")
struct ConfigurationTests {
    static let secrets = ["AQ.config-secret-one-0001", "AIza.ConfigSecretTwo-0002", "AQ.config-secret-three-0003"]

    /// A complete builder that builds.
    static func builder(keys: [String] = secrets) -> GatewayBuilder<TestProvider> {
        Gateway.builder()
            .keys(keys)
            .transport(MockTransport())
            .provider(TestProvider())
    }

    // MARK: RateLimit.parse

    @Test(
        "parse accepts the documented forms",
        arguments: [
            ("15/60s", 15, Duration.seconds(60)),
            ("15/min", 15, .seconds(60)),
            ("1000/60s", 1000, .seconds(60)),
            ("15/3s", 15, .seconds(3)),
            ("2/500ms", 2, .milliseconds(500)),
            ("10/day", 10, .seconds(86_400)),
            ("100/h", 100, .seconds(3600)),
            ("30/1.5s", 30, .milliseconds(1500)),
            (" 15 / 60s ", 15, .seconds(60)),
            ("15/60S", 15, .seconds(60)),
        ])
    func parseAccepts(text: String, requests: Int, period: Duration) throws {
        let limit = try RateLimit.parse(text)
        #expect(limit.requests == requests)
        #expect(limit.period == period)
        #expect(limit.burst == 1)
        #expect(limit.tokensPerMinute == nil)
        #expect(limit.requestsPerDay == nil)
    }

    @Test("parse carries the burst, and 15/min equals the free tier")
    func parseBurst() throws {
        #expect(try RateLimit.parse("15/60s", burst: 4).burst == 4)
        #expect(try RateLimit.parse("15/min") == .geminiFreeTier)
        #expect(try RateLimit.parse("15/min").emissionInterval == .seconds(4))
    }

    @Test(
        "parse rejects zero, negative, NaN and garbage with a ConfigurationError",
        arguments: [
            "0/60s", "-1/60s", "15/0s", "nan/60s", "15/nans", "abc", "15/60parsecs", "",
            "15/", "/60s", "15/-5s", "15/0.0000000001s", "15/60s/2", "15/.s", "1.5/60s", "15/1e3s",
        ])
    func parseRejects(text: String) {
        #expect(throws: ConfigurationError.self) { try RateLimit.parse(text) }
    }

    @Test("parse rejects a burst below 1", arguments: [0, -1])
    func parseRejectsBurst(burst: Int) {
        #expect(throws: ConfigurationError.self) { try RateLimit.parse("15/60s", burst: burst) }
    }

    // MARK: RateLimit.validate

    @Test(
        "validate rejects zero or negative counts, periods and bursts",
        arguments: [
            RateLimit(requests: 0, per: .seconds(60)),
            RateLimit(requests: -1, per: .seconds(60)),
            RateLimit(requests: 15, per: .zero),
            RateLimit(requests: 15, per: .seconds(-60)),
            RateLimit(requests: 15, per: .seconds(60), burst: 0),
            RateLimit(requests: 15, per: .seconds(60), burst: -2),
            RateLimit(requests: 15, per: .seconds(60), tokensPerMinute: 0),
            RateLimit(requests: 15, per: .seconds(60), tokensPerMinute: -5),
            RateLimit(requests: 15, per: .seconds(60), requestsPerDay: 0),
            RateLimit(requests: 15, per: .seconds(60), requestsPerDay: -1),
            RateLimit(requests: 15, per: .seconds(60), requestsPerDay: 100, firstDailyReset: .zero),
        ])
    func validateRejects(limit: RateLimit) {
        #expect(throws: ConfigurationError.self) { try limit.validate() }
    }

    @Test(
        "validate accepts sensible limits",
        arguments: [
            RateLimit.geminiFreeTier,
            RateLimit.perMinute(1000, burst: 50),
            RateLimit(requests: 15, per: .seconds(60), burst: 3, tokensPerMinute: 1_000_000, requestsPerDay: 1500,
                      firstDailyReset: .seconds(10)),
        ])
    func validateAccepts(limit: RateLimit) throws {
        try limit.validate()
    }

    // MARK: The builder

    @Test("a complete builder builds with the keys in order")
    func builds() throws {
        let gateway = try Self.builder().build()
        #expect(gateway.keys.map { $0.revealSecret() } == Self.secrets)
        #expect(gateway.keyWarnings.isEmpty)
    }

    @Test("a zero-request token bucket throws at build")
    func zeroRateThrowsAtBuild() {
        let builder = Self.builder().rateLimit(.tokenBucket(RateLimit(requests: 0, per: .seconds(60))))
        #expect(throws: ConfigurationError.self) { try builder.build() }
    }

    @Test(
        "any invalid token bucket throws at build",
        arguments: [
            RateLimit(requests: 15, per: .zero),
            RateLimit(requests: 15, per: .seconds(60), burst: 0),
            RateLimit(requests: 15, per: .seconds(60), tokensPerMinute: 0),
            RateLimit(requests: 15, per: .seconds(60), requestsPerDay: 0),
        ])
    func invalidBucketThrowsAtBuild(limit: RateLimit) {
        #expect(throws: ConfigurationError.self) { try Self.builder().rateLimit(.tokenBucket(limit)).build() }
        #expect(throws: ConfigurationError.self) {
            try Self.builder().rateLimit(.tokenBucket(.geminiFreeTier, overrides: [QuotaGroup("p"): limit])).build()
        }
    }

    @Test("the requests/period shorthand is validated too")
    func shorthandValidated() {
        #expect(throws: ConfigurationError.self) {
            try Self.builder().rateLimit(.tokenBucket(requests: -3, per: .seconds(60))).build()
        }
        #expect(throws: ConfigurationError.self) {
            try Self.builder().rateLimit(.tokenBucket(requests: 15, per: .zero)).build()
        }
    }

    @Test("a builder without keys throws missingComponent")
    func missingKeys() {
        let error = #expect(throws: ConfigurationError.self) {
            try Gateway.builder().transport(MockTransport()).provider(TestProvider()).build()
        }
        #expect(error?.description.contains("needs a key source") == true)
    }

    @Test("a builder without a transport throws missingComponent")
    func missingTransport() {
        let error = #expect(throws: ConfigurationError.self) {
            try Gateway.builder().keys(Self.secrets).provider(TestProvider()).build()
        }
        #expect(error?.description.contains("needs a transport") == true)
    }

    @Test("a builder without a provider throws missingComponent")
    func missingProvider() {
        let error = #expect(throws: ConfigurationError.self) {
            try Gateway.builder().keys(Self.secrets).transport(MockTransport()).build()
        }
        #expect(error?.description.contains("needs a provider") == true)
    }

    @Test("an all-empty key list throws noKeys")
    func allEmptyKeys() {
        #expect(throws: ConfigurationError.noKeys("explicit list")) { try Self.builder(keys: ["", "  ", "\n\t"]).build() }
        #expect(throws: ConfigurationError.noKeys("explicit list")) { try Self.builder(keys: []).build() }
    }

    @Test("an environment without keys throws noKeys at build")
    func environmentWithoutKeys() {
        let builder = Self.builder().keys(.environment(prefix: "NOWHERE_KEY_", lookup: { _ in nil }))
        #expect(throws: ConfigurationError.noKeys("environment NOWHERE_KEY_1…N")) { try builder.build() }
    }

    @Test("duplicate keys build, and keyWarnings name the labels")
    func duplicatesWarn() throws {
        let gateway = try Self.builder(keys: [Self.secrets[0], Self.secrets[1], Self.secrets[0], " ", Self.secrets[1]]).build()
        #expect(gateway.keys.map { $0.revealSecret() } == [Self.secrets[0], Self.secrets[1]])
        try #require(gateway.keyWarnings.count == 3)
        #expect(gateway.keyWarnings[0].contains("#3 duplicates key #1"))
        #expect(gateway.keyWarnings[1].contains("#4"))
        #expect(gateway.keyWarnings[2].contains("#5 duplicates key #2"))
        for warning in gateway.keyWarnings {
            for secret in Self.secrets { #expect(!warning.contains(secret)) }
        }
    }

    @Test("a policy with zero attempts per key throws at build")
    func zeroAttemptsThrows() {
        #expect(throws: ConfigurationError.self) {
            try Self.builder().retryPolicy(.classifying(maxAttemptsPerKey: 0)).build()
        }
        #expect(throws: ConfigurationError.self) {
            try Self.builder().retryPolicy(ClassifyingRetryPolicy(maxAttemptsPerKey: 0)).build()
        }
        #expect(throws: ConfigurationError.self) {
            try Self.builder().retryPolicy(.fixedDelay(maxAttempts: 0)).build()
        }
    }

    @Test("a policy with a bad backoff throws at build")
    func badBackoffThrows() {
        let policy = ClassifyingRetryPolicy(serverBackoff: Backoff(initial: .seconds(1), multiplier: .nan, maximum: .seconds(5)))
        #expect(throws: ConfigurationError.self) { try Self.builder().retryPolicy(policy).build() }
    }

    @Test("valid policies build", arguments: [1, 5, 10])
    func validPoliciesBuild(attempts: Int) throws {
        _ = try Self.builder().retryPolicy(.classifying(maxAttemptsPerKey: attempts)).build()
        _ = try Self.builder().retryPolicy(.fixedDelay(maxAttempts: attempts)).build()
    }

    @Test("a non-positive timeout throws at build", arguments: [Duration.zero, .seconds(-1), .nanoseconds(-1)])
    func nonPositiveTimeouts(timeout: Duration) {
        #expect(throws: ConfigurationError.self) {
            try Self.builder().options(GatewayOptions(callTimeout: timeout)).build()
        }
        #expect(throws: ConfigurationError.self) {
            try Self.builder().options(GatewayOptions(attemptTimeout: timeout)).build()
        }
        #expect(throws: ConfigurationError.self) {
            try Self.builder().options(GatewayOptions(maxQueueWait: timeout)).build()
        }
    }

    @Test("positive or absent timeouts build")
    func validTimeouts() throws {
        _ = try Self.builder().options(GatewayOptions(callTimeout: .seconds(30), attemptTimeout: .seconds(10), maxQueueWait: .seconds(5))).build()
        _ = try Self.builder().options(GatewayOptions(callTimeout: nil, attemptTimeout: nil, maxQueueWait: nil)).build()
    }

    @Test("configuration errors compare by case and payload")
    func errorEquality() {
        #expect(ConfigurationError.noKeys("x") == .noKeys("x"))
        #expect(ConfigurationError.noKeys("x") != .noKeys("y"))
        #expect(ConfigurationError.noKeys("x") != .missingComponent("x"))
        #expect(ConfigurationError.invalidRate("x") != .invalidPolicy("x"))
        #expect(ConfigurationError.noKeys("explicit list").description.contains("GEMINI_API_KEY_1"))
    }
}
