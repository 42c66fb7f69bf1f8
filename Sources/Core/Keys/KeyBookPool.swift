
/// A key pool whose bookkeeping is a lock-guarded ``KeyBook``: everything but the choice of key
/// is common. (Pools keep the lock in a stored property of their own: reached through another
/// object, it was a retain and a release per call on an object every task shares.)
protocol KeyBookPool: KeyProvider {
    var book: Locked<KeyBook> { get }
    /// The book's lock-free counters, kept by the pool too so reaching them takes no lock.
    var counters: KeyCounters { get }
}

extension KeyBookPool {
    public func assignedKey(for task: TaskID) -> APIKey? {
        book.withLock { $0.assignedKey(of: task) }.map { keys[$0.index] }
    }

    public func isUsable(_ key: KeyID, scope: String?, at now: GatewayClock.Instant) -> Bool {
        book.withLock { book in
            book.refresh(at: now)
            return book.health(of: key, scope: scope) == .active
        }
    }

    public func release(task: TaskID) {
        book.withLock { $0.release(task) }
    }

    public func record(_ outcome: AttemptOutcome, for key: KeyID, at now: GatewayClock.Instant) {
        if outcome == .success {
            counters.addSuccess(key)  // no lock: the common case touches no shared line
        } else {
            book.withLock { $0.record(outcome, for: key) }
        }
    }

    public func apply(_ verdict: KeyVerdict, to key: KeyID, at now: GatewayClock.Instant) {
        book.withLock { $0.apply(verdict, to: key, at: now) }
    }

    public func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot {
        book.withLock { book in
            book.refresh(at: now)
            return book.snapshot(at: now)
        }
    }
}
