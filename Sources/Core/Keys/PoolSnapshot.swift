/// One key's state at a moment, safe to log (the key is masked).
public struct KeySnapshot: Sendable, Hashable, CustomStringConvertible {
    public let id: KeyID
    public let label: String
    public let masked: String
    public let quotaGroup: QuotaGroup
    public let health: KeyHealth
    /// Tasks currently holding this key.
    public let leases: Int
    public let attempts: Int
    public let successes: Int
    public let failures: Int
    public let rateLimited: Int
    /// The kind of the latest failure, if any.
    public let lastFailure: Failure.Kind?
    /// Cooldowns that hold for one quota scope only (e.g. a model whose daily quota is spent), by scope.
    public let scopedCooling: [String: KeyHealth]

    public init(
        id: KeyID, label: String, masked: String, quotaGroup: QuotaGroup, health: KeyHealth, leases: Int,
        attempts: Int, successes: Int, failures: Int, rateLimited: Int, lastFailure: Failure.Kind?,
        scopedCooling: [String: KeyHealth] = [:]
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
        self.scopedCooling = scopedCooling
    }

    public var description: String {
        let scoped = scopedCooling.sorted { $0.key < $1.key }.map { "; \($0.key): \($0.value)" }.joined()
        return "\(label)(\(masked)) [\(quotaGroup)] \(health)\(scoped), leases \(leases), attempts \(attempts), ok \(successes), failed \(failures), 429 \(rateLimited)"
    }
}

/// Every key's state at a moment.
public struct PoolSnapshot: Sendable, Hashable, CustomStringConvertible {
    public let at: GatewayClock.Instant
    public let keys: [KeySnapshot]

    /// A snapshot taken at `at`, for custom ``KeyProvider``s.
    public init(at: GatewayClock.Instant, keys: [KeySnapshot]) {
        self.at = at
        self.keys = keys
    }

    /// The sum of all keys' leases.
    public var totalLeases: Int { keys.reduce(0) { $0 + $1.leases } }
    /// Keys that are neither cooling nor disabled.
    public var activeKeys: [KeySnapshot] { keys.filter { $0.health == .active } }

    public var description: String {
        (["pool at \(at):"] + keys.map { "  " + $0.description }).joined(separator: "\n")
    }
}
