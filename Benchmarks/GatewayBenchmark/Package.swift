// swift-tools-version:6.1
// The gateway's own benchmarks: per-call overhead and allocations (ordo-one/benchmark), lease
// cost as the pool grows, memory at 10,000 tasks, limiter exactness and quota efficiency end to
// end against the emulator (the gateway-bench executable). A package of its own, so the
// library's users never resolve the benchmark tooling. Run `scripts/bench.sh`.
import PackageDescription

let package = Package(
    name: "GatewayBenchmark",
    platforms: [.macOS(.v15)],
    dependencies: [
        // A stable name for the repository root, whatever its folder is called (the script links it).
        .package(path: "../../.build-bench/LLMGateway", traits: ["Emulator"]),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchSupport",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
            ],
            path: "Sources/BenchSupport"
        ),
        .executableTarget(
            name: "GatewayOverhead",
            dependencies: [
                "BenchSupport",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
            ],
            path: "Benchmarks/GatewayOverhead",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "gateway-bench",
            dependencies: [
                "BenchSupport",
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
                .product(name: "CurlTransport", package: "LLMGateway"),
                .product(name: "GeminiEmulator", package: "LLMGateway"),
                .product(name: "MockTransport", package: "LLMGateway"),
                .product(name: "OpenAICompatibleProvider", package: "LLMGateway"),
            ],
            path: "Sources/gateway-bench"
        ),
    ]
)
