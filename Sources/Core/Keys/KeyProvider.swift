/// Identifies a unit of work that holds a key lease: a file, a job, a conversation.
public struct TaskID: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
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

    public var description: String {
        switch self {
        case .active: "active"
        case .cooling(let until, let reason): "cooling until \(until) because \(reason)"
        case .disabled(let reason): "disabled because \(reason)"
        }
    }
}

/// Whether a verdict concerns one key, every key of its quota group (project), or every key of
/// the group for one quota scope only (e.g. one model).
public enum KeyScope: Sendable, Hashable {
    case key
    case quotaGroup
    /// Every key of the quota group, for calls in this quota scope only (see ``QuotaGroup/scope``):
    /// a model's daily quota spent on a project leaves the project's other models usable.
    case quotaGroupScope(String)
}

/// What a failure says about the key that saw it; decided by the retry policy, applied by the pool.
public enum KeyVerdict: Sendable, Hashable {
    /// The key is not to blame (server error, timeout, blocked prompt, …).
    case notAtFault
    /// Take the key (or its group) out of rotation for `duration`.
    case coolDown(for: Duration, scope: KeyScope, reason: String)
    /// Take the key (or its group) out of rotation for good.
    case disable(scope: KeyScope, reason: String)
}

/// The pool's answer to a request for a key.
public enum KeySelection: Sendable, Hashable {
    /// Use this key now.
    case use(APIKey)
    /// Every eligible key is cooling down; the earliest returns at `until`.
    case waitUntil(GatewayClock.Instant)
}

/// Thrown when no key is left for a task: each is disabled or was excluded by the task.
public struct KeysExhaustedError: Error, Sendable, CustomStringConvertible {
    /// The state of every key at the moment of exhaustion (masked).
    public let keys: [KeySnapshot]
    /// Keys that the task itself had excluded (rotated away from) in this call.
    public let excluded: Set<KeyID>

    public init(keys: [KeySnapshot], excluded: Set<KeyID>) {
        self.keys = keys
        self.excluded = excluded
    }

    public var description: String {
        let fates = keys.map { key in
            let excludedNote = excluded.contains(key.id) ? "tried and rotated away from; " : ""
            return "\(key.label)(\(key.masked)): \(excludedNote)\(key.health)"
        }
        return "all \(keys.count) keys exhausted: " + fates.joined(separator: "; ")
    }
}

/// Hands keys to tasks and learns their health.
///
/// Implementations must be cheap and synchronous (a lock, no I/O): the gateway calls them on every
/// attempt. Waiting, when every key is cooling, is the caller's job (``KeySelection/waitUntil(_:)``).
public protocol KeyProvider: Sendable {
    /// Every key the provider manages, in order.
    var keys: [APIKey] { get }

    /// Chooses a key for `task`.
    /// - Parameters:
    ///   - task: The task asking.
    ///   - excluded: Keys this task has rotated away from during the current call.
    ///   - now: The current instant on the gateway's clock.
    /// - Throws: ``KeysExhaustedError`` when every key is disabled or excluded.
    func select(for task: TaskID, excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection

    /// Chooses a key for a call in quota scope `scope` (e.g. a model): keys cooling for that
    /// scope only are skipped as if cooling. The default ignores the scope.
    func select(
        for task: TaskID, excluding excluded: Set<KeyID>, scope: String?, at now: GatewayClock.Instant
    ) throws(KeysExhaustedError) -> KeySelection

    /// A shortcut tried before `select`: whether `task` may make its next attempt with `key`,
    /// the key the task's previous selection returned, and that key if so. A pool whose choice
    /// is "the task keeps its key while the key is healthy" can answer without its lock; `nil`
    /// means "ask `select`". The default always answers `nil`.
    func reuse(_ key: KeyID, for task: TaskID, excluding excluded: Set<KeyID>, scope: String?, at now: GatewayClock.Instant) -> APIKey?

    /// Whether `key` may still be used for a call in quota scope `scope` (active, not cooling
    /// for that scope). The gateway asks after a pacing wait, since another task may have found
    /// the key invalid meanwhile. The default answers `true`.
    func isUsable(_ key: KeyID, scope: String?, at now: GatewayClock.Instant) -> Bool

    /// The key `task` holds now, if any; no side effects.
    func assignedKey(for task: TaskID) -> APIKey?

    /// Releases whatever `task` holds. Called when the task's scope ends, also on throw and cancellation.
    func release(task: TaskID)

    /// Records one attempt's outcome on `key` (for counters and snapshots).
    func record(_ outcome: AttemptOutcome, for key: KeyID, at now: GatewayClock.Instant)

    /// Applies a verdict to `key` (or its quota group), for every task.
    func apply(_ verdict: KeyVerdict, to key: KeyID, at now: GatewayClock.Instant)

    /// Every key's state, leases and counters.
    func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot
}

extension KeyProvider {
    public func reuse(_ key: KeyID, for task: TaskID, excluding excluded: Set<KeyID>, scope: String?, at now: GatewayClock.Instant) -> APIKey? {
        nil
    }

    public func isUsable(_ key: KeyID, scope: String?, at now: GatewayClock.Instant) -> Bool { true }

    public func select(
        for task: TaskID, excluding excluded: Set<KeyID>, scope: String?, at now: GatewayClock.Instant
    ) throws(KeysExhaustedError) -> KeySelection {
        try select(for: task, excluding: excluded, at: now)
    }
}

/// A short summary of an attempt's outcome, kept in counters.
public enum AttemptOutcome: Sendable, Hashable {
    case success
    case failure(Failure.Kind)
}
