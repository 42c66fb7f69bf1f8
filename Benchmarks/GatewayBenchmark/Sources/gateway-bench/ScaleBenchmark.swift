import GatewayCore

/// The cost of a lease and its release as the pool grows, with every key already held (new
/// tasks then share the least-loaded key), and the cost of a task's repeat call on its key.
enum ScaleBenchmark {
    static func run(_ report: ([String: Any]) -> Void) {
        let clock = ContinuousClock()
        let now = GatewayClock.Instant(offset: .zero)
        for size in [10, 100, 1_000, 10_000] {
            let keys = (0..<size).map { APIKey(secret: "scale-key-\($0)-xxxxxxxx", id: KeyID($0), project: "p\($0 / 10)") }
            let pool = KeyPool(keys: keys)
            // Every key leased once, so the pool is at its busiest for a new task.
            for index in 0..<size { _ = try? pool.lease(for: TaskID("holder-\(index)"), excluding: [], model: nil, at: now) }
            let rounds = max(2_000, 2_000_000 / size)
            let tasks = (0..<64).map { TaskID("bench-\($0)") }
            let leaseStart = clock.now
            for round in 0..<rounds {
                let task = tasks[round % tasks.count]
                _ = try? pool.lease(for: task, excluding: [], model: nil, at: now)
                pool.release(task: task)
            }
            let leaseNanos = Double(leaseStart.duration(to: clock.now).nanoseconds) / Double(rounds)

            let holder = TaskID("holder-0")
            let repeatStart = clock.now
            for _ in 0..<rounds { _ = try? pool.lease(for: holder, excluding: [], model: nil, at: now) }
            let repeatNanos = Double(repeatStart.duration(to: clock.now).nanoseconds) / Double(rounds)
            report([
                "benchmark": "lease and release", "keys": size, "leases held": size, "rounds": rounds,
                "lease+release ns": Int(leaseNanos), "repeat lease ns": Int(repeatNanos),
            ])
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var inSeconds: Double { Double(nanoseconds) / 1e9 }
}
