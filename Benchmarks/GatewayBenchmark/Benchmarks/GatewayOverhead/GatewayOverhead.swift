import BenchSupport
import Benchmark
import GatewayCore
import GeminiProvider

// Per-call overhead of the gateway (key selection, pacing, classification, the call loop) with a
// transport that answers at once, with and without Gemini JSON: wall-clock percentiles and
// mallocs per call. Throughput across tasks and cores is measured by gateway-bench instead, in a
// plain process (taskset -c 0 versus both cores).

let passthrough10 = try! Fixtures.gateway(keys: 10, provider: PassthroughProvider(), body: Array("ok".utf8))
let gemini10 = try! Fixtures.gateway(keys: 10, provider: GeminiProvider(), body: Fixtures.geminiAnswer)
let payload = Array("prompt".utf8)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 1_000,
        maxDuration: .seconds(3), maxIterations: 200_000)

    // 1,000 calls a sample inside one open scope; figures are per call.
    let perCall = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput], warmupIterations: 10, scalingFactor: .kilo,
        maxDuration: .seconds(3), maxIterations: 5_000)

    Benchmark("call, no JSON", configuration: perCall) { benchmark in
        try await passthrough10.withClient(task: "bench") { client in
            for _ in benchmark.scaledIterations { blackHole(try await client.send(payload)) }
        }
    }

    Benchmark("call, Gemini JSON encode + decode", configuration: perCall) { benchmark in
        try await gemini10.withClient(task: "bench") { client in
            for _ in benchmark.scaledIterations { blackHole(try await client.send(Fixtures.geminiRequest)) }
        }
    }

    Benchmark("scoped call (withClient + send), no JSON") { benchmark in
        for index in benchmark.scaledIterations {
            blackHole(try await passthrough10.withClient(task: TaskID("t\(index % 64)")) { try await $0.send(payload) })
        }
    }
}
