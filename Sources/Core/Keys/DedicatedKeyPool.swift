
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
    let store: KeyBookStore

    /// Creates a pool over `keys` (as loaded by ``KeySet``).
    public init(keys: [APIKey]) {
        self.keys = keys
        self.store = KeyBookStore(keys: keys)
    }

    public func select(for task: TaskID, excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        try select(for: task, excluding: excluded, scope: nil, at: now)
    }

    public func select(
        for task: TaskID, excluding excluded: Set<KeyID>, scope: String?, at now: GatewayClock.Instant
    ) throws(KeysExhaustedError) -> KeySelection {
        try store.book.withLock { (book: inout KeyBook) throws(KeysExhaustedError) -> KeySelection in
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
