/// What a server said about its rate limits in an answer's headers (OpenAI's
/// `x-ratelimit-limit-requests`, `x-ratelimit-remaining-requests`, `x-ratelimit-reset-requests`
/// and the same for tokens). A provider reads them (``Provider/serverRateLimits(in:)``); a
/// limiter that follows the server adapts its pace to them.
public struct ServerRateLimits: Sendable, Hashable {
    /// Requests the window allows.
    public var requestLimit: Int?
    /// Requests left in the window.
    public var requestsRemaining: Int?
    /// Time until the request budget is whole again.
    public var requestsReset: Duration?
    /// Tokens the window allows.
    public var tokenLimit: Int?
    /// Tokens left in the window.
    public var tokensRemaining: Int?
    /// Time until the token budget is whole again.
    public var tokensReset: Duration?
    /// The window the limits count over (OpenAI's are per minute).
    public var window: Duration

    /// Limits as read from an answer; negative or zero limits (placeholders some servers send)
    /// count as unknown.
    public init(
        requestLimit: Int? = nil, requestsRemaining: Int? = nil, requestsReset: Duration? = nil,
        tokenLimit: Int? = nil, tokensRemaining: Int? = nil, tokensReset: Duration? = nil,
        window: Duration = .seconds(60)
    ) {
        self.requestLimit = requestLimit.flatMap { $0 > 0 ? $0 : nil }
        self.requestsRemaining = requestsRemaining.flatMap { $0 >= 0 ? $0 : nil }
        self.requestsReset = requestsReset.flatMap { $0 >= .zero ? $0 : nil }
        self.tokenLimit = tokenLimit.flatMap { $0 > 0 ? $0 : nil }
        self.tokensRemaining = tokensRemaining.flatMap { $0 >= 0 ? $0 : nil }
        self.tokensReset = tokensReset.flatMap { $0 >= .zero ? $0 : nil }
        self.window = window > .zero ? window : .seconds(60)
    }

    /// Whether the answer said anything at all.
    public var isEmpty: Bool {
        requestLimit == nil && requestsRemaining == nil && tokenLimit == nil && tokensRemaining == nil
    }

    /// When a budget is spent (remaining 0 with a reset time): the instant there is room again.
    /// The reset is the time until the budget is *whole* again; the budget refills as it goes
    /// (OpenAI's limits refill continuously; a sliding window frees its oldest request first), so
    /// a spent request budget has room for one more request after the reset's share of one
    /// request, `reset ÷ limit` — about the pace's interval when the group is paced at the limit.
    /// Holding until the whole reset idled a key paced at its limit for most of every window.
    /// A spent token budget holds until its reset (how many tokens the next call needs is unknown).
    func exhaustedUntil(after now: GatewayClock.Instant) -> GatewayClock.Instant? {
        var until: GatewayClock.Instant?
        if requestsRemaining == 0, let reset = requestsReset { until = now.advanced(by: requestLimit.map { reset / $0 } ?? reset) }
        if tokensRemaining == 0, let reset = tokensReset { until = max(until ?? now, now.advanced(by: reset)) }
        return until
    }

    /// The pace these limits allow, shaped like `base` (its burst and daily limit kept), or `nil`
    /// when the answer named no limit.
    func limit(basedOn base: RateLimit) -> RateLimit? {
        guard requestLimit != nil || tokenLimit != nil else { return nil }
        var learned = base
        if let requestLimit {
            learned.requests = requestLimit
            learned.period = window
            learned.burst = 1
        }
        if let tokenLimit {
            let perMinute = Double(tokenLimit) * 60 / window.secondsDouble
            learned.tokensPerMinute = max(1, Int(perMinute.rounded(.down).clamped(to: 1...9e15)))
        }
        return learned
    }
}

extension Double {
    fileprivate func clamped(to range: ClosedRange<Double>) -> Double { min(max(self, range.lowerBound), range.upperBound) }
}

/// How a ``TokenBucketRateLimiter`` treats the limits servers announce.
public struct ServerPacing: Sendable, Hashable {
    /// Whether answers' limits change the pace.
    public var follows: Bool
    /// The fastest pace the limiter may take, whatever the server says (`nil`: the server's).
    public var ceiling: RateLimit?
    /// How far under the announced rate to pace (as ``RateLimit/withHeadroom(_:)``).
    public var headroom: Double

    /// Ignore announced limits: pace at the configured rate (the default).
    public static let ignore = ServerPacing(follows: false, ceiling: nil, headroom: 0)

    /// Pace at what the server announces, `headroom` under it, never faster than `ceiling`.
    public static func follow(ceiling: RateLimit? = nil, headroom: Double = 0.02) -> ServerPacing {
        ServerPacing(follows: true, ceiling: ceiling, headroom: headroom)
    }
}
