import BenchSupport
import Foundation
import GatewayCore

/// Calls per second through the gateway (instant transport, no JSON) with 1, 2, 100 and 10,000
/// tasks over 10 and 1,000 keys, and how many cores the process kept busy (CPU time ÷ wall).
/// Run it under `taskset -c 0` and without to compare one core with two.
enum ThroughputBenchmark {
    static func run(_ report: ([String: Any]) -> Void) async throws {
        for keys in [10, 1_000] {
            let gateway = try Fixtures.gateway(keys: keys, provider: PassthroughProvider(), body: Array("ok".utf8))
            for tasks in [1, 2, 100, 10_000] {
                let calls = 200_000
                let perTask = max(1, calls / tasks)
                let clock = ContinuousClock()
                let cpuBefore = cpuSeconds()
                let start = clock.now
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for task in 0..<tasks {
                        group.addTask {
                            try await gateway.withClient(task: TaskID("task-\(task)")) { client in
                                for _ in 0..<perTask { _ = try await client.send(Array("p".utf8)) }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let wall = start.duration(to: clock.now)
                let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
                report([
                    "benchmark": "throughput", "keys": keys, "tasks": tasks, "calls": perTask * tasks,
                    "calls per second": Int(Double(perTask * tasks) / seconds),
                    "cores busy": (cpuSeconds() - cpuBefore) / seconds,
                    "cores available": ProcessInfo.processInfo.activeProcessorCount,
                ])
            }
        }
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
