#if PostgresSharedState
import GatewayCore
import PostgresNIO

/// The ``KeyProvider`` of a ``PostgresSharedState``: a local ``KeyBook`` (every rule of the
/// in-process pool, and the fallback while the database is away) kept in step with the database.
///
/// - Each `lease` first reads the keys' shared health (disabled keys, other processes'
///   cooldowns, leases held elsewhere) in one statement and applies it to the book, so a key
///   condemned anywhere is skipped from the next attempt on; then it prefers keys no other
///   process holds and takes the chosen key's lease in the database (exclusive across processes
///   while free keys remain; when none is free, tasks share as in one process).
/// - `report` applies the verdict locally at once and writes it (for every key it reaches) in
///   the background, in order; `isUsable`, `snapshot` and `quotaGroup` answer from the book.
/// - Disables and cooldowns other processes write are also heard at once (`LISTEN`), so a task
///   waiting to pace on a key condemned elsewhere does not send to it.
/// - Quota groups learned from rate limits (``KeyBook/learnedGroups``) are written with the
///   name every process gives them (``SharedQuotaName``, then the database's), read back with
///   each lease and adopted (``KeyBook/adoptSharedQuota(_:named:)``), so every process paces
///   the learned keys in one bucket.
/// - Leases are renewed at every heartbeat; those of a process that stops beating expire after
///   the TTL and go back to the pool.
final class SharedKeyProvider: KeyProvider {
    private struct State {
        var book: KeyBook
        /// Keys whose lease this process holds in the database.
        var claimed: Set<KeyID> = []
        /// Cooldowns other processes set (heard or read), until applied at the gateway's next
        /// instant: when each ends in real time, by key and reach.
        var heard: [HeardCooldown: (until: ContinuousClock.Instant, reason: String)] = [:]

        func holdsLocally(_ key: KeyID) -> Bool { book.isLeased(key) }

        /// Remembers another process's cooldown of `key` ending `remaining` from now (real time).
        mutating func hear(_ key: KeyID, reach: String, remaining: Duration, reason: String) {
            let until = ContinuousClock.now.advanced(by: remaining)
            let slot = HeardCooldown(key: key, reach: reach)
            if let known = heard[slot], known.until >= until { return }
            heard[slot] = (until, reason)
        }

        /// Applies the cooldowns heard so far to the book at the gateway's `now` (each for what
        /// is left of it in real time); the book's rules keep them from shortening any.
        mutating func settle(at now: GatewayClock.Instant) {
            guard !heard.isEmpty else { return }
            let realNow = ContinuousClock.now
            for (slot, cooldown) in heard {
                let left = realNow.duration(to: cooldown.until)
                guard left > .zero else { continue }
                book.apply(.coolDown(for: left, reach: SharedKeyProvider.reach(slot.reach), reason: cooldown.reason), to: slot.key, at: now)
            }
            heard = [:]
        }

        /// Adopts the learned groups the database knows, by name (keys of this process only).
        mutating func adopt(_ groups: [String: Set<KeyID>]) {
            for name in groups.keys.sorted() { book.adoptSharedQuota(groups[name]!.sorted(), named: name) }
        }

        /// The groups learned here since `before`, renamed to the name every process gives them:
        /// the smallest name a merged group had, else the one the fingerprints propose.
        mutating func nameLearned(since before: [LearnedQuotaGroup], fingerprints: [String]) -> [LearnedQuotaGroup] {
            let after = book.learnedGroups
            guard after != before else { return [] }
            var named: [LearnedQuotaGroup] = []
            for group in after where !before.contains(group) {
                let members = Set(group.keys)
                let previous = before.filter { !members.isDisjoint(with: $0.keys) }.map(\.name.name).min()
                let name = previous ?? SharedQuotaName.proposed(for: group.keys.map { fingerprints[$0.index] })
                book.adoptSharedQuota(group.keys, named: name)
                named.append(LearnedQuotaGroup(name: QuotaGroup(name), keys: group.keys))
            }
            return named
        }
    }

    /// A cooldown heard from another process: the key and its reach (`*` or `model:<name>`).
    private struct HeardCooldown: Hashable {
        let key: KeyID
        let reach: String
    }

    private let keys: [APIKey]
    private let fingerprints: [String]
    private let byFingerprint: [String: KeyID]
    private let strategy: any KeyStrategy
    private let context: SharedContext
    private let state: Locked<State>
    private let registered = Locked(false)

    init(keys: [APIKey], strategy: any KeyStrategy, learning: SharedQuotaLearning?, context: SharedContext) {
        self.keys = keys
        self.fingerprints = keys.map(\.sharedStateFingerprint)
        self.byFingerprint = Dictionary(keys.map { ($0.sharedStateFingerprint, $0.id) }, uniquingKeysWith: { first, _ in first })
        self.strategy = strategy
        self.context = context
        self.state = Locked(State(book: KeyBook(keys: keys, learning: learning)))
        context.addLeaseSync { [weak self] in await self?.syncLeases() }
        context.database.onReconnect { [weak self] in await self?.reconcile() }
        context.database.listener.onListening { [weak self] in await self?.resync() }
        context.database.listener.onNotice(in: context.namespace) { [weak self] notice in self?.hear(notice) }
    }

    /// What another process announced: a disable applies at once; a cooldown at the gateway's
    /// next instant this provider sees (`isUsable`, `lease`, `snapshot`). This process's own
    /// cooldowns are in its book already.
    private func hear(_ notice: HealthNotice) {
        switch notice {
        case .disabled(_, let fingerprint, let reason):
            applyRemoteDisable(fingerprint, reason: reason)
        case .cooldown(_, let fingerprint, let reach, let remaining, let origin, let reason):
            guard origin != context.holder, let key = byFingerprint[fingerprint] else { return }
            state.withLock { $0.hear(key, reach: reach, remaining: remaining, reason: reason) }
        case .ping:
            break
        }
    }

    /// `*` is the whole key; `model:<name>` the model's quota on the key's project.
    static func reach(_ text: String) -> VerdictReach {
        text.hasPrefix("model:") ? .model(String(text.dropFirst(6))) : .key
    }

    /// Another process disabled a key: out of this book too, before this process's next attempt
    /// on it (the gateway asks ``isUsable(_:model:at:)`` after every pacing wait).
    private func applyRemoteDisable(_ fingerprint: String, reason: String) {
        guard let key = byFingerprint[fingerprint] else { return }
        state.withLock { s in
            // A disable does not depend on the instant.
            if !s.book.health(of: key, at: .init(offset: .zero)).isDisabled {
                s.book.apply(.disable(reach: .key, reason: reason), to: key, at: .init(offset: .zero))
            }
        }
    }

    // MARK: Leasing

    func lease(for task: TaskID, excluding excluded: Set<KeyID>, model: String?, at now: GatewayClock.Instant) async throws(KeysExhaustedError) -> KeySelection {
        await registerIfNeeded()
        var busy: Set<KeyID> = []
        if context.database.isUp, let view = try? await fetchView() {
            let (elsewhere, unshared) = absorb(view)
            busy = elsewhere
            await share(unshared)
        }
        // Keys nobody else holds first: a few tries, since another process may take a candidate
        // between the read and the claim.
        for _ in 0..<3 {
            let selection = try? leaseLocally(for: task, excluding: excluded.union(busy), model: model, at: now)
            guard case .use(let key)? = selection else { break }
            if await claim(key.id, for: task) {
                if stillUsable(key.id, model: model, at: now) { return .use(key) }
                continue  // condemned by another task while the claim was on its way
            }
            busy.insert(key.id)
        }
        // No key free anywhere: share, as the strategy would within one process.
        while true {
            let selection = try leaseLocally(for: task, excluding: excluded, model: model, at: now)
            guard case .use(let key) = selection else { return selection }
            _ = await claim(key.id, for: task)
            if stillUsable(key.id, model: model, at: now) { return selection }
        }
    }

    /// Whether `key` may still be used after an await: a verdict may have arrived meanwhile (the
    /// book then offers it no more, so the lease loops end).
    private func stillUsable(_ key: KeyID, model: String?, at now: GatewayClock.Instant) -> Bool {
        isUsable(key, model: model, at: now)
    }

    /// The book's lease step; releases in the database a key the task moved away from when no
    /// local task holds it any more.
    private func leaseLocally(for task: TaskID, excluding excluded: Set<KeyID>, model: String?, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        let (selection, dropped) = try state.withLock { (s: inout State) throws(KeysExhaustedError) -> (KeySelection, KeyID?) in
            s.settle(at: now)
            let previous = s.book.heldKey(by: task)
            let selection = try s.book.lease(for: task, excluding: excluded, model: model, at: now, choosing: strategy)
            guard case .use(let key) = selection else { return (selection, nil) }
            guard let previous, previous != key.id, !s.holdsLocally(previous), s.claimed.remove(previous) != nil else {
                return (selection, nil)
            }
            return (selection, previous)
        }
        if let dropped { releaseInDatabase(dropped) }
        return selection
    }

    /// Takes `key`'s lease in the database for `task`; `false` only when another live process
    /// holds it. With the database away, the key is used on local knowledge.
    private func claim(_ key: KeyID, for task: TaskID) async -> Bool {
        if state.withLock({ $0.claimed.contains(key) }) || !context.database.isUp { return true }
        let query = KeyStatements.claim(
            fingerprints[key.index], task: task, namespace: context.namespace, holder: context.holder, ttl: context.leaseTTL)
        do {
            let taken = try await context.database.call("lease") { client in
                try await client.query(query).collect().count == 1
            }
            if taken { state.withLock { _ = $0.claimed.insert(key) } }
            return taken
        } catch {
            return true
        }
    }

    private func releaseInDatabase(_ key: KeyID) {
        context.writes.enqueue("release", KeyStatements.release(fingerprints[key.index], namespace: context.namespace, holder: context.holder))
    }

    func release(task: TaskID) async {
        let dropped = state.withLock { s -> KeyID? in
            let held = s.book.heldKey(by: task)
            s.book.release(task)
            guard let key = held, !s.holdsLocally(key), s.claimed.remove(key) != nil else { return nil }
            return key
        }
        if let dropped { releaseInDatabase(dropped) }
    }

    func heldKey(by task: TaskID) -> KeyID? { state.withLock { $0.book.heldKey(by: task) } }

    // MARK: Health

    func isUsable(_ key: KeyID, model: String?, at now: GatewayClock.Instant) -> Bool {
        state.withLock { s in
            s.settle(at: now)
            return s.book.isUsable(key, model: model, at: now)
        }
    }

    func report(_ outcome: AttemptOutcome, verdict: KeyVerdict, for key: KeyID, at now: GatewayClock.Instant) {
        let fingerprints = fingerprints
        let (reached, learned) = state.withLock { s -> ([KeyID], [LearnedQuotaGroup]) in
            let before = s.book.learnedGroups
            s.book.record(outcome, for: key, at: now)
            let learned = s.nameLearned(since: before, fingerprints: fingerprints)
            s.book.apply(verdict, to: key, at: now)
            guard keys.indices.contains(key.index) else { return ([], learned) }
            let group = s.book.quotaGroup(of: key)
            switch verdict {
            case .notAtFault: return ([], learned)
            case .disable(.key, _), .coolDown(_, .key, _): return ([key], learned)
            default: return (keys.map(\.id).filter { s.book.quotaGroup(of: $0) == group }, learned)
            }
        }
        let namespace = context.namespace
        for group in learned {
            context.writes.enqueue("learn", KeyStatements.learn(group.keys.map { fingerprints[$0.index] }, name: group.name.name, namespace: namespace))
        }
        for member in reached {
            let fingerprint = fingerprints[member.index]
            switch verdict {
            case .notAtFault: break
            case .disable(_, let reason):
                context.writes.enqueue("disable", KeyStatements.disable(fingerprint, reason: reason, namespace: namespace))
            case .coolDown(let duration, let reach, let reason):
                let reach = if case .model(let model) = reach { "model:" + model } else { "*" }
                context.writes.enqueue("cooldown", KeyStatements.coolDown(
                    fingerprint, reach: reach, duration: max(duration, .milliseconds(1)), reason: reason,
                    namespace: namespace, holder: context.holder))
            }
        }
    }

    func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot {
        state.withLock { s in
            s.settle(at: now)
            return s.book.snapshot(at: now)
        }
    }

    func quotaGroup(of key: APIKey) -> QuotaGroup { state.withLock { $0.book.quotaGroup(of: key.id) } }

    // MARK: Sync with the database

    private func registerIfNeeded() async {
        guard !registered.withLock({ $0 }), context.database.isUp else { return }
        let query = KeyStatements.register(keys, namespace: context.namespace)
        if (try? await context.database.run("register keys", query)) != nil {
            registered.withLock { $0 = true }
        }
    }

    private func fetchView() async throws(SharedStateError) -> [RemoteKeyState] {
        let query = KeyStatements.view(namespace: context.namespace, holder: context.holder)
        return try await context.database.call("key health") { client in
            var rows: [RemoteKeyState] = []
            for try await (fingerprint, disabled, reach, reason, remaining, elsewhere, learned) in try await client.query(query)
                .decode((String, String?, String?, String?, Int64?, Bool, String?).self) {
                var row = RemoteKeyState(
                    fingerprint: fingerprint, disabledReason: disabled, cooldown: nil, leasedElsewhere: elsewhere, learnedGroup: learned)
                if let reach, let reason, let remaining {
                    row.cooldown = (reach, reason, .milliseconds(remaining))
                }
                rows.append(row)
            }
            return rows
        }
    }

    /// Takes in what other processes decided: disables at once, cooldowns at the gateway's next
    /// instant, learned groups adopted. Answers the keys leased elsewhere, and the groups learned
    /// here that the database does not hold as this process names them.
    private func absorb(_ view: [RemoteKeyState]) -> (leasedElsewhere: Set<KeyID>, unshared: [LearnedQuotaGroup]) {
        state.withLock { s in
            var busy: Set<KeyID> = []
            var learned: [String: Set<KeyID>] = [:]
            var stored: [KeyID: String] = [:]
            for row in view {
                guard let key = byFingerprint[row.fingerprint] else { continue }
                if row.leasedElsewhere { busy.insert(key) }
                if let reason = row.disabledReason, !s.book.health(of: key, at: .init(offset: .zero)).isDisabled {
                    s.book.apply(.disable(reach: .key, reason: reason), to: key, at: .init(offset: .zero))
                }
                if let cooldown = row.cooldown {
                    s.hear(key, reach: cooldown.reach, remaining: cooldown.remaining, reason: cooldown.reason)
                }
                if let group = row.learnedGroup {
                    learned[group, default: []].insert(key)
                    stored[key] = group
                }
            }
            s.adopt(learned)
            let unshared = s.book.learnedGroups.filter { group in group.keys.contains { stored[$0] != group.name.name } }
            return (busy, unshared)
        }
    }

    /// Writes the learned groups the database lacks and adopts what it answers (the merged
    /// group, under the name it keeps). A failure leaves it to the next lease.
    private func share(_ groups: [LearnedQuotaGroup]) async {
        for group in groups {
            let query = KeyStatements.learn(group.keys.map { fingerprints[$0.index] }, name: group.name.name, namespace: context.namespace)
            let byFingerprint = byFingerprint
            guard let merged = try? await context.database.call("learn", { client in
                var merged: [String: Set<KeyID>] = [:]
                for try await (fingerprint, name) in try await client.query(query).decode((String, String).self) {
                    if let key = byFingerprint[fingerprint] { merged[name, default: []].insert(key) }
                }
                return merged
            }) else { return }
            state.withLock { $0.adopt(merged) }
        }
    }

    /// After listening (re)starts: what was announced while nobody listened, read from the tables.
    private func resync() async {
        guard context.database.isUp, let view = try? await fetchView() else { return }
        await share(absorb(view).unshared)
    }

    /// Renews the leases of the keys local tasks hold, takes back any that lapsed, drops the rest.
    func syncLeases() async {
        guard context.database.isUp else { return }
        await registerIfNeeded()
        let held = state.withLock { $0.book.heldKeys }
        let query = KeyStatements.syncLeases(
            held.map { fingerprints[$0.index] }, namespace: context.namespace, holder: context.holder, ttl: context.leaseTTL)
        let byFingerprint = byFingerprint
        guard let renewed = try? await context.database.call("renew leases", { client in
            var renewed: Set<KeyID> = []
            for try await fingerprint in try await client.query(query).decode(String.self) {
                if let key = byFingerprint[fingerprint] { renewed.insert(key) }
            }
            return renewed
        }) else { return }
        state.withLock { $0.claimed = renewed.intersection($0.book.heldKeys) }
    }

    /// After the database comes back: the keys registered again (it may be a new database), the
    /// local leases taken back; the queued writes drain by themselves.
    private func reconcile() async {
        registered.withLock { $0 = false }
        await registerIfNeeded()
        await syncLeases()
    }
}
#endif
