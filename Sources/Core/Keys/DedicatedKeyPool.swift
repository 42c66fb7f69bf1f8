
/// The original design's strategy, with its flaws fixed: each task keeps a dedicated key.
///
/// - A task reuses its assigned key while that key is active and not excluded by the task.
/// - Otherwise a free key (no leases) is preferred, from the least-loaded quota group.
/// - When every key is leased, tasks share the least-loaded active key (not a random one).
/// - When the remaining keys are all cooling, the caller is told when the first comes back.
/// - When every key is disabled or excluded, ``KeysExhaustedError`` lists each key's fate.
/// - Leases are released when the task ends; health verdicts apply to every task.
public final class DedicatedKeyPool: KeyBookPool {
    public let keys: [APIKey]
    let book: Locked<KeyBook>
    let counters: KeyCounters

    /// Creates a pool over `keys` (as loaded by ``KeySet``).
    public init(keys: [APIKey]) {
        self.keys = keys
        let book = KeyBook(keys: keys)
        self.counters = book.counters
        self.book = Locked(book)
    }

    public func select(for task: TaskID, excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        try select(for: task, excluding: excluded, scope: nil, at: now)
    }

    /// The task keeps its key while the key is active, cooling for no scope and not excluded,
    /// and this needs no lock (the health flag is published under it). A key cooling for some
    /// scope goes the long way, through ``select(for:excluding:scope:at:)``.
    public func reuse(_ key: KeyID, for task: TaskID, excluding excluded: Set<KeyID>, scope: String?, at now: GatewayClock.Instant) -> APIKey? {
        guard keys.indices.contains(key.index), counters.isUsable(key), !excluded.contains(key) else { return nil }
        return keys[key.index]
    }

    public func select(
        for task: TaskID, excluding excluded: Set<KeyID>, scope: String?, at now: GatewayClock.Instant
    ) throws(KeysExhaustedError) -> KeySelection {
        try book.withLock { (book: inout KeyBook) throws(KeysExhaustedError) -> KeySelection in
            book.refresh(at: now)
            if let current = book.assignedKey(of: task) {
                if !excluded.contains(current), book.health(of: current, scope: scope) == .active {
                    return .use(keys[current.index])
                }
                book.unassign(task)
            }
            // The ranking keeps the best key on top: free first, least-loaded project, fewest leases.
            if let chosen = book.bestActive(excluding: excluded, scope: scope) {
                book.assign(chosen, to: task)
                return .use(keys[chosen.index])
            }
            // Nothing active: wait for the first cooling key, or report exhaustion.
            let eligible = try book.eligible(excluding: excluded, at: now)
            return .waitUntil(book.earliestReturn(of: eligible, scope: scope) ?? now)
        }
    }
}
