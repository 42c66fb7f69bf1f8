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
    /// Successes and the usable flag, read and bumped without the lock (see ``KeyCounters``).
    let counters: KeyCounters
    private(set) var entries: [Entry]
    /// Leases held across each quota group, by group index.
    private var groupLeases: [Int]
    /// Each group's keys, by group index.
    private let groupMembers: [[KeyID]]
    /// The key each task holds.
    private(set) var assignments: [TaskID: KeyID] = [:]
    /// The earliest end of any cooldown, so `refresh` scans only when something can change.
    private var nextCoolingEnd: GatewayClock.Instant?
    /// Where a strategy's next scan starts, so equal choices spread over the keys deterministically.
    var cursor = 0
    /// Every active key, best to lease first (see ``KeyPriority``): leasing is O(log n).
    private var ranking: KeyHeap
    /// Each key's quota group index (no string hashing per call).
    private let groupOf: [Int]
    /// A counter stamped on a key when it is chosen, so equal keys take turns.
    private var choices = 0
    private var lastChosen: [Int]

    init(keys: [APIKey]) {
        self.keys = keys
        self.counters = KeyCounters(count: keys.count)
        self.entries = Array(repeating: Entry(), count: keys.count)
        var indexOfGroup: [QuotaGroup: Int] = [:]
        var members: [[KeyID]] = []
        var groupOf: [Int] = []
        for key in keys {
            let group = indexOfGroup[key.quotaGroup] ?? {
                indexOfGroup[key.quotaGroup] = members.count
                members.append([])
                return members.count - 1
            }()
            members[group].append(key.id)
            groupOf.append(group)
        }
        self.groupOf = groupOf
        self.groupMembers = members
        self.groupLeases = Array(repeating: 0, count: members.count)
        self.lastChosen = Array(repeating: 0, count: keys.count)
        self.ranking = KeyHeap(capacity: keys.count)
        for index in keys.indices { ranking.set(index, priority(of: index)) }
    }

    // MARK: Ranking

    private func priority(of index: Int) -> KeyPriority {
        let group = groupOf[index]
        return KeyPriority(
            leases: entries[index].leases, groupLeases: groupLeases[group],
            groupSize: groupMembers[group].count, lastChosen: lastChosen[index])
    }

    /// Re-ranks every member of `index`'s group (their group load changed).
    private mutating func reRankGroup(of index: Int) {
        for member in groupMembers[groupOf[index]] {
            ranking.updateIfPresent(member.index, priority(of: member.index))
        }
    }

    /// Keeps the ranking in step with a key's health: only active keys are ranked.
    private mutating func setHealth(_ health: KeyHealth, of index: Int) {
        entries[index].health = health
        publishUsable(index)
        if health == .active {
            ranking.set(index, priority(of: index))
        } else {
            ranking.remove(index)
        }
    }

    /// Keeps the lock-free usable flag in step: active and cooling for no scope.
    private func publishUsable(_ index: Int) {
        counters.setUsable(KeyID(index), entries[index].health == .active && entries[index].scopedCooling.isEmpty)
    }

    /// The best active key that is neither excluded nor cooling for `scope`, if any. O(log n),
    /// plus O(log n) for each excluded or scope-cooling key passed over.
    mutating func bestActive(excluding excluded: Set<KeyID>, scope: String?) -> KeyID? {
        var passed: [Int] = []
        defer { for index in passed { ranking.set(index, priority(of: index)) } }
        while let top = ranking.top {
            if excluded.contains(KeyID(top)) || health(of: KeyID(top), scope: scope) != .active {
                _ = ranking.popTop()
                passed.append(top)
                continue
            }
            return KeyID(top)
        }
        return nil
    }

    // MARK: Health

    /// Brings keys whose cooldown has passed back into rotation.
    mutating func refresh(at now: GatewayClock.Instant) {
        guard let end = nextCoolingEnd, end <= now else { return }
        nextCoolingEnd = nil
        for index in entries.indices {
            if !entries[index].scopedCooling.isEmpty {
                entries[index].scopedCooling = entries[index].scopedCooling.filter { $0.value.until > now }
                publishUsable(index)
                for cooldown in entries[index].scopedCooling.values {
                    nextCoolingEnd = min(nextCoolingEnd ?? cooldown.until, cooldown.until)
                }
            }
            guard case .cooling(let until, _) = entries[index].health else { continue }
            if until <= now {
                setHealth(.active, of: index)
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
                publishUsable(member.index)
                nextCoolingEnd = min(nextCoolingEnd ?? until, until)
            }
        case .coolDown(let duration, let scope, let reason):
            let until = now.advanced(by: duration)
            for member in members(of: key, scope: scope) {
                switch entries[member.index].health {
                case .disabled: continue
                case .cooling(let existing, _) where existing >= until: continue
                default:
                    setHealth(.cooling(until: until, reason: reason), of: member.index)
                    nextCoolingEnd = min(nextCoolingEnd ?? until, until)
                }
            }
        case .disable(let scope, let reason):
            for member in members(of: key, scope: scope) {
                if case .disabled = entries[member.index].health { continue }
                setHealth(.disabled(reason: reason), of: member.index)
            }
        }
    }

    private func members(of key: KeyID, scope: KeyScope) -> [KeyID] {
        switch scope {
        case .key: [key]
        case .quotaGroup, .quotaGroupScope: groupMembers[groupOf[key.index]]
        }
    }

    /// Records an outcome under the lock (successes normally go to ``counters`` without it).
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
        groupLeases[groupOf[key.index]] += 1
        choices += 1
        lastChosen[key.index] = choices
        reRankGroup(of: key.index)
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
        groupLeases[groupOf[key.index]] -= 1
        reRankGroup(of: key.index)
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
        let group = groupOf[key.index]
        return Double(groupLeases[group]) / Double(groupMembers[group].count)
    }

    func leases(of key: KeyID) -> Int { entries[key.index].leases }

    func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot {
        PoolSnapshot(at: now, keys: keys.map { key in
            let entry = entries[key.id.index]
            return KeySnapshot(
                id: key.id, label: key.label, masked: key.masked, quotaGroup: key.quotaGroup,
                health: entry.health, leases: entry.leases, attempts: entry.attempts + counters.successes(key.id),
                successes: entry.successes + counters.successes(key.id), failures: entry.failures, rateLimited: entry.rateLimited,
                lastFailure: entry.lastFailure,
                scopedCooling: entry.scopedCooling.mapValues { KeyHealth.cooling(until: $0.until, reason: $0.reason) })
        })
    }
}
