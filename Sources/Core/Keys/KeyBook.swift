/// The shared bookkeeping of a key pool: health, leases, counters. A plain value type, kept in a
/// lock by each pool strategy; every transition is short and does no I/O.
struct KeyBook: Sendable {
    struct Entry: Sendable {
        var health: KeyHealth = .active
        var leases = 0
        var attempts = 0
        var successes = 0
        var failures = 0
        var rateLimited = 0
        var lastFailure: Failure.Kind?
        /// Cooldowns that apply to one quota scope only (a model), by scope.
        var scopedCooling: [String: ScopedCooldown] = [:]
    }

    struct ScopedCooldown: Sendable, Hashable {
        var until: GatewayClock.Instant
        var reason: String
    }

    let keys: [APIKey]
    private(set) var entries: [Entry]
    private(set) var groupLeases: [QuotaGroup: Int] = [:]
    let groupMembers: [QuotaGroup: [KeyID]]
    /// The key each task holds.
    private(set) var assignments: [TaskID: KeyID] = [:]
    /// The earliest end of any cooldown, so `refresh` scans only when something can change.
    private var nextCoolingEnd: GatewayClock.Instant?
    /// Where a strategy's next scan starts, so equal choices spread over the keys deterministically.
    var cursor = 0

    init(keys: [APIKey]) {
        self.keys = keys
        self.entries = Array(repeating: Entry(), count: keys.count)
        self.groupMembers = Dictionary(grouping: keys.map(\.id), by: { keys[$0.index].quotaGroup })
    }

    // MARK: Health

    /// Brings keys whose cooldown has passed back into rotation.
    mutating func refresh(at now: GatewayClock.Instant) {
        guard let end = nextCoolingEnd, end <= now else { return }
        nextCoolingEnd = nil
        for index in entries.indices {
            if !entries[index].scopedCooling.isEmpty {
                entries[index].scopedCooling = entries[index].scopedCooling.filter { $0.value.until > now }
                for cooldown in entries[index].scopedCooling.values {
                    nextCoolingEnd = min(nextCoolingEnd ?? cooldown.until, cooldown.until)
                }
            }
            guard case .cooling(let until, _) = entries[index].health else { continue }
            if until <= now {
                entries[index].health = .active
            } else {
                nextCoolingEnd = min(nextCoolingEnd ?? until, until)
            }
        }
    }

    func health(of key: KeyID) -> KeyHealth { entries[key.index].health }

    /// The key's health for a call in quota scope `scope`: its own health, or cooling while a
    /// cooldown of that scope runs (call ``refresh(at:)`` first).
    func health(of key: KeyID, scope: String?) -> KeyHealth {
        let entry = entries[key.index]
        guard entry.health == .active, let scope, let cooldown = entry.scopedCooling[scope] else { return entry.health }
        return .cooling(until: cooldown.until, reason: "\(cooldown.reason) (\(scope))")
    }

    mutating func apply(_ verdict: KeyVerdict, to key: KeyID, at now: GatewayClock.Instant) {
        switch verdict {
        case .notAtFault:
            return
        case .coolDown(let duration, .quotaGroupScope(let scope), let reason):
            let until = now.advanced(by: duration)
            for member in members(of: key, scope: .quotaGroup) {
                if case .disabled = entries[member.index].health { continue }
                if let existing = entries[member.index].scopedCooling[scope], existing.until >= until { continue }
                entries[member.index].scopedCooling[scope] = ScopedCooldown(until: until, reason: reason)
                nextCoolingEnd = min(nextCoolingEnd ?? until, until)
            }
        case .coolDown(let duration, let scope, let reason):
            let until = now.advanced(by: duration)
            for member in members(of: key, scope: scope) {
                switch entries[member.index].health {
                case .disabled: continue
                case .cooling(let existing, _) where existing >= until: continue
                default:
                    entries[member.index].health = .cooling(until: until, reason: reason)
                    nextCoolingEnd = min(nextCoolingEnd ?? until, until)
                }
            }
        case .disable(let scope, let reason):
            for member in members(of: key, scope: scope) {
                if case .disabled = entries[member.index].health { continue }
                entries[member.index].health = .disabled(reason: reason)
            }
        }
    }

    private func members(of key: KeyID, scope: KeyScope) -> [KeyID] {
        switch scope {
        case .key: [key]
        case .quotaGroup, .quotaGroupScope: groupMembers[keys[key.index].quotaGroup] ?? [key]
        }
    }

    mutating func record(_ outcome: AttemptOutcome, for key: KeyID) {
        entries[key.index].attempts += 1
        switch outcome {
        case .success:
            entries[key.index].successes += 1
        case .failure(let kind):
            entries[key.index].failures += 1
            entries[key.index].lastFailure = kind
            if case .rateLimited = kind { entries[key.index].rateLimited += 1 }
        }
    }

    // MARK: Leases

    /// The key a task currently holds, if any.
    func assignedKey(of task: TaskID) -> KeyID? { assignments[task] }

    mutating func assign(_ key: KeyID, to task: TaskID) {
        if let previous = assignments[task] {
            if previous == key { return }
            dropLease(previous)
        }
        assignments[task] = key
        entries[key.index].leases += 1
        groupLeases[keys[key.index].quotaGroup, default: 0] += 1
    }

    mutating func unassign(_ task: TaskID) {
        guard let key = assignments.removeValue(forKey: task) else { return }
        dropLease(key)
    }

    /// Ends a task's hold: the lease goes back to the pool.
    mutating func release(_ task: TaskID) {
        guard let key = assignments.removeValue(forKey: task) else { return }
        dropLease(key)
    }

    private mutating func dropLease(_ key: KeyID) {
        entries[key.index].leases -= 1
        groupLeases[keys[key.index].quotaGroup, default: 1] -= 1
    }

    // MARK: Choice helpers

    /// Keys neither excluded nor disabled; throws when none is left.
    func eligible(excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> [KeyID] {
        let eligible = keys.map(\.id).filter { id in
            if excluded.contains(id) { return false }
            if case .disabled = entries[id.index].health { return false }
            return true
        }
        if eligible.isEmpty { throw KeysExhaustedError(keys: snapshot(at: now).keys, excluded: excluded) }
        return eligible
    }

    /// When none of `candidates` is active: the earliest instant one of them returns.
    func earliestReturn(of candidates: [KeyID], scope: String? = nil) -> GatewayClock.Instant? {
        candidates.compactMap { id -> GatewayClock.Instant? in
            if case .cooling(let until, _) = health(of: id, scope: scope) { until } else { nil }
        }.min()
    }

    /// The load of a key's quota group: leases held across the group per key in it.
    func groupLoad(of key: KeyID) -> Double {
        let group = keys[key.index].quotaGroup
        return Double(groupLeases[group] ?? 0) / Double(groupMembers[group]?.count ?? 1)
    }

    func leases(of key: KeyID) -> Int { entries[key.index].leases }

    func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot {
        PoolSnapshot(at: now, keys: keys.map { key in
            let entry = entries[key.id.index]
            return KeySnapshot(
                id: key.id, label: key.label, masked: key.masked, quotaGroup: key.quotaGroup,
                health: entry.health, leases: entry.leases, attempts: entry.attempts,
                successes: entry.successes, failures: entry.failures, rateLimited: entry.rateLimited,
                lastFailure: entry.lastFailure,
                scopedCooling: entry.scopedCooling.mapValues { KeyHealth.cooling(until: $0.until, reason: $0.reason) })
        })
    }
}
