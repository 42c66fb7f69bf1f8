/// One attempt of a call, as kept in the trail of a ``GatewayError``. Carries the key's label,
/// never its text.
public struct AttemptRecord: Sendable, Hashable, CustomStringConvertible {
    /// The attempt's number within the call (1-based).
    public let number: Int
    /// The key used, by label (e.g. `#2`).
    public let keyLabel: String
    /// The key used, by position.
    public let keyID: KeyID
    /// The failure, or `nil` for the successful last attempt.
    public let failure: Failure?
    /// What the policy decided after it.
    public let decision: RetryDecision?
    /// When it was sent, on the gateway's clock.
    public let at: GatewayClock.Instant

    /// One line: the attempt's number, key, instant, outcome and the policy's decision.
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

extension VerdictReach {
    var shortText: String {
        switch self {
        case .key: "key"
        case .quotaGroup: "group"
        case .model(let model): "group for \(model)"
        }
    }
}

extension KeyVerdict {
    var shortText: String {
        switch self {
        case .notAtFault: "key not at fault"
        case .coolDown(let duration, let reach, let reason): "\(reach.shortText) cools \(duration.formattedSeconds): \(reason)"
        case .disable(let reach, let reason): "\(reach.shortText) disabled: \(reason)"
        }
    }
}

/// A call through the gateway ended without a result. Every case carries the attempt trail.
///
/// Read what happened from ``kind`` (a `switch` with a `default`: kinds may be added) and the
/// accessor of that kind, or print ``reason`` for one line.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    /// What ended the call.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The retry policy stopped on a failure: ``GatewayError/failure``.
        public static let failed = Kind("failed")
        /// Every key was disabled or rotated away from: ``GatewayError/exhaustedKeys``.
        public static let keysExhausted = Kind("keys_exhausted")
        /// The call's deadline passed, or its next wait would pass it: ``GatewayError/deadline``.
        public static let deadlineExceeded = Kind("deadline_exceeded")
        /// The wait for pacing or for a cooling key was longer than the call may queue
        /// (``GatewayOptions/maxQueueWait``): ``GatewayError/queueWait``. Nobody's key health changed.
        public static let queueWaitExceeded = Kind("queue_wait_exceeded")
        /// The provider could not encode the request: ``GatewayError/invalidRequestReason``.
        public static let invalidRequest = Kind("invalid_request")
        /// The rate limiter can never admit the request: ``GatewayError/rateLimiterError``.
        public static let rateLimiterRefused = Kind("rate_limiter_refused")

        /// A payload-free name, for metric labels.
        public var description: String { name }
    }

    private enum Code: Sendable {
        case failed(Failure)
        case keysExhausted(KeysExhaustedError)
        case deadlineExceeded(Duration)
        case queueWaitExceeded(estimate: Duration, limit: Duration)
        case invalidRequest(String)
        case rateLimiterRefused(RateLimiterError)
    }

    private let code: Code
    /// The task that made the call.
    public let task: TaskID
    /// Every attempt of the call, in order.
    public let attempts: [AttemptRecord]

    static func failed(_ failure: Failure, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .failed(failure), task: task, attempts: attempts)
    }
    static func keysExhausted(_ error: KeysExhaustedError, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .keysExhausted(error), task: task, attempts: attempts)
    }
    static func deadlineExceeded(_ deadline: Duration, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .deadlineExceeded(deadline), task: task, attempts: attempts)
    }
    static func queueWaitExceeded(estimate: Duration, limit: Duration, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .queueWaitExceeded(estimate: estimate, limit: limit), task: task, attempts: attempts)
    }
    static func invalidRequest(_ reason: String, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .invalidRequest(reason), task: task, attempts: attempts)
    }
    static func rateLimiterRefused(_ error: RateLimiterError, task: TaskID, attempts: [AttemptRecord]) -> Self {
        Self(code: .rateLimiterRefused(error), task: task, attempts: attempts)
    }

    /// What ended the call.
    public var kind: Kind {
        switch code {
        case .failed: .failed
        case .keysExhausted: .keysExhausted
        case .deadlineExceeded: .deadlineExceeded
        case .queueWaitExceeded: .queueWaitExceeded
        case .invalidRequest: .invalidRequest
        case .rateLimiterRefused: .rateLimiterRefused
        }
    }

    /// The failure that ended the call, or the last one seen.
    public var failure: Failure? {
        if case .failed(let failure) = code { return failure }
        return attempts.last?.failure
    }
    /// The per-key fates, when every key was exhausted.
    public var exhaustedKeys: KeysExhaustedError? { if case .keysExhausted(let error) = code { error } else { nil } }
    /// The deadline that passed, when the deadline ended the call.
    public var deadline: Duration? { if case .deadlineExceeded(let deadline) = code { deadline } else { nil } }
    /// The estimated wait and the call's limit, when the wait was too long.
    public var queueWait: (estimate: Duration, limit: Duration)? {
        if case .queueWaitExceeded(let estimate, let limit) = code { (estimate, limit) } else { nil }
    }
    /// Why the provider could not encode the request.
    public var invalidRequestReason: String? { if case .invalidRequest(let reason) = code { reason } else { nil } }
    /// The limiter's refusal.
    public var rateLimiterError: RateLimiterError? { if case .rateLimiterRefused(let error) = code { error } else { nil } }

    /// Whether every key was exhausted.
    public var isKeysExhausted: Bool { kind == .keysExhausted }
    /// Whether the deadline ended the call.
    public var isDeadlineExceeded: Bool { kind == .deadlineExceeded }

    /// A payload-free name, for metric labels: the failure's kind, or the error's.
    public var shortDescription: String {
        if case .failed(let failure) = code { return failure.kind.name }
        return kind.description
    }

    /// One line that says why the call ended, without the attempt trail.
    public var reason: String {
        switch code {
        case .failed(let failure): "call failed: \(failure)"
        case .keysExhausted(let error): "\(error)"
        case .deadlineExceeded(let deadline): "deadline of \(deadline.formattedSeconds) exceeded"
        case .queueWaitExceeded(let estimate, let limit):
            "the wait of about \(estimate.formattedSeconds) exceeds the queue limit of \(limit.formattedSeconds)"
        case .invalidRequest(let reason): "invalid request: \(reason)"
        case .rateLimiterRefused(let error): "\(error)"
        }
    }

    /// The task and the ``reason``, then the attempt trail, one line per attempt.
    public var description: String {
        let trail = attempts.map { "  " + $0.description }.joined(separator: "\n")
        return "task \(task): \(reason)" + (trail.isEmpty ? "" : "\n" + trail)
    }
}
