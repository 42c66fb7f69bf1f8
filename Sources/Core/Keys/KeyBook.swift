/// The bookkeeping of a key pool: each key's health (for the whole key and per model), leases,
/// counters, and the rules every way of choosing keys must keep. A value type with no lock and
/// no I/O; a pool keeps it under its own lock (``KeyPool`` does).
///
/// The rules, which no ``KeyStrategy`` can break because strategies only choose among the
/// candidates the book offers:
/// - a disabled key stays disabled;
/// - a cooldown is never shortened, and ends by itself;
/// - a verdict reaches every key it concerns: ``VerdictReach/quotaGroup`` every key of the
///   project, ``VerdictReach/model(_:)`` every key of the project for that model;
/// - a task holds at most one key; a released task holds none; a trade keeps each key's
///   number of tasks;
/// - only active keys that the call has not rotated away from, and that are not cooling for
///   the call's model, are candidates; when there are none, the call waits for the first to
///   return or, when every key is disabled or excluded, fails with ``KeysExhaustedError``.
public struct KeyBook: Sendable {
    struct Cooldown: Sendable, Hashable {
        var until: GatewayClock.Instant
        var reason: String
    }

    struct Entry: Sendable {
        var health: KeyHealth = .active
        var modelCooling: [String: Cooldown] = [:]
        /// The tasks holding the key.
        var tasks: Set<TaskID> = []
        var lastChoice = 0
        var lastUsed: GatewayClock.Instant?
        var attempts = 0
        var successes = 0
        var failures = 0
        var rateLimited = 0
        var lastFailure: Failure.Kind?
        /// When the key's recent attempts got their answer (kept only while learning shared quotas).
        var answeredAt: [GatewayClock.Instant] = []
        /// When the key was recently refused by a per-minute request quota (kept only while learning).
        var refusedAt: [GatewayClock.Instant] = []
        /// The key's recent refusals that singled out no partner when they came (kept only while learning).
        var openRefusals: [OpenRefusal] = []
    }

    /// A refusal that singled out no partner when it came: when, and the keys of the groups that
    /// could have made up the difference then.
    struct OpenRefusal: Sendable {
        var at: GatewayClock.Instant
        var candidates: Set<KeyID>
    }

    /// The keys, in order (``KeyID/index`` is the position).
    public let keys: [APIKey]
    private(set) var entries: [Entry]
    /// Each key's quota group, by group number.
    private(set) var groupOf: [Int]
    /// Each group's keys.
    private var groupMembers: [[KeyID]]
    /// Groups learned from rate limits (keys that turned out to share a quota), by group number.
    private var learnedNames: [Int: QuotaGroup] = [:]
    /// How shared quotas are learned; `nil` when they are not.
    let learning: SharedQuotaLearning?
    /// Consistent rate-limit evidence that two keys share a quota, by pair.
    private var evidence: [KeyPair: Int] = [:]
    /// Leases held across each group.
    private(set) var groupLeases: [Int]
    /// The key each task holds.
    private var holders: [TaskID: KeyID] = [:]
    /// How many attempts each task holding a key has been leased one for (the turns it has had).
    private var attemptsLeased: [TaskID: Int] = [:]
    /// How many choices the book has recorded; stamps ``KeyCandidate/lastChoice``.
    private var choices = 0

    /// A book of `keys` (as loaded by ``KeySet``), all active and free; with `learning`, keys
    /// without a declared project that rate limits show to share a quota become one group.
    public init(keys: [APIKey], learning: SharedQuotaLearning? = nil) {
        self.keys = keys
        self.learning = learning
        self.entries = Array(repeating: Entry(), count: keys.count)
        var groupNumber: [QuotaGroup: Int] = [:]
        var members: [[KeyID]] = []
        var groupOf: [Int] = []
        for key in keys {
            let group = groupNumber[key.quotaGroup] ?? {
                groupNumber[key.quotaGroup] = members.count
                members.append([])
                return members.count - 1
            }()
            members[group].append(key.id)
            groupOf.append(group)
        }
        self.groupOf = groupOf
        self.groupMembers = members
        self.groupLeases = Array(repeating: 0, count: members.count)
    }

    // MARK: Health

    /// `key`'s health at `now` for a call to `model`: disabled, cooling (for the whole key, or
    /// for that model), or active. Cooldowns that have ended count as active.
    public func health(of key: KeyID, model: String? = nil, at now: GatewayClock.Instant) -> KeyHealth {
        let entry = entries[key.index]
        switch entry.health {
        case .disabled: return entry.health
        case .cooling(let until, _) where until > now: return entry.health
        default: break
        }
        if let model, let cooldown = entry.modelCooling[model], cooldown.until > now {
            return .cooling(until: cooldown.until, reason: "\(cooldown.reason) (\(model))")
        }
        return .active
    }

    /// Whether `key` is active for a call to `model` at `now`.
    public func isUsable(_ key: KeyID, model: String? = nil, at now: GatewayClock.Instant) -> Bool {
        keys.indices.contains(key.index) && health(of: key, model: model, at: now) == .active
    }

    /// Applies a policy's verdict to `key` and to every key the verdict reaches, keeping the
    /// rules: disabled keys stay disabled and no cooldown is shortened.
    public mutating func apply(_ verdict: KeyVerdict, to key: KeyID, at now: GatewayClock.Instant) {
        guard keys.indices.contains(key.index) else { return }
        switch verdict {
        case .notAtFault:
            return
        case .coolDown(let duration, .model(let model), let reason):
            let until = now.advanced(by: max(duration, .zero))
            for member in members(of: key, reach: .quotaGroup) where !entries[member.index].health.isDisabled {
                if let existing = entries[member.index].modelCooling[model], existing.until >= until { continue }
                entries[member.index].modelCooling[model] = Cooldown(until: until, reason: reason)
            }
        case .coolDown(let duration, let reach, let reason):
            let until = now.advanced(by: max(duration, .zero))
            for member in members(of: key, reach: reach) {
                switch entries[member.index].health {
                case .disabled: continue
                case .cooling(let existing, _) where existing >= until: continue
                default: entries[member.index].health = .cooling(until: until, reason: reason)
                }
            }
        case .disable(let reach, let reason):
            for member in members(of: key, reach: reach) where !entries[member.index].health.isDisabled {
                entries[member.index].health = .disabled(reason: reason)
            }
        }
    }

    /// The keys a verdict about `key` reaches.
    private func members(of key: KeyID, reach: VerdictReach) -> [KeyID] {
        switch reach {
        case .key: [key]
        case .quotaGroup, .model: groupMembers[groupOf[key.index]]
        }
    }

    /// Counts an attempt's outcome on `key` (and, when learning shared quotas, weighs what a
    /// rate limit says about the key's quota).
    public mutating func record(_ outcome: AttemptOutcome, for key: KeyID, at now: GatewayClock.Instant) {
        guard keys.indices.contains(key.index) else { return }
        entries[key.index].attempts += 1
        entries[key.index].lastUsed = now
        switch outcome {
        case .success:
            entries[key.index].successes += 1
            if let learning {
                entries[key.index].answeredAt.removeAll { $0 < now.advanced(by: .zero - learning.window) }
                entries[key.index].answeredAt.append(now)
            }
        case .failure(let kind):
            entries[key.index].failures += 1
            entries[key.index].lastFailure = kind
            if Failure.Kind.rateLimited ~= kind {
                entries[key.index].rateLimited += 1
                learn(from: kind, on: key, at: now)
            }
        }
    }

    /// The quota group `key` draws from: its declared project, its own, or the group learned
    /// for it.
    public func quotaGroup(of key: KeyID) -> QuotaGroup {
        guard keys.indices.contains(key.index) else { return QuotaGroup("unknown") }
        return learnedNames[groupOf[key.index]] ?? keys[key.index].quotaGroup
    }

    // MARK: Learning shared quotas

    /// A 429 that reports its quota's request limit, on a key whose group answered fewer
    /// requests than that within the window, says some other key draws from the same quota. When
    /// exactly one other group of undeclared keys would make up the difference — or, of several
    /// that would, exactly one was refused within the window too (keys that share a quota are
    /// refused together) — that is one piece of evidence for the pair; so is each earlier refusal
    /// in the window, on the partner, that could not tell the pair from others when it came;
    /// ``SharedQuotaLearning/evidenceNeeded`` consistent pieces merge their groups. Declared
    /// projects are never merged, split or overridden.
    private mutating func learn(from kind: Failure.Kind, on key: KeyID, at now: GatewayClock.Instant) {
        guard let learning, keys[key.index].project == nil, let details = kind.rateLimit, details.window == .perMinute,
            let limit = details.requestLimit
        else { return }
        let since = now.advanced(by: .zero - learning.window)
        entries[key.index].refusedAt.removeAll { $0 < since }
        entries[key.index].refusedAt.append(now)
        func answered(_ group: Int) -> Int {
            groupMembers[group].reduce(0) { total, member in total + entries[member.index].answeredAt.count { $0 >= since } }
        }
        let own = groupOf[key.index]
        let ownCount = answered(own)
        guard ownCount < limit else { return }  // the key's own traffic explains the 429
        let possible = Set(groupOf.indices.map { groupOf[$0] }).filter { group in
            group != own && !groupMembers[group].isEmpty
                && groupMembers[group].allSatisfy { keys[$0.index].project == nil }
                && ownCount + answered(group) >= limit
        }
        var partners = possible
        if partners.count > 1 {
            partners = partners.filter { group in
                groupMembers[group].contains { member in entries[member.index].refusedAt.contains { $0 >= since } }
            }
        }
        entries[key.index].openRefusals.removeAll { $0.at < since }
        guard partners.count == 1, let partner = partners.first else {
            // None, or ambiguous: weighed again if a later refusal in the window singles out a partner.
            if possible.count > 1 {
                entries[key.index].openRefusals.append(OpenRefusal(at: now, candidates: Set(possible.flatMap { groupMembers[$0] })))
            }
            return
        }
        let pair = KeyPair(groupMembers[own][0], groupMembers[partner][0])
        evidence[pair, default: 0] += 1 + resolveOpenRefusals(of: partner, naming: own, since: since)
        if evidence[pair]! >= learning.evidenceNeeded { merge(partner, into: own) }
    }

    /// Counts, and closes, the open refusals within the window on `group`'s keys that had
    /// `partner` among their candidates: this refusal singles out the same pair the earlier ones
    /// could not tell from others, by the same rule (of the candidates, the one refused in the window).
    private mutating func resolveOpenRefusals(of group: Int, naming partner: Int, since: GatewayClock.Instant) -> Int {
        let partnerKeys = Set(groupMembers[partner])
        var resolved = 0
        for member in groupMembers[group] {
            let before = entries[member.index].openRefusals.count
            entries[member.index].openRefusals.removeAll { $0.at >= since && !$0.candidates.isDisjoint(with: partnerKeys) }
            resolved += before - entries[member.index].openRefusals.count
        }
        return resolved
    }

    private mutating func merge(_ group: Int, into target: Int, named name: String? = nil) {
        for member in groupMembers[group] { groupOf[member.index] = target }
        groupMembers[target] += groupMembers[group]
        groupMembers[target].sort()
        groupMembers[group] = []
        groupLeases[target] += groupLeases[group]
        groupLeases[group] = 0
        learnedNames[group] = nil
        let labels = groupMembers[target].map { keys[$0.index].label }
        learnedNames[target] = QuotaGroup(name ?? "shared by " + labels.joined(separator: "+"))
        evidence = evidence.filter { !groupMembers[target].contains($0.key.first) || !groupMembers[target].contains($0.key.second) }
    }

    /// The groups learned so far to share one quota — by this book, or adopted with
    /// ``adoptSharedQuota(_:named:)`` — each with its name and keys, ordered by their first key.
    /// A backend that shares learning across processes compares it before and after
    /// ``record(_:for:at:)`` to see what was learned here.
    public var learnedGroups: [LearnedQuotaGroup] {
        learnedNames.map { group, name in LearnedQuotaGroup(name: name, keys: groupMembers[group]) }
            .sorted { $0.keys[0] < $1.keys[0] }
    }

    /// Paces, cools and spreads `keys` as one group named `name` from now on: a shared quota
    /// learned elsewhere (another process of a shared state), or a learned group renamed so
    /// that every process calls it the same. The groups of the given keys merge (with any keys
    /// already learned with them) and the result takes `name`.
    ///
    /// Keeps the book's rules: keys with a declared project are left out — a declared project
    /// is never merged, split or overridden — and so are IDs the book does not hold; fewer than
    /// two keys left (in a group not yet learned) changes nothing. Nothing is ever split.
    /// Adopting what the book already knows, under the same name, changes nothing, so adopting
    /// is idempotent. Works whether or not the book learns by itself.
    /// - Returns: Whether the book changed.
    @discardableResult
    public mutating func adoptSharedQuota(_ keys: some Sequence<KeyID>, named name: String) -> Bool {
        let members = Set(keys.filter { self.keys.indices.contains($0.index) && self.keys[$0.index].project == nil })
        let groups = Set(members.map { groupOf[$0.index] }).sorted()
        guard let target = groups.first else { return false }
        if groups.count == 1 {
            // One group already: a learned one may take the agreed name; a single key is no group.
            guard let current = learnedNames[target], current.name != name else { return false }
            learnedNames[target] = QuotaGroup(name)
            return true
        }
        for group in groups.dropFirst() { merge(group, into: target, named: name) }
        return true
    }

    /// What the book has learned, for people: one line per learned group.
    public var sharedQuotaNotes: [String] {
        learnedNames.keys.sorted().map { group in
            let labels = groupMembers[group].map { keys[$0.index].label }
            let keysText = labels.dropLast().joined(separator: ", ") + " and " + (labels.last ?? "")
            return "keys \(keysText) appear to share one project's quota; declare their project to pace them together from the start"
        }
    }

    // MARK: Leases

    /// The key `task` holds, if any.
    public func heldKey(by task: TaskID) -> KeyID? { holders[task] }

    /// Whether some task holds `key`.
    public func isLeased(_ key: KeyID) -> Bool { keys.indices.contains(key.index) && !entries[key.index].tasks.isEmpty }

    /// The keys some task holds.
    public var heldKeys: Set<KeyID> { Set(holders.values) }

    /// Leases `key` to `task` (replacing the task's previous key, if another) and counts the choice.
    public mutating func lease(_ key: KeyID, to task: TaskID) {
        guard keys.indices.contains(key.index) else { return }
        choices += 1
        entries[key.index].lastChoice = choices
        if let previous = holders[task] {
            if previous == key { return }
            drop(previous, heldBy: task)
        }
        holders[task] = key
        entries[key.index].tasks.insert(task)
        groupLeases[groupOf[key.index]] += 1
    }

    /// Gives `key` to `task` and `task`'s key to the one task holding `key`, when `key` has
    /// exactly one holder other than `task` and `task` holds its own key alone; counts the
    /// choice. Leases per key and per group stay as they were.
    /// - Returns: Whether the trade was made.
    public mutating func trade(_ key: KeyID, to task: TaskID) -> Bool {
        guard keys.indices.contains(key.index), let own = holders[task], own != key, entries[own.index].tasks == [task],
            entries[key.index].tasks.count == 1, let other = entries[key.index].tasks.first
        else { return false }
        choices += 1
        entries[key.index].lastChoice = choices
        holders[task] = key
        holders[other] = own
        entries[key.index].tasks = [task]
        entries[own.index].tasks = [other]
        return true
    }

    /// Ends `task`'s lease, if it holds one.
    public mutating func release(_ task: TaskID) {
        attemptsLeased[task] = nil
        guard let key = holders.removeValue(forKey: task) else { return }
        drop(key, heldBy: task)
    }

    private mutating func drop(_ key: KeyID, heldBy task: TaskID) {
        entries[key.index].tasks.remove(task)
        groupLeases[groupOf[key.index]] -= 1
    }

    // MARK: Choosing

    /// The keys `task` may use now for a call to `model`: active, not excluded, not cooling for
    /// the model.
    public func candidates(for task: TaskID, excluding excluded: Set<KeyID>, model: String?, at now: GatewayClock.Instant) -> KeyCandidates {
        KeyCandidates(
            book: self, task: task, held: holders[task], attempts: attemptsLeased[task] ?? 0, excluded: excluded, model: model, now: now)
    }

    /// The error to throw when every key is disabled or excluded; `nil` while some key may still
    /// come back.
    public func exhaustion(excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) -> KeysExhaustedError? {
        let left = keys.contains { !excluded.contains($0.id) && !entries[$0.id.index].health.isDisabled }
        return left ? nil : KeysExhaustedError(keys: snapshot(at: now).keys, excluded: excluded)
    }

    /// The first instant a key that is neither disabled nor excluded becomes usable for `model`.
    public func earliestReturn(excluding excluded: Set<KeyID>, model: String?, at now: GatewayClock.Instant) -> GatewayClock.Instant? {
        keys.compactMap { key -> GatewayClock.Instant? in
            guard !excluded.contains(key.id), case .cooling(let until, _) = health(of: key.id, model: model, at: now) else { return nil }
            return until
        }.min()
    }

    /// The whole lease step: the candidates, the strategy's choice among them, the lease — or
    /// when to come back, or the exhaustion. A choice that is not a candidate is ignored for
    /// the task's held key, else the first candidate; a choice ``KeyCandidate/traded()`` is a
    /// trade (``trade(_:to:)``) when one can be made, else a plain lease.
    public mutating func lease(
        for task: TaskID, excluding excluded: Set<KeyID>, model: String?, at now: GatewayClock.Instant,
        choosing strategy: some KeyStrategy
    ) throws(KeysExhaustedError) -> KeySelection {
        let choice: (KeyID, Bool)? = {
            let candidates = candidates(for: task, excluding: excluded, model: model, at: now)
            guard let first = candidates.first else { return nil }
            let choice = strategy.choose(for: task, from: candidates)
            guard candidates.contains(choice.id) else { return ((candidates.held ?? first).id, false) }
            return (choice.id, choice.isTraded)
        }()
        guard let choice else {
            if let error = exhaustion(excluding: excluded, at: now) { throw error }
            return .waitUntil(earliestReturn(excluding: excluded, model: model, at: now) ?? now)
        }
        let (chosen, isTrade) = choice
        if !(isTrade && trade(chosen, to: task)) { lease(chosen, to: task) }
        attemptsLeased[task, default: 0] += 1
        return .use(keys[chosen.index])
    }

    // MARK: Reading

    /// Every key's state at `now` (masked).
    public func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot {
        PoolSnapshot(at: now, sharedQuotaNotes: sharedQuotaNotes, keys: keys.map { key in
            let entry = entries[key.id.index]
            return KeySnapshot(
                id: key.id, label: key.label, masked: key.masked, quotaGroup: quotaGroup(of: key.id),
                health: health(of: key.id, at: now), leases: entry.tasks.count, attempts: entry.attempts,
                successes: entry.successes, failures: entry.failures, rateLimited: entry.rateLimited,
                lastFailure: entry.lastFailure,
                modelCooling: entry.modelCooling.filter { $0.value.until > now }
                    .mapValues { KeyHealth.cooling(until: $0.until, reason: $0.reason) })
        })
    }

    /// A candidate's view of key `index`.
    func candidate(_ index: Int, heldBy held: KeyID?) -> KeyCandidate {
        let entry = entries[index]
        let group = groupOf[index]
        let isHeld = held?.index == index
        let soleHolder = entry.tasks.count == 1 && !isHeld ? entry.tasks.first : nil
        return KeyCandidate(
            id: KeyID(index), label: keys[index].label, quotaGroup: quotaGroup(of: KeyID(index)),
            isHeld: isHeld, leases: entry.tasks.count, groupLeases: groupLeases[group],
            groupSize: groupMembers[group].count, lastChoice: entry.lastChoice, lastUsed: entry.lastUsed,
            attempts: entry.attempts, successes: entry.successes, failures: entry.failures,
            holderAttempts: soleHolder.map { attemptsLeased[$0] ?? 0 })
    }
}

/// Two keys, in order.
struct KeyPair: Hashable, Sendable {
    let first: KeyID
    let second: KeyID
    init(_ a: KeyID, _ b: KeyID) { (first, second) = a < b ? (a, b) : (b, a) }
}

/// Keys a ``KeyBook`` paces, cools and spreads as one quota group because rate limits showed
/// (here or in another process) that they share one quota.
public struct LearnedQuotaGroup: Sendable, Hashable {
    /// The group's name (what ``KeyBook/quotaGroup(of:)`` answers for its keys).
    public let name: QuotaGroup
    /// Its keys, in order.
    public let keys: [KeyID]

    /// A learned group named `name` of `keys`.
    public init(name: QuotaGroup, keys: [KeyID]) {
        self.name = name
        self.keys = keys
    }
}

/// How a ``KeyBook`` learns that keys without a declared project share one quota.
public struct SharedQuotaLearning: Sendable, Hashable {
    /// The quota's window: a minute for Gemini's requests per minute (less for a compressed-time
    /// server, see ``RateLimit/scaled(by:)``).
    public var window: Duration
    /// Consistent rate limits needed before two keys are paced as one group (never one).
    public var evidenceNeeded: Int

    /// Learning over `window`, merging after `evidenceNeeded` (at least 2) consistent 429s.
    public init(window: Duration = .seconds(60), evidenceNeeded: Int = 2) {
        self.window = window
        self.evidenceNeeded = max(evidenceNeeded, 2)
    }
}
