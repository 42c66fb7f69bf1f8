
/// A second strategy through the same seam: every call takes the next active key in turn,
/// with no dedication. Suits short independent requests where stickiness buys nothing.
///
/// Health verdicts, cooldowns, exhaustion and snapshots behave as in ``DedicatedKeyPool``; the
/// lease count shows which key each live task used last.
public final class RoundRobinKeyPool: KeyBookPool {
    public let keys: [APIKey]
    let book: Locked<KeyBook>
    let counters: KeyCounters

    public init(keys: [APIKey]) {
        self.keys = keys
        let book = KeyBook(keys: keys)
        self.counters = book.counters
        self.book = Locked(book)
    }

    public func select(for task: TaskID, excluding excluded: Set<KeyID>, at now: GatewayClock.Instant) throws(KeysExhaustedError) -> KeySelection {
        try select(for: task, excluding: excluded, scope: nil, at: now)
    }

    public func select(
        for task: TaskID, excluding excluded: Set<KeyID>, scope: String?, at now: GatewayClock.Instant
    ) throws(KeysExhaustedError) -> KeySelection {
        try book.withLock { (book: inout KeyBook) throws(KeysExhaustedError) -> KeySelection in
            book.refresh(at: now)
            let count = keys.count
            for step in 0..<count {
                let candidate = KeyID((book.cursor + step) % count)
                guard !excluded.contains(candidate), book.health(of: candidate, scope: scope) == .active else { continue }
                book.cursor = (candidate.index + 1) % count
                book.assign(candidate, to: task)
                return .use(keys[candidate.index])
            }
            let eligible = try book.eligible(excluding: excluded, at: now)
            return .waitUntil(book.earliestReturn(of: eligible, scope: scope) ?? now)
        }
    }
}
