import Foundation
import Synchronization

/// How long one cache line takes to go from one core to another and back, measured by two
/// threads passing a counter. A control for the throughput figures: on this machine the two
/// vCPUs sit sometimes on one die of the host (≈55 ns) and sometimes on two (≈350 ns), and
/// whatever the cores share costs six times more in the second case.
enum CrossCoreLatency {
    /// Nanoseconds per round trip (the median of three runs of `roundTrips`); `nil` on one core.
    static func measure(roundTrips: Int = 100_000) -> Double? {
        guard usableCores > 1 else { return nil }
        let runs = (0..<3).map { _ in once(roundTrips) }.sorted()
        return runs[1]
    }

    /// The cores this process may run on (`taskset` narrows them; `activeProcessorCount` does
    /// not see that, and two spinning threads on one core would take a time slice per trip).
    static var usableCores: Int {
        // Linux: the affinity mask in /proc/self/status, e.g. "Cpus_allowed:\t3" (hex, comma-grouped).
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else { return ProcessInfo.processInfo.activeProcessorCount }
        let mask = line.dropFirst("Cpus_allowed:".count).filter { $0.isHexDigit }
        return mask.reduce(0) { $0 + (Int(String($1), radix: 16) ?? 0).nonzeroBitCount }
    }

    private static func once(_ roundTrips: Int) -> Double {
        let turn = Atomic<Int>(0)
        let done = Atomic<Bool>(false)
        let clock = ContinuousClock()
        let start = clock.now
        let partner = Thread {
            for index in 0..<roundTrips {
                while turn.load(ordering: .acquiring) != 2 * index + 1 {}
                turn.store(2 * index + 2, ordering: .releasing)
            }
            done.store(true, ordering: .releasing)
        }
        partner.start()
        for index in 0..<roundTrips {
            while turn.load(ordering: .acquiring) != 2 * index {}
            turn.store(2 * index + 1, ordering: .releasing)
        }
        while !done.load(ordering: .acquiring) {}
        let elapsed = start.duration(to: clock.now)
        return (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9) / Double(roundTrips)
    }
}
