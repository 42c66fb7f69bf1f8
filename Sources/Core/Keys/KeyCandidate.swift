/// One key a strategy may choose, with what a strategy needs to know about it. Never the key's text.
public struct KeyCandidate: Sendable, Hashable {
    /// The key's position in the gateway's list.
    public let id: KeyID
    /// The key's label (e.g. `#2`).
    public let label: String
    /// The quota group (project) the key draws from.
    public let quotaGroup: QuotaGroup
    /// Whether the asking task holds this key now.
    public let isHeld: Bool
    /// Tasks holding this key now (the asking task included, when it holds it).
    public let leases: Int
    /// Leases held across the key's quota group.
    public let groupLeases: Int
    /// Keys in the key's quota group.
    public let groupSize: Int
    /// The number of the book's latest choice of this key (choices are numbered 1, 2, …; 0 when
    /// never chosen): the smallest is the key chosen longest ago.
    public let lastChoice: Int
    /// When an attempt last used this key.
    public let lastUsed: GatewayClock.Instant?
    /// Attempts on this key so far.
    public let attempts: Int
    /// Successful attempts on this key so far.
    public let successes: Int
    /// Failed attempts on this key so far.
    public let failures: Int
    /// When one task other than the asking one holds this key: how many attempts that task has
    /// been leased a key for since it first took one (its turns so far, whatever the key);
    /// otherwise `nil`. Compare with ``KeyCandidates/attempts``.
    public let holderAttempts: Int?
    /// Whether the choice asks for a trade (see ``traded()``).
    public private(set) var isTraded = false

    /// This key, taken in a trade: the asking task takes it, and the one task holding it takes
    /// the asking task's key, in one step — so each key keeps one task. The book makes the
    /// trade only when this key has exactly one other holder and the asking task holds its own
    /// key alone; otherwise the choice counts as a plain one (the task takes the key, sharing it).
    /// The other task's next attempt leases again as usual, so a key it may not use is left then.
    public func traded() -> KeyCandidate {
        var choice = self
        choice.isTraded = true
        return choice
    }

    /// Leases across the key's quota group per key in it: how busy its project is.
    public var groupLoad: Double { Double(groupLeases) / Double(max(groupSize, 1)) }
    /// Tasks other than the asking one holding this key.
    public var otherLeases: Int { leases - (isHeld ? 1 : 0) }
}

/// The keys a task may use for its next attempt, in key order; never empty when a strategy
/// sees it. Computed lazily from the book: asking for ``held`` costs nothing, iterating costs
/// one look at each key.
public struct KeyCandidates: Sequence, Sendable {
    let book: KeyBook
    let task: TaskID
    let heldKey: KeyID?
    /// How many attempts the asking task has been leased a key for since it first took one
    /// (this one not counted); 0 for a task that holds none.
    public let attempts: Int
    let excluded: Set<KeyID>
    let model: String?
    let now: GatewayClock.Instant

    init(book: KeyBook, task: TaskID, held: KeyID?, attempts: Int, excluded: Set<KeyID>, model: String?, now: GatewayClock.Instant) {
        self.book = book
        self.task = task
        self.heldKey = held
        self.attempts = attempts
        self.excluded = excluded
        self.model = model
        self.now = now
    }

    private func isCandidate(_ index: Int) -> Bool {
        !excluded.contains(KeyID(index)) && book.health(of: KeyID(index), model: model, at: now) == .active
    }

    /// The key the task holds, when it is still a candidate.
    public var held: KeyCandidate? {
        guard let heldKey, isCandidate(heldKey.index) else { return nil }
        return book.candidate(heldKey.index, heldBy: heldKey)
    }

    /// The first candidate in key order.
    public var first: KeyCandidate? { first { _ in true } }

    /// Whether `key` is a candidate.
    public func contains(_ key: KeyID) -> Bool { book.keys.indices.contains(key.index) && isCandidate(key.index) }

    /// Steps through the candidates in key order.
    public struct Iterator: IteratorProtocol {
        let candidates: KeyCandidates
        var index = 0

        /// The next candidate in key order, or `nil` after the last.
        public mutating func next() -> KeyCandidate? {
            while index < candidates.book.keys.count {
                defer { index += 1 }
                if candidates.isCandidate(index) { return candidates.book.candidate(index, heldBy: candidates.heldKey) }
            }
            return nil
        }
    }

    /// Starts a walk through the candidates in key order.
    public func makeIterator() -> Iterator { Iterator(candidates: self) }
}
