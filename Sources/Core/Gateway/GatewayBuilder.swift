import CoreMetrics
import Logging

/// How a gateway makes its key provider from the loaded keys.
public struct KeyProviderChoice: Sendable {
    let make: @Sendable ([APIKey]) -> any KeyProvider

    /// One dedicated key per task (the original design's semantics, fixed). The default.
    public static let dedicated = KeyProviderChoice.strategy(DedicatedKeyStrategy())
    /// The next key in turn for every call.
    public static let roundRobin = KeyProviderChoice.strategy(RoundRobinKeyStrategy())
    /// An in-process ``KeyPool`` that chooses with your `strategy`; the pool keeps every rule.
    /// With `learning`, keys without a declared project that rate limits show to share a quota
    /// are paced, cooled and spread as one group.
    public static func strategy(_ strategy: some KeyStrategy, learning: SharedQuotaLearning? = nil) -> KeyProviderChoice {
        KeyProviderChoice { KeyPool(keys: $0, strategy: strategy, learning: learning) }
    }

    /// One dedicated key per task, learning which undeclared keys share a quota.
    public static func dedicated(learning: SharedQuotaLearning) -> KeyProviderChoice {
        .strategy(DedicatedKeyStrategy(), learning: learning)
    }
    /// Your own provider, for state kept elsewhere (another process, a database).
    public static func custom(_ make: @escaping @Sendable ([APIKey]) -> any KeyProvider) -> KeyProviderChoice {
        KeyProviderChoice(make: make)
    }
}

/// How a gateway makes its rate limiter, given its clock.
public struct RateLimiterChoice: Sendable {
    let make: @Sendable (GatewayClock) throws(ConfigurationError) -> any RateLimiter

    /// A token bucket per quota group; see ``TokenBucketRateLimiter``.
    public static func tokenBucket(_ limit: RateLimit, overrides: [QuotaGroup: RateLimit] = [:]) -> RateLimiterChoice {
        RateLimiterChoice { clock throws(ConfigurationError) in
            try TokenBucketRateLimiter(limit: limit, overrides: overrides, clock: clock)
        }
    }

    /// A token bucket per quota group that paces at the limits the server announces in its
    /// answers' headers (OpenAI's `x-ratelimit-*`), `headroom` under them, never faster than
    /// `ceiling`; `initial` until the first announcement.
    public static func followingServer(
        initial: RateLimit = .perMinute(60), ceiling: RateLimit? = nil, headroom: Double = 0.02
    ) -> RateLimiterChoice {
        RateLimiterChoice { clock throws(ConfigurationError) in
            try TokenBucketRateLimiter(
                limit: initial, clock: clock, serverPacing: .follow(ceiling: ceiling, headroom: headroom))
        }
    }

    /// `requests` per `period` per quota group, with a burst (1 = even spacing).
    public static func tokenBucket(requests: Int, per period: Duration, burst: Int = 1) -> RateLimiterChoice {
        tokenBucket(RateLimit(requests: requests, per: period, burst: burst))
    }

    /// No client-side pacing.
    public static let unlimited = RateLimiterChoice { UnlimitedRateLimiter(clock: $0) }

    /// Your own limiter.
    public static func custom(_ make: @escaping @Sendable (GatewayClock) -> any RateLimiter) -> RateLimiterChoice {
        RateLimiterChoice { clock in make(clock) }
    }
}

extension RetryPolicy where Self == ClassifyingRetryPolicy {
    /// The default classifying policy.
    public static func classifying(maxAttemptsPerKey: Int = 5, random: RandomSource = .system) -> ClassifyingRetryPolicy {
        ClassifyingRetryPolicy(maxAttemptsPerKey: maxAttemptsPerKey, random: random)
    }
}

extension RetryPolicy where Self == FixedDelayRetryPolicy {
    /// A fixed-delay policy.
    public static func fixedDelay(maxAttempts: Int = 3, delay: Duration = .seconds(1)) -> FixedDelayRetryPolicy {
        FixedDelayRetryPolicy(maxAttempts: maxAttempts, delay: delay)
    }
}

/// Collects a gateway's parts; ``build()`` validates them all, so bad settings fail here and
/// never at call time.
public struct GatewayBuilder<P: Provider>: Sendable {
    var keySource: KeySource?
    var keyProviderChoice = KeyProviderChoice.dedicated
    /// 2 % under the free tier, as gemini-batch paces: network jitter then never lands a
    /// request early inside the server's strict window (a 50-task run without it saw 3 × 429).
    var rateLimiterChoice = RateLimiterChoice.tokenBucket(.geminiFreeTier.withHeadroom(0.02))
    var retryPolicy: any RetryPolicy = ClassifyingRetryPolicy()
    var transport: (any Transport)?
    var provider: P?
    var clock = GatewayClock.continuous()
    var options = GatewayOptions()
    var logger = Logger(label: "llmgateway", factory: { _ in SwiftLogNoOpLogHandler() })
    var metricsFactory: (any MetricsFactory)?

    init() {}

    /// Where the keys come from.
    public func keys(_ source: KeySource) -> Self { with { $0.keySource = source } }
    /// Keys given in code.
    public func keys(_ secrets: [String]) -> Self { keys(.list(secrets)) }
    /// The key strategy (default ``KeyProviderChoice/dedicated``).
    public func keyProvider(_ choice: KeyProviderChoice) -> Self { with { $0.keyProviderChoice = choice } }
    /// The pacing (default: 15 requests per minute per quota group, evenly spaced, with 2 %
    /// headroom — one request every 4.08 s). A limit given here is taken as written; add
    /// `.withHeadroom(0.02)` to keep the same margin.
    public func rateLimit(_ choice: RateLimiterChoice) -> Self { with { $0.rateLimiterChoice = choice } }
    /// The retry policy (default ``ClassifyingRetryPolicy``).
    public func retryPolicy(_ policy: some RetryPolicy) -> Self { with { $0.retryPolicy = policy } }
    /// How requests travel.
    public func transport(_ transport: some Transport) -> Self { with { $0.transport = transport } }
    /// The time base (default `ContinuousClock`); tests pass a ``ManualClock``.
    public func clock<C: Clock>(_ clock: C) -> Self where C.Duration == Duration {
        with { $0.clock = GatewayClock(clock) }
    }
    /// Call and attempt time limits.
    public func options(_ options: GatewayOptions) -> Self { with { $0.options = options } }
    /// Where the gateway logs (trace and debug only; never key material). Silent by default.
    public func logger(_ logger: Logger) -> Self { with { $0.logger = logger } }
    /// Where counters go (default: the process's `MetricsSystem`).
    public func metrics(_ factory: any MetricsFactory) -> Self { with { $0.metricsFactory = factory } }

    /// The API to speak.
    public func provider<Q: Provider>(_ provider: Q) -> GatewayBuilder<Q> {
        var next = GatewayBuilder<Q>()
        next.keySource = keySource
        next.keyProviderChoice = keyProviderChoice
        next.rateLimiterChoice = rateLimiterChoice
        next.retryPolicy = retryPolicy
        next.transport = transport
        next.provider = provider
        next.clock = clock
        next.options = options
        next.logger = logger
        next.metricsFactory = metricsFactory
        return next
    }

    /// Validates everything and builds the gateway.
    /// - Throws: ``ConfigurationError`` for missing keys, bad rates, bad policy settings or missing parts.
    public func build() throws(ConfigurationError) -> Gateway<P> {
        guard let keySource else { throw .missingComponent("key source (.keys(…))") }
        guard let transport else { throw .missingComponent("transport (.transport(…))") }
        guard let provider, !(provider is NoProvider) else { throw .missingComponent("provider (.provider(…))") }
        do {
            try provider.validate()
        } catch {
            throw .invalidProvider("\(error)")
        }
        let keys = try KeySet(loading: keySource)
        try retryPolicy.validate()
        for timeout in [options.callTimeout, options.attemptTimeout, options.maxQueueWait] {
            if let timeout, timeout <= .zero { throw .invalidPolicy("timeouts must be longer than zero") }
        }
        let limiter = try rateLimiterChoice.make(clock)
        for warning in keys.warnings { logger.warning("\(warning)") }
        return Gateway(
            keys: keys, keyProvider: keyProviderChoice.make(keys.keys), rateLimiter: limiter,
            retryPolicy: retryPolicy, transport: transport, provider: provider, clock: clock,
            options: options, logger: logger, metricsFactory: metricsFactory ?? MetricsSystem.factory)
    }

    private func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}
