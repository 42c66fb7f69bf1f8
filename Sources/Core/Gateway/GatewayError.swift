/// One attempt of a call, as kept in the trail of a ``GatewayError``. Carries the key's label,
/// never its text.
public struct AttemptRecord: Sendable, Hashable, CustomStringConvertible {
    /// The attempt's number within the call (1-based).
    public let number: Int
    /// The key used, by label (e.g. `#2`).
    public let keyLabel: String
    public let keyID: KeyID
    /// The failure, or `nil` for the successful last attempt.
    public let failure: Failure?
    /// What the policy decided after it.
    public let decision: RetryDecision?
    /// When it was sent, on the gateway's clock.
    public let at: GatewayClock.Instant

    public var description: String {
        var text = "attempt \(number) on \(keyLabel) at \(at): " + (failure.map { "\($0)" } ?? "ok")
        switch decision {
        case .retry(let delay)?: text += " → retry same key after \(delay.formattedSeconds)"
        case .rotate(let verdict, let delay)?: text += " → rotate (\(verdict.shortText)) after \(delay.formattedSeconds)"
        case .stop?: text += " → stop"
        case nil: break
        }
        return text
    }
}

extension KeyScope {
    var shortText: String {
        switch self {
        case .key: "key"
        case .quotaGroup: "group"
        case .quotaGroupScope(let scope): "group for \(scope)"
        }
    }
}

extension KeyVerdict {
    var shortText: String {
        switch self {
        case .notAtFault: "key not at fault"
        case .coolDown(let duration, let scope, let reason): "\(scope.shortText) cools \(duration.formattedSeconds): \(reason)"
        case .disable(let scope, let reason): "\(scope.shortText) disabled: \(reason)"
        }
    }
}

/// A call through the gateway ended without a result. Every case carries the attempt trail.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case failed(Failure)
        case keysExhausted(KeysExhaustedError)
        case deadlineExceeded(Duration)
        case invalidRequest(String)
        case rateLimiterRefused(RateLimiterError)
    }

    private let code: Code
    /// The task that made the call.
    public let task: TaskID
    /// Every attempt of the call, in order.
    public let attempts: [AttemptRecord]

    /// The retry policy stopped on `failure` (blocked prompt, bad request, persistent server error, …).
    static func failed(_ failure: Failure, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .failed(failure), task: task, attempts: attempts)
    }
    /// Every key was disabled or rotated away from.
    static func keysExhausted(_ error: KeysExhaustedError, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .keysExhausted(error), task: task, attempts: attempts)
    }
    /// The call's deadline passed, or the next wait would pass it.
    static func deadlineExceeded(_ deadline: Duration, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .deadlineExceeded(deadline), task: task, attempts: attempts)
    }
    /// The provider could not encode the request.
    static func invalidRequest(_ reason: String, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .invalidRequest(reason), task: task, attempts: attempts)
    }
    /// The rate limiter can never admit the request.
    static func rateLimiterRefused(_ error: RateLimiterError, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .rateLimiterRefused(error), task: task, attempts: attempts)
    }

    /// The failure that ended the call, or the last one seen.
    public var failure: Failure? {
        if case .failed(let failure) = code { return failure }
        return attempts.last?.failure
    }

    /// Whether every key was exhausted.
    public var isKeysExhausted: Bool { if case .keysExhausted = code { true } else { false } }
    /// Whether the deadline ended the call.
    public var isDeadlineExceeded: Bool { if case .deadlineExceeded = code { true } else { false } }
    /// The per-key fates, when every key was exhausted.
    public var exhaustedKeys: KeysExhaustedError? { if case .keysExhausted(let error) = code { error } else { nil } }

    /// A payload-free name, for metric labels.
    public var shortDescription: String {
        switch code {
        case .failed(let failure): failure.kind.name
        case .keysExhausted: "keys_exhausted"
        case .deadlineExceeded: "deadline_exceeded"
        case .invalidRequest: "invalid_request"
        case .rateLimiterRefused: "rate_limiter_refused"
        }
    }

    public var description: String {
        let head: String = switch code {
        case .failed(let failure): "call failed: \(failure)"
        case .keysExhausted(let error): "\(error)"
        case .deadlineExceeded(let deadline): "deadline of \(deadline.formattedSeconds) exceeded"
        case .invalidRequest(let reason): "invalid request: \(reason)"
        case .rateLimiterRefused(let error): "\(error)"
        }
        let trail = attempts.map { "  " + $0.description }.joined(separator: "\n")
        return "task \(task): \(head)" + (trail.isEmpty ? "" : "\n" + trail)
    }
}
