import Synchronization

/// The original design's strategy, with its flaws fixed: each task keeps a dedicated key.
///
/// - A task reuses its assigned key while that key is active and not excluded by the task.
/// - Otherwise a free key (no leases) is preferred, from the least-loaded quota group.
/// - When every key is leased, tasks share the least-loaded active key (not a random one).
/// - When the remaining keys are all cooling, the caller is told when the first comes back.
/// - When every key is disabled or excluded, ``KeysExhaustedError`` lists each key's fate.
/// - Leases are released when the task ends; health verdicts apply to every task.
public final class DedicatedKeyPool: KeyProvider {
    public let keys: [APIKey]
    private let book: Mutex<Book>

    private struct Book {
        var keys: KeyBook
        /// Rotates the starting point of tie-breaks so equal keys are spread, deterministically.
        var cursor = 0
    }

    /// Creates a pool over `keys` (as loaded by ``KeySet``).
    public init(keys: [APIKey]) {
        self.keys = keys
        self.book = Mutex(Book(keys: KeyBook(keys: keys)))
    }

    public func select(for task: TaskID, excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        try book.withLock { (book: inout Book) throws(KeysExhaustedError) -> KeySelection in
            book.keys.refresh(at: now)
            if let current = book.keys.assignedKey(of: task) {
                if !excluded.contains(current), book.keys.health(of: current) == .active {
                    return .use(keys[current.index])
                }
                book.keys.unassign(task)
            }
            let eligible = try book.keys.eligible(excluding: excluded, at: now)
            let active = eligible.filter { book.keys.health(of: $0) == .active }
            guard !active.isEmpty else {
                // Every eligible key is cooling: `eligible` is non-empty, so a return time exists.
                return .waitUntil(book.keys.earliestReturn(of: eligible) ?? now)
            }
            let count = keys.count
            let cursor = book.cursor
            let chosen = active.min { a, b in
                let (la, lb) = (book.keys.leases(of: a), book.keys.leases(of: b))
                if (la == 0) != (lb == 0) { return la == 0 }
                let (ga, gb) = (book.keys.groupLoad(of: a), book.keys.groupLoad(of: b))
                if ga != gb { return ga < gb }
                if la != lb { return la < lb }
                return (a.index - cursor + count) % count < (b.index - cursor + count) % count
            }!
            book.cursor = (chosen.index + 1) % count
            book.keys.assign(chosen, to: task)
            return .use(keys[chosen.index])
        }
    }

    public func assignedKey(for task: TaskID) -> APIKey? {
        book.withLock { $0.keys.assignedKey(of: task) }.map { keys[$0.index] }
    }

    public func release(task: TaskID) {
        book.withLock { $0.keys.release(task) }
    }

    public func record(_ outcome: AttemptOutcome, for key: KeyID, at now: GatewayClock.Instant) {
        book.withLock { $0.keys.record(outcome, for: key) }
    }

    public func apply(_ verdict: KeyVerdict, to key: KeyID, at now: GatewayClock.Instant) {
        book.withLock { $0.keys.apply(verdict, to: key, at: now) }
    }

    public func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot {
        book.withLock { book in
            book.keys.refresh(at: now)
            return book.keys.snapshot(at: now)
        }
    }
}
