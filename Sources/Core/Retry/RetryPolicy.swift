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
    /// The call's model, when the provider keeps quotas per model.
    public var model: String?

    /// Describes where a call stands.
    public init(attemptOnKey: Int, attempt: Int, model: String? = nil) {
        self.attemptOnKey = attemptOnKey
        self.attempt = attempt
        self.model = model
    }

    /// Which keys a spent quota concerns: the project's keys for the call's model when the call
    /// has one, else the whole project.
    public var quotaReach: VerdictReach { model.map(VerdictReach.model) ?? .quotaGroup }
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
    /// Accepts any settings.
    public func validate() throws(ConfigurationError) {}
}
