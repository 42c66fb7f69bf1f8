/// What to do after a failed attempt.
public enum RetryDecision: Sendable, Hashable {
    /// Try again with the same key after the delay.
    case retry(after: Duration)
    /// Give up on this key for this call (applying the verdict for every task), then continue
    /// with another key after the delay.
    case rotate(KeyVerdict, after: Duration)
    /// End the call with the failure, applying the verdict.
    case stop(KeyVerdict)
}

/// Where a call stands when its policy is asked to decide.
public struct RetryContext: Sendable {
    /// Attempts made with the current key in this call, the failed one included (1-based).
    public var attemptOnKey: Int
    /// Attempts made in this call, the failed one included (1-based).
    public var attempt: Int
    /// Distinct keys this call has used, the current one included.
    public var keysTried: Int
    /// Keys the gateway manages.
    public var keyCount: Int
    /// The call's quota scope (e.g. its model), when the provider keeps quotas per scope.
    public var quotaScope: String?

    public init(attemptOnKey: Int, attempt: Int, keysTried: Int, keyCount: Int, quotaScope: String? = nil) {
        self.attemptOnKey = attemptOnKey
        self.attempt = attempt
        self.keysTried = keysTried
        self.keyCount = keyCount
        self.quotaScope = quotaScope
    }

    /// The verdict scope for a quota that is spent: the call's scope of the group when it has
    /// one, else the whole group.
    public var quotaVerdictScope: KeyScope { quotaScope.map(KeyScope.quotaGroupScope) ?? .quotaGroup }
}

/// A pure decision from a classified failure to retry, rotate or stop.
///
/// Policies sleep nowhere and touch no shared state: the gateway applies their decisions.
public protocol RetryPolicy: Sendable {
    /// Decides what follows `failure`.
    func decide(after failure: Failure, context: RetryContext) -> RetryDecision

    /// Checks the policy's settings; called once when the gateway is built.
    func validate() throws(ConfigurationError)
}

extension RetryPolicy {
    public func validate() throws(ConfigurationError) {}
}
