/// Identifies a unit of work that holds a key lease: a file, a job, a conversation.
public struct TaskID: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The task's name.
    public let rawValue: String
    /// Names a task.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Names a task with a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// The task's name.
    public var description: String { rawValue }
}

/// What a key pool knows about one key's health.
public enum KeyHealth: Sendable, Hashable, CustomStringConvertible {
    /// Usable now.
    case active
    /// Out of rotation until `until`, then active again by itself.
    case cooling(until: GatewayClock.Instant, reason: String)
    /// Out of rotation for good (invalid, suspended, leaked, …).
    case disabled(reason: String)

    /// The health in words, with the instant and reason where there are any.
    public var description: String {
        switch self {
        case .active: "active"
        case .cooling(let until, let reason): "cooling until \(until) because \(reason)"
        case .disabled(let reason): "disabled because \(reason)"
        }
    }

    /// Whether the key is out for good.
    public var isDisabled: Bool { if case .disabled = self { true } else { false } }
}

/// Which keys a verdict concerns: the key that saw the failure, every key of its quota group
/// (project), or every key of the group for calls to one model only.
public enum VerdictReach: Sendable, Hashable {
    /// The key alone.
    case key
    /// Every key of the key's quota group.
    case quotaGroup
    /// Every key of the quota group, for calls to this model only (see ``QuotaGroup/model``):
    /// a model's daily quota spent on a project leaves the project's other models usable.
    case model(String)
}

/// What a failure says about the key that saw it; decided by the retry policy, applied by the pool.
public enum KeyVerdict: Sendable, Hashable {
    /// The key is not to blame (server error, timeout, blocked prompt, …).
    case notAtFault
    /// Take the key (or the keys it reaches) out of rotation for `duration`.
    case coolDown(for: Duration, reach: VerdictReach, reason: String)
    /// Take the key (or the keys it reaches) out of rotation for good.
    case disable(reach: VerdictReach, reason: String)
}

/// The pool's answer to a request for a key.
public enum KeySelection: Sendable, Hashable {
    /// Use this key now.
    case use(APIKey)
    /// Every eligible key is cooling down; the earliest returns at `until`.
    case waitUntil(GatewayClock.Instant)
}

/// A short summary of an attempt's outcome, kept in counters.
public enum AttemptOutcome: Sendable, Hashable {
    /// The attempt got its answer.
    case success
    /// The attempt failed with this kind.
    case failure(Failure.Kind)
}

/// Thrown when no key is left for a task: each is disabled or was excluded by the task.
public struct KeysExhaustedError: Error, Sendable, CustomStringConvertible {
    /// The state of every key at the moment of exhaustion (masked).
    public let keys: [KeySnapshot]
    /// Keys that the task itself had excluded (rotated away from) in this call.
    public let excluded: Set<KeyID>

    /// Describes an exhaustion; ``KeyBook/exhaustion(excluding:at:)`` makes one for you.
    public init(keys: [KeySnapshot], excluded: Set<KeyID>) {
        self.keys = keys
        self.excluded = excluded
    }

    /// Every key's label, masked form and fate, in one line.
    public var description: String {
        let fates = keys.map { key in
            let excludedNote = excluded.contains(key.id) ? "tried and rotated away from; " : ""
            return "\(key.label)(\(key.masked)): \(excludedNote)\(key.health)"
        }
        return "all \(keys.count) keys exhausted: " + fates.joined(separator: "; ")
    }
}
