import BenchSupport
import Foundation
import GatewayCore
import GeminiProvider

/// Peak resident memory with 10,000 tasks over 1,000 keys, every task in its own scope at once,
/// each making five Gemini calls (JSON both ways) through the instant transport.
enum MemoryBenchmark {
    /// What the tasks do while all 10,000 are alive at once.
    enum Variant: String {
        /// Nothing: the cost of 10,000 suspended Swift tasks alone.
        case bare = "memory-bare"
        /// Each holds a `withClient` scope with a lease, no call made yet.
        case scope = "memory-scope"
        /// Each has made a Gemini call, then all wait, then four more calls each.
        case calls = "memory"
        /// The same with bytes in and out, no JSON.
        case plainCalls = "memory-plain"
        /// Gemini calls, each made in a short-lived child task (`async let`).
        case childCalls = "memory-child"
    }

    static func run(_ report: ([String: Any]) -> Void, variant: Variant = .calls) async throws {
        let before = peakResidentBytes()
        let gemini = try Fixtures.gateway(keys: 1_000, provider: GeminiProvider(), body: Fixtures.geminiAnswer)
        let plain = try Fixtures.gateway(keys: 1_000, provider: PassthroughProvider(), body: Array("ok".utf8))
        let clock = ContinuousClock()
        let start = clock.now
        let gate = Gate(count: 10_000)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<10_000 {
                group.addTask {
                    if variant == .bare {
                        await gate.arriveAndWait()
                        return
                    }
                    if variant == .scope {
                        // A body with no call in it: its frame holds nothing of the send path.
                        try await gemini.withClient(task: TaskID("task-\(task)")) { _ in await gate.arriveAndWait() }
                        return
                    }
                    if variant == .childCalls {
                        try await gemini.withClient(task: TaskID("task-\(task)")) { client in
                            async let first = client.send(Fixtures.geminiRequest)
                            _ = try await first
                            await gate.arriveAndWait()
                            for _ in 0..<4 {
                                async let next = client.send(Fixtures.geminiRequest)
                                _ = try await next
                            }
                        }
                        return
                    }
                    if variant == .plainCalls {
                        try await plain.withClient(task: TaskID("task-\(task)")) { client in
                            _ = try await client.send(Array("p".utf8))
                            await gate.arriveAndWait()
                            for _ in 0..<4 { _ = try await client.send(Array("p".utf8)) }
                        }
                        return
                    }
                    try await gemini.withClient(task: TaskID("task-\(task)")) { client in
                        if variant == .calls { _ = try await client.send(Fixtures.geminiRequest) }
                        await gate.arriveAndWait()   // every task holds its scope at the same time
                        if variant == .calls { for _ in 0..<4 { _ = try await client.send(Fixtures.geminiRequest) } }
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = start.duration(to: clock.now)
        let stats = variant == .plainCalls ? plain.statistics() : gemini.statistics()
        let leasesLeft = variant == .plainCalls ? plain.snapshot().totalLeases : gemini.snapshot().totalLeases
        report([
            "benchmark": variant.rawValue, "tasks": 10_000, "keys": 1_000, "calls": stats.callsSucceeded,
            "peak RSS MB": Double(peakResidentBytes()) / 1_048_576, "peak RSS before MB": Double(before) / 1_048_576,
            "seconds": Double(seconds.components.seconds) + Double(seconds.components.attoseconds) / 1e18,
            "leases left": leasesLeft,
        ])
    }

    static func peakResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}

/// Lets `count` tasks wait until all of them have arrived.
actor Gate {
    private var remaining: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(count: Int) { remaining = count }
    func arriveAndWait() async {
        remaining -= 1
        if remaining == 0 {
            waiting.forEach { $0.resume() }
            waiting.removeAll()
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }
}
