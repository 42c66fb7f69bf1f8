/// The in-process ``KeyProvider``: a ``KeyBook`` under a lock, choosing with a ``KeyStrategy``.
/// The gateway's default, with ``DedicatedKeyStrategy``.
public final class KeyPool: KeyProvider {
    private let book: Locked<KeyBook>
    private let strategy: any KeyStrategy

    /// A pool over `keys` (as loaded by ``KeySet``) that chooses with `strategy`; with
    /// `learning`, keys that rate limits show to share a quota are paced as one group.
    public init(keys: [APIKey], strategy: some KeyStrategy = DedicatedKeyStrategy(), learning: SharedQuotaLearning? = nil) {
        self.book = Locked(KeyBook(keys: keys, learning: learning))
        self.strategy = strategy
    }

    /// Leases `task` a key for its next attempt, chosen by the pool's strategy, or says when one
    /// returns.
    public func lease(for task: TaskID, excluding excluded: Set<KeyID>, model: String?, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        try book.withLock { (book: inout KeyBook) throws(KeysExhaustedError) -> KeySelection in
            try book.lease(for: task, excluding: excluded, model: model, at: now, choosing: strategy)
        }
    }

    /// Whether `key` may still be used for a call to `model` now.
    public func isUsable(_ key: KeyID, model: String?, at now: GatewayClock.Instant) -> Bool {
        book.withLock { $0.isUsable(key, model: model, at: now) }
    }

    /// Records the attempt's outcome on `key` and applies `verdict` to the keys it reaches.
    public func report(_ outcome: AttemptOutcome, verdict: KeyVerdict, for key: KeyID, at now: GatewayClock.Instant) {
        book.withLock { book in
            book.record(outcome, for: key, at: now)
            book.apply(verdict, to: key, at: now)
        }
    }

    /// The key `task` holds now, if any.
    public func heldKey(by task: TaskID) -> KeyID? { book.withLock { $0.heldKey(by: task) } }

    /// Releases whatever `task` holds.
    public func release(task: TaskID) { book.withLock { $0.release(task) } }

    /// Every key's state, leases and counters at `now`.
    public func snapshot(at now: GatewayClock.Instant) -> PoolSnapshot { book.withLock { $0.snapshot(at: now) } }

    /// The group `key` draws from now: the group learned for it, else its declared one.
    public func quotaGroup(of key: APIKey) -> QuotaGroup { book.withLock { $0.quotaGroup(of: key.id) } }
}
