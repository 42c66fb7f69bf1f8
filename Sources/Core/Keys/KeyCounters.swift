import Synchronization

/// What a pool lets every call read or bump without its lock: per key, a success count and
/// whether the key may be used as it is (active, no cooldown of any scope).
///
/// A call that succeeds on the key its task already holds needs nothing else from the pool;
/// taking the pool's lock twice for it made that lock a cache line every core wrote on every
/// call. Each key's words sit 128 bytes apart, so keys used from different cores never share
/// a line. Health itself still changes only under the pool's lock, which sets `usable` to match.
final class KeyCounters: @unchecked Sendable {
    // @unchecked: `words` is allocated once, never reallocated, and every access to it after
    // `init` is an atomic operation on one of its elements.
    private let words: UnsafeMutablePointer<Atomic<Int>>
    private let count: Int

    /// Atomics per key: a key's block spans 128 bytes (two cache lines).
    private static var stride: Int { 16 }
    private static var successes: Int { 0 }
    private static var usable: Int { 1 }

    /// Creates the counters of `count` keys, all usable, none with a success.
    init(count: Int) {
        self.count = count
        words = .allocate(capacity: max(count, 1) * Self.stride)
        for index in 0..<(max(count, 1) * Self.stride) {
            (words + index).initialize(to: Atomic(index % Self.stride == Self.usable ? 1 : 0))
        }
    }

    deinit {
        words.deinitialize(count: max(count, 1) * Self.stride)
        words.deallocate()
    }

    /// Counts a success on `key`.
    func addSuccess(_ key: KeyID) {
        words[key.index * Self.stride + Self.successes].add(1, ordering: .relaxed)
    }

    /// Successes on `key` so far.
    func successes(_ key: KeyID) -> Int {
        words[key.index * Self.stride + Self.successes].load(ordering: .relaxed)
    }

    /// Whether `key` was, when last set under the pool's lock, active with no cooldown at all.
    func isUsable(_ key: KeyID) -> Bool {
        words[key.index * Self.stride + Self.usable].load(ordering: .acquiring) == 1
    }

    /// Publishes whether `key` is usable as it is; call under the pool's lock, after the change.
    func setUsable(_ key: KeyID, _ usable: Bool) {
        words[key.index * Self.stride + Self.usable].store(usable ? 1 : 0, ordering: .releasing)
    }
}
