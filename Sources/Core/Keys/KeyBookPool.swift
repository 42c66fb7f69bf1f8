
/// The lock-guarded ``KeyBook`` shared by the pool strategies.
final class KeyBookStore: Sendable {
    let book: Locked<KeyBook>
    init(keys: [APIKey]) { book = Locked(KeyBook(keys: keys)) }
}

/// A key pool whose bookkeeping is a ``KeyBookStore``: everything but the choice of key is common.
protocol KeyBookPool: KeyProvider {
    var store: KeyBookStore { get }
}

extension KeyBookPool {
    public func assignedKey(for task: TaskID) -> APIKey? {
        store.book.withLock { $0.assignedKey(of: task) }.map { keys[$0.index] }
    }

    public func isUsable(_ key: KeyID, scope: String?, at now: GatewayClock.Instant) -> Bool {
        store.book.withLock { book in
            book.refresh(at: now)
            return book.health(of: key, scope: scope) == .active
        }
    }

    public func release(task: TaskID) {
        store.book.withLock { $0.release(task) }
    }

    public func record(_ outcome: AttemptOutcome, for key: KeyID, at now: GatewayClock.Instant) {
        store.book.withLock { $0.record(outcome, for: key) }
    }

    public func apply(_ verdict: KeyVerdict, to key: KeyID, at now: GatewayClock.Instant) {
        store.book.withLock { $0.apply(verdict, to: key, at: now) }
    }

    public func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot {
        store.book.withLock { book in
            book.refresh(at: now)
            return book.snapshot(at: now)
        }
    }
}
