/// One key's state at a moment, safe to log (the key is masked).
public struct KeySnapshot: Sendable, Hashable, CustomStringConvertible {
    /// The key's position in the gateway's list.
    public let id: KeyID
    /// The key's label (e.g. `#2`).
    public let label: String
    /// The key's masked form (e.g. `…wxyz`).
    public let masked: String
    /// The quota group (project) the key draws from.
    public let quotaGroup: QuotaGroup
    /// The key's own health (cooldowns for one model are in ``modelCooling``).
    public let health: KeyHealth
    /// Tasks currently holding this key.
    public let leases: Int
    /// Attempts made with this key.
    public let attempts: Int
    /// Attempts that got their answer.
    public let successes: Int
    /// Attempts that failed.
    public let failures: Int
    /// Attempts answered with a rate limit.
    public let rateLimited: Int
    /// The kind of the latest failure, if any.
    public let lastFailure: Failure.Kind?
    /// Cooldowns that hold for one model only (e.g. a model whose daily quota is spent), by model.
    public let modelCooling: [String: KeyHealth]

    /// One key's state; ``KeyBook/snapshot(at:)`` makes these for you.
    public init(
        id: KeyID, label: String, masked: String, quotaGroup: QuotaGroup, health: KeyHealth, leases: Int,
        attempts: Int, successes: Int, failures: Int, rateLimited: Int, lastFailure: Failure.Kind?,
        modelCooling: [String: KeyHealth] = [:]
    ) {
        self.id = id
        self.label = label
        self.masked = masked
        self.quotaGroup = quotaGroup
        self.health = health
        self.leases = leases
        self.attempts = attempts
        self.successes = successes
        self.failures = failures
        self.rateLimited = rateLimited
        self.lastFailure = lastFailure
        self.modelCooling = modelCooling
    }

    /// One line: label, masked form, quota group, health, per-model cooling and counters.
    public var description: String {
        let scoped = modelCooling.sorted { $0.key < $1.key }.map { "; \($0.key): \($0.value)" }.joined()
        return "\(label)(\(masked)) [\(quotaGroup)] \(health)\(scoped), leases \(leases), attempts \(attempts), ok \(successes), failed \(failures), 429 \(rateLimited)"
    }
}

/// Every key's state at a moment.
public struct PoolSnapshot: Sendable, Hashable, CustomStringConvertible {
    /// When the snapshot was taken, on the gateway's clock.
    public let at: GatewayClock.Instant
    /// Every key's state, in key order.
    public let keys: [KeySnapshot]
    /// What the pool learned about keys that share a quota, one line per learned group.
    public let sharedQuotaNotes: [String]

    /// A snapshot taken at `at`; ``KeyBook/snapshot(at:)`` makes one for you.
    public init(at: GatewayClock.Instant, sharedQuotaNotes: [String] = [], keys: [KeySnapshot]) {
        self.at = at
        self.sharedQuotaNotes = sharedQuotaNotes
        self.keys = keys
    }

    /// The sum of all keys' leases.
    public var totalLeases: Int { keys.reduce(0) { $0 + $1.leases } }
    /// Keys that are neither cooling nor disabled.
    public var activeKeys: [KeySnapshot] { keys.filter { $0.health == .active } }

    /// The instant, then one line per key and per shared-quota note.
    public var description: String {
        (["pool at \(at):"] + keys.map { "  " + $0.description } + sharedQuotaNotes.map { "  " + $0 }).joined(separator: "\n")
    }
}
