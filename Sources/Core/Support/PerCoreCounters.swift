#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import GatewayCSupport
import Synchronization

/// A fixed set of counters that every call bumps, kept once per core and summed when read.
///
/// One shared atomic per counter would be a cache line that every core writes on every call;
/// on a machine whose cores sit far apart (two dies of an EPYC: a line's round trip measured
/// at 350 ns against 55 ns within one) that line alone caps throughput. Each core adds to a
/// slot of its own instead, so adding stays core-local; a read sums the slots, so totals are
/// exact but a read concurrent with adds is not a snapshot across counters.
final class PerCoreCounters: Sendable {
    /// One core's counters in one allocation, padded so that two slots never share a line.
    private final class Slot: Sendable {
        let c0 = Atomic<Int>(0), c1 = Atomic<Int>(0), c2 = Atomic<Int>(0), c3 = Atomic<Int>(0)
        let c4 = Atomic<Int>(0), c5 = Atomic<Int>(0), c6 = Atomic<Int>(0), c7 = Atomic<Int>(0)
        // Spacing only: with the header, a slot spans 144 bytes, so the next slot's counters
        // are more than a cache line away from these.
        private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

        @inline(__always)
        func add(_ amount: Int, to index: Int) {
            switch index {
            case 0: c0.add(amount, ordering: .relaxed)
            case 1: c1.add(amount, ordering: .relaxed)
            case 2: c2.add(amount, ordering: .relaxed)
            case 3: c3.add(amount, ordering: .relaxed)
            case 4: c4.add(amount, ordering: .relaxed)
            case 5: c5.add(amount, ordering: .relaxed)
            case 6: c6.add(amount, ordering: .relaxed)
            default: c7.add(amount, ordering: .relaxed)
            }
        }

        func load(_ index: Int) -> Int {
            switch index {
            case 0: c0.load(ordering: .relaxed)
            case 1: c1.load(ordering: .relaxed)
            case 2: c2.load(ordering: .relaxed)
            case 3: c3.load(ordering: .relaxed)
            case 4: c4.load(ordering: .relaxed)
            case 5: c5.load(ordering: .relaxed)
            case 6: c6.load(ordering: .relaxed)
            default: c7.load(ordering: .relaxed)
            }
        }
    }

    /// How many counters a set holds.
    static let capacity = 8

    // Eight slots in stored properties, not an array: reading a class reference out of an
    // array retains it, and that retain would be a shared write again. More than eight cores
    // share slots (still exact, just less spread).
    private let s0 = Slot(), s1 = Slot(), s2 = Slot(), s3 = Slot()
    private let s4 = Slot(), s5 = Slot(), s6 = Slot(), s7 = Slot()
    private let mask: Int

    /// Creates ``capacity`` counters, each kept once per core (up to eight slots).
    init() {
        var slotCount = 1
        while slotCount < min(Self.coreCount, 8) { slotCount <<= 1 }
        mask = slotCount - 1
    }

    /// Adds `amount` to counter `index`, in the calling core's slot.
    @inline(__always)
    func add(_ amount: Int, to index: Int) {
        switch Self.currentCore() & mask {
        case 0: s0.add(amount, to: index)
        case 1: s1.add(amount, to: index)
        case 2: s2.add(amount, to: index)
        case 3: s3.add(amount, to: index)
        case 4: s4.add(amount, to: index)
        case 5: s5.add(amount, to: index)
        case 6: s6.add(amount, to: index)
        default: s7.add(amount, to: index)
        }
    }

    /// Counter `index` summed over every core.
    func total(_ index: Int) -> Int {
        [s0, s1, s2, s3, s4, s5, s6, s7].reduce(0) { $0 + $1.load(index) }
    }

    private static var coreCount: Int {
        #if canImport(Glibc) || canImport(Musl)
        Int(sysconf(Int32(_SC_NPROCESSORS_CONF)))
        #else
        1
        #endif
    }

    /// The core the calling thread runs on; only a hint: a thread that moves between the read
    /// and the add still adds exactly once, to another slot.
    @inline(__always)
    private static func currentCore() -> Int { Int(gateway_current_core()) }
}
