/// What a pool lets every call read or bump without its lock: per key, a success count and
/// whether the key may be used as it is (active, no cooldown of any scope).
///
/// A call that succeeds on the key its task already holds needs nothing else from the pool;
/// taking the pool's lock twice for it made that lock a cache line every core wrote on every
/// call. Each key has a ``PaddedAtomics`` block, so keys used from different cores never share
/// a line. Health itself still changes only under the pool's lock, which sets `usable` to match.
struct KeyCounters: Sendable {
    private let blocks: PaddedAtomics
    private static var successes: Int { 0 }
    private static var usable: Int { 1 }

    /// Creates the counters of `count` keys, all usable, none with a success.
    init(count: Int) {
        blocks = PaddedAtomics(blocks: count) { $0 == Self.usable ? 1 : 0 }
    }

    /// Counts a success on `key`.
    func addSuccess(_ key: KeyID) { blocks.add(1, block: key.index, word: Self.successes) }

    /// Successes on `key` so far.
    func successes(_ key: KeyID) -> Int { blocks.load(block: key.index, word: Self.successes) }

    /// Whether `key` was, when last set under the pool's lock, active with no cooldown at all.
    func isUsable(_ key: KeyID) -> Bool { blocks.load(block: key.index, word: Self.usable) == 1 }

    /// Publishes whether `key` is usable as it is; call under the pool's lock, after the change.
    func setUsable(_ key: KeyID, _ usable: Bool) {
        blocks.store(usable ? 1 : 0, block: key.index, word: Self.usable)
    }
}
