import Synchronization

/// A second strategy through the same seam: every call takes the next active key in turn,
/// with no dedication. Suits short independent requests where stickiness buys nothing.
///
/// Health verdicts, cooldowns, exhaustion and snapshots behave as in ``DedicatedKeyPool``; the
/// lease count shows which key each live task used last.
public final class RoundRobinKeyPool: KeyProvider {
    public let keys: [APIKey]
    private let book: Mutex<Book>

    private struct Book {
        var keys: KeyBook
        var next = 0
    }

    public init(keys: [APIKey]) {
        self.keys = keys
        self.book = Mutex(Book(keys: KeyBook(keys: keys)))
    }

    public func select(for task: TaskID, excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        try book.withLock { (book: inout Book) throws(KeysExhaustedError) -> KeySelection in
            book.keys.refresh(at: now)
            let eligible = try book.keys.eligible(excluding: excluded, at: now)
            let count = keys.count
            for step in 0..<count {
                let candidate = KeyID((book.next + step) % count)
                guard eligible.contains(candidate), book.keys.health(of: candidate) == .active else { continue }
                book.next = (candidate.index + 1) % count
                book.keys.assign(candidate, to: task)
                return .use(keys[candidate.index])
            }
            return .waitUntil(book.keys.earliestReturn(of: eligible) ?? now)
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
