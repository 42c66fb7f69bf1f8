import Synchronization

/// Blocks of atomic integers, each block on cache lines of its own: for counters and flags that
/// many cores bump, where two blocks sharing a line would make cores trade it on every write.
///
/// A block spans 128 bytes (16 words; two cache lines, so the adjacent-line prefetcher does
/// not pair them either). Blocks are addressed by index; the buffer never moves.
final class PaddedAtomics: @unchecked Sendable {
    // @unchecked: `words` is allocated once in `init` and freed in `deinit`; in between every
    // access is an atomic operation on one of its elements.
    private let words: UnsafeMutablePointer<Atomic<Int>>
    private let capacity: Int

    /// Words per block.
    static var wordsPerBlock: Int { 16 }

    /// Creates `blocks` blocks whose word `w` starts at `initial(w)`.
    init(blocks: Int, initial: (Int) -> Int = { _ in 0 }) {
        capacity = max(blocks, 1) * Self.wordsPerBlock
        words = .allocate(capacity: capacity)
        for index in 0..<capacity {
            (words + index).initialize(to: Atomic(initial(index % Self.wordsPerBlock)))
        }
    }

    deinit {
        words.deinitialize(count: capacity)
        words.deallocate()
    }

    @inline(__always)
    private func word(_ block: Int, _ word: Int) -> UnsafeMutablePointer<Atomic<Int>> {
        words + (block * Self.wordsPerBlock + word)
    }

    /// Adds `amount` to word `word` of block `block`.
    @inline(__always)
    func add(_ amount: Int, block: Int, word: Int) {
        self.word(block, word).pointee.add(amount, ordering: .relaxed)
    }

    /// Word `word` of block `block` (acquiring: what was written before a releasing store of it
    /// is visible after).
    func load(block: Int, word: Int) -> Int {
        self.word(block, word).pointee.load(ordering: .acquiring)
    }

    /// Sets word `word` of block `block` (releasing).
    func store(_ value: Int, block: Int, word: Int) {
        self.word(block, word).pointee.store(value, ordering: .releasing)
    }
}
