#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GatewayCSupport

/// A fixed set of counters that every call bumps, kept once per core and summed when read.
///
/// One shared atomic per counter would be a cache line that every core writes on every call;
/// on a machine whose cores sit far apart (two dies of an EPYC: a line's round trip measured
/// at 350 ns against 55 ns within one) that line alone caps throughput. Each core adds to a
/// ``PaddedAtomics`` block of its own instead, so adding stays core-local; a read sums the
/// blocks, so totals are exact but a read concurrent with adds is not a snapshot across counters.
struct PerCoreCounters: Sendable {
    private let slots: PaddedAtomics
    private let mask: Int

    /// How many counters a set holds.
    static var capacity: Int { PaddedAtomics.wordsPerBlock }

    /// Creates ``capacity`` counters, each kept once per core (up to 64 slots; more cores share).
    init() {
        var slotCount = 1
        while slotCount < min(Self.coreCount, 64) { slotCount <<= 1 }
        slots = PaddedAtomics(blocks: slotCount)
        mask = slotCount - 1
    }

    /// Adds `amount` to counter `index`, in the calling core's slot. The core is only a hint: a
    /// thread that moves between the read and the add still adds exactly once, to another slot.
    @inline(__always)
    func add(_ amount: Int, to index: Int) {
        slots.add(amount, block: Int(gateway_current_core()) & mask, word: index)
    }

    /// Counter `index` summed over every core.
    func total(_ index: Int) -> Int {
        (0...mask).reduce(0) { $0 + slots.load(block: $1, word: index) }
    }

    private static var coreCount: Int {
        #if canImport(Glibc) || canImport(Musl)
        Int(sysconf(Int32(_SC_NPROCESSORS_CONF)))
        #else
        1
        #endif
    }
}
