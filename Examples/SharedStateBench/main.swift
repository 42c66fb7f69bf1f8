// The shared state's cost per call (not a test; scripts/bench-shared-state.sh runs it):
// `shared-state-bench <postgres-url|local> <calls> <tasks> [namespace]` makes `calls` calls
// from `tasks` concurrent tasks, each call the provider/limiter work of one gateway attempt —
// lease, pace, report, release — with no network call, and prints one JSON line: calls per
// second and the p50/p99 latency of that work per call.
import Foundation
import GatewayCore
import PostgresSharedState

let arguments = CommandLine.arguments
guard arguments.count >= 4, let calls = Int(arguments[2]), let tasks = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: shared-state-bench <postgres-url|local> <calls> <tasks> [namespace]\n".utf8))
    exit(2)
}
let url = arguments[1]
let namespace = arguments.count > 4 ? arguments[4] : "bench"
let keys = (0..<10).map { APIKey(secret: "bench-secret-\($0)-zzzzzzzzzzzz", id: KeyID($0), project: "project-\($0 % 5)") }
let limit = RateLimit(requests: 1_000_000, per: .seconds(1), burst: 1_000)
let clock = GatewayClock.continuous()

let shared: PostgresSharedState?
let provider: any KeyProvider
let limiter: any RateLimiter
if url == "local" {
    shared = nil
    provider = KeyPool(keys: keys)
    limiter = try TokenBucketRateLimiter(limit: limit, clock: clock)
} else {
    let state = try await PostgresSharedState.connect(.init(url: url, namespace: namespace, rateLimit: limit))
    shared = state
    provider = state.keyProvider(for: keys)
    limiter = state.rateLimiter(clock: clock)
}

let started = ContinuousClock.now
let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
    for task in 0..<tasks {
        group.addTask {
            var latencies: [Duration] = []
            for call in stride(from: task, to: calls, by: tasks) {
                let begin = ContinuousClock.now
                let id = TaskID("bench-\(task)-\(call)")
                guard case .use(let key) = try await provider.lease(for: id, excluding: [], model: nil, at: clock.now) else { continue }
                _ = try await limiter.acquire(.oneRequest, in: provider.quotaGroup(of: key), maxWait: nil)
                provider.report(.success, verdict: .notAtFault, for: key.id, at: clock.now)
                await provider.release(task: id)
                latencies.append(begin.duration(to: ContinuousClock.now))
            }
            return latencies
        }
    }
    var all: [Duration] = []
    for try await part in group { all += part }
    return all
}.sorted()
let elapsed = started.duration(to: ContinuousClock.now)
await shared?.flush(timeout: .seconds(30))
await shared?.shutdown()

func ms(_ duration: Duration) -> Double {
    let parts = duration.components
    return (Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15 * 1).rounded(toPlaces: 3)
}
extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (self * scale).rounded() / scale
    }
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
let p50 = latencies[latencies.count / 2]
let p99 = latencies[min(latencies.count - 1, latencies.count * 99 / 100)]
print("{\"backend\": \"\(url == "local" ? "local" : "postgres")\", \"calls\": \(latencies.count), \"tasks\": \(tasks), "
    + "\"calls_per_second\": \((Double(latencies.count) / seconds).rounded(toPlaces: 1)), "
    + "\"p50_ms\": \(ms(p50)), \"p99_ms\": \(ms(p99))}")
