// swift-tools-version:6.2
// The programs built on LLMGateway: gemini-batch (the main job), the gemini-emulator command,
// the example programs, and their tests. A package of its own, as async-http-client keeps its
// examples, so that a user of the library never resolves argument-parser or the emulator's
// SwiftNIO. Run from the repository root: `swift run --package-path Examples …`.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LLMGatewayExamples",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gemini-batch", targets: ["gemini-batch"]),
        .executable(name: "gemini-emulator", targets: ["gemini-emulator"]),
        .executable(name: "gemini-batch-fuzz", targets: ["gemini-batch-fuzz"]),
        .executable(name: "shared-state-bench", targets: ["shared-state-bench"]),
    ],
    dependencies: [
        .package(name: "LLMGateway", path: "..", traits: ["Emulator", "PostgresSharedState"]),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.9.0"..<"6.0.0"),
    ],
    targets: [
        .target(
            name: "GeminiBatchKit",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
                .product(name: "OpenAICompatibleProvider", package: "LLMGateway"),
                .product(name: "CurlTransport", package: "LLMGateway"),
                .product(name: "GeminiEmulator", package: "LLMGateway"),
                .product(name: "PostgresSharedState", package: "LLMGateway"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "GeminiBatch/Kit",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gemini-batch",
            dependencies: [
                "GeminiBatchKit",
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "GeminiBatch/CLI",
            swiftSettings: swiftSettings
        ),
        // Fuzz targets for the decoders and parsers that take outside bytes (scripts/fuzz.sh
        // builds them with libFuzzer; the tests run a short smoke pass).
        .target(
            name: "FuzzHarness",
            dependencies: [
                "GeminiBatchKit",
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
                .product(name: "GeminiEmulator", package: "LLMGateway"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Fuzz/Harness",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gemini-batch-fuzz",
            dependencies: ["FuzzHarness"],
            path: "Fuzz/Runner",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gemini-emulator",
            dependencies: [
                .product(name: "GeminiEmulator", package: "LLMGateway"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "GeminiEmulatorCLI",
            swiftSettings: swiftSettings
        ),
        // The shared state's cost per call (scripts/bench-shared-state.sh; not a test).
        .executableTarget(
            name: "shared-state-bench",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "PostgresSharedState", package: "LLMGateway"),
            ],
            path: "SharedStateBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "QuickStart",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
                .product(name: "CurlTransport", package: "LLMGateway"),
                .product(name: "GeminiEmulator", package: "LLMGateway"),
            ],
            path: "QuickStart",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "OpenAIQuickStart",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "OpenAICompatibleProvider", package: "LLMGateway"),
                .product(name: "CurlTransport", package: "LLMGateway"),
                .product(name: "GeminiEmulator", package: "LLMGateway"),
            ],
            path: "OpenAIQuickStart",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CustomPolicy",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
                .product(name: "CurlTransport", package: "LLMGateway"),
                .product(name: "GeminiEmulator", package: "LLMGateway"),
            ],
            path: "CustomPolicy",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "MockQuickStart",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "MockTransport", package: "LLMGateway"),
            ],
            path: "MockQuickStart",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GeminiBatchKitTests",
            dependencies: [
                "GeminiBatchKit",
                // Built before the tests: the interruption tests run the real binary and signal it.
                "gemini-batch",
                "FuzzHarness",
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiEmulator", package: "LLMGateway"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/GeminiBatchKitTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CustomPolicyTests",
            dependencies: [
                "CustomPolicy",
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "KeyStrategyConformance", package: "LLMGateway"),
            ],
            path: "Tests/CustomPolicyTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "OpenAICompatibleProvider", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
                .product(name: "CurlTransport", package: "LLMGateway"),
                .product(name: "GeminiEmulator", package: "LLMGateway"),
            ],
            path: "Tests/EndToEndTests",
            swiftSettings: swiftSettings
        ),
    ]
)
