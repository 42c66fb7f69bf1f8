// swift-tools-version:6.1
// The transport benchmark: CurlTransport side by side with AsyncHTTPClient and URLSession
// against a local Hummingbird server. A package of its own, so the library's users never
// resolve or build a server stack. Run it with `scripts/bench-transport.sh`.
import PackageDescription

let package = Package(
    name: "TransportBenchmark",
    platforms: [.macOS(.v15)],
    dependencies: [
        // A stable name for the repository root, whatever its folder is called (the script links it).
        .package(path: "../../.build-bench/LLMGateway"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
    ],
    targets: [
        .executableTarget(
            name: "transport-bench",
            dependencies: [
                .product(name: "CurlTransport", package: "LLMGateway"),
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        )
    ]
)
