import BenchSupport
import Foundation
import GatewayCore

/// Calls per second through the gateway (instant transport, no JSON) with 1, 2, 100 and 10,000
/// tasks over 10 and 1,000 keys, and how many cores the process kept busy (CPU time ÷ wall).
/// A plain figure of the gateway's own cost, not a goal: a real call takes seconds.
///
/// `THROUGHPUT_KEYS`, `THROUGHPUT_TASKS` (comma-separated) and `THROUGHPUT_CALLS` pick other
/// cells, for looking at one of them closely.
enum ThroughputBenchmark {
    static func run(_ report: ([String: Any]) -> Void) async throws {
        let environment = ProcessInfo.processInfo.environment
        func numbers(_ name: String, default values: [Int]) -> [Int] {
            environment[name].map { $0.split(separator: ",").compactMap { Int($0) } } ?? values
        }
        let calls = numbers("THROUGHPUT_CALLS", default: [200_000]).first ?? 200_000
        for keys in numbers("THROUGHPUT_KEYS", default: [10, 1_000]) {
            let gateway = try Fixtures.gateway(keys: keys, provider: PassthroughProvider(), body: Array("ok".utf8))
            for tasks in numbers("THROUGHPUT_TASKS", default: [1, 2, 100, 10_000]) {
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
                let cpu = cpuSeconds() - cpuBefore
                let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
                report([
                    "benchmark": "throughput", "keys": keys, "tasks": tasks, "calls": perTask * tasks,
                    "calls per second": Int(Double(perTask * tasks) / seconds),
                    "cores busy": cpu / seconds,
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
