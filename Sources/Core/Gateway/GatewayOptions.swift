/// Time limits that apply to every call of a gateway.
public struct GatewayOptions: Sendable, Hashable {
    /// The longest one call may take, attempts and waits included; `nil` for no limit. A call
    /// whose next wait would pass it fails at once with a deadline error. Per-call deadlines
    /// passed to ``GatewayClient/send(_:deadline:)`` take precedence.
    public var callTimeout: Duration?
    /// The longest one attempt (one HTTP exchange) may take. Default 600 s.
    public var attemptTimeout: Duration?
    /// The longest a call waits for a rate limiter or for cooling keys before it gives up on
    /// that key (rotating) or fails. `nil` waits as long as the deadline allows.
    public var maxQueueWait: Duration?

    /// Creates options; the defaults set no call limit, 600 s per attempt and no queue-wait limit.
    public init(callTimeout: Duration? = nil, attemptTimeout: Duration? = .seconds(600), maxQueueWait: Duration? = nil) {
        self.callTimeout = callTimeout
        self.attemptTimeout = attemptTimeout
        self.maxQueueWait = maxQueueWait
    }
}
