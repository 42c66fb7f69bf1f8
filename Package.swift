// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode comes with tools 6.x; these upcoming
/// features keep the API honest (`any` spelled out, imports explicit).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LLMGateway",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "GatewayCore", targets: ["GatewayCore"]),
        .library(name: "MockTransport", targets: ["MockTransport"]),
        .library(name: "CurlTransport", targets: ["CurlTransport"]),
        .library(name: "TransportConformance", targets: ["TransportConformance"]),
        .library(name: "GeminiProvider", targets: ["GeminiProvider"]),
        .library(name: "GeminiEmulator", targets: ["GeminiEmulator"]),
        .executable(name: "gemini-batch", targets: ["gemini-batch"]),
        .executable(name: "gemini-emulator", targets: ["gemini-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // The emulator's HTTP server and the command-line tools only; the core, Gemini and curl
        // products do not build them.
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "GatewayCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "DequeModule", package: "swift-collections"),
                "GatewayCSupport",
            ],
            path: "Sources/Core",
            exclude: ["CSupport"],
            swiftSettings: swiftSettings
        ),
        // One C function Swift's Glibc module does not export (sched_getcpu), for per-core counters.
        .target(name: "GatewayCSupport", path: "Sources/Core/CSupport"),
        .target(name: "GeminiProvider", dependencies: ["GatewayCore"], path: "Sources/Providers/Gemini", swiftSettings: swiftSettings),
        .target(
            name: "GeminiEmulator",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Sources/Emulator/GeminiEmulator",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gemini-emulator",
            dependencies: ["GeminiEmulator", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/Emulator/gemini-emulator",
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CCurl",
            path: "Sources/Transports/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/Transports/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "CurlTransport",
            dependencies: ["CCurl", "GatewayCore"],
            path: "Sources/Transports/Curl",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MockTransport",
            dependencies: ["GatewayCore", "CZlib"],
            path: "Sources/Transports/Mock",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "HTTPTestServer",
            dependencies: ["CZlib"],
            path: "Sources/Testing/HTTPTestServer",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TransportConformance",
            dependencies: ["GatewayCore", "MockTransport"],
            path: "Sources/Testing/TransportConformance",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GeminiBatchKit",
            dependencies: [
                "GatewayCore", "GeminiProvider", "CurlTransport", "GeminiEmulator",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Examples/GeminiBatch/Kit",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "gemini-batch",
            dependencies: ["GeminiBatchKit", "GatewayCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/GeminiBatch/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "QuickStart",
            dependencies: ["GatewayCore", "GeminiProvider", "CurlTransport", "GeminiEmulator"],
            path: "Examples/QuickStart",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CustomPolicy",
            dependencies: ["GatewayCore", "GeminiProvider", "CurlTransport", "GeminiEmulator"],
            path: "Examples/CustomPolicy",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "MockQuickStart",
            dependencies: ["GatewayCore", "MockTransport"],
            path: "Examples/MockQuickStart",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayCoreTests",
            dependencies: [
                "GatewayCore", "MockTransport",
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CurlTransportTests",
            dependencies: ["CurlTransport", "GatewayCore", "HTTPTestServer", "TransportConformance"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TransportConformanceTests",
            dependencies: ["TransportConformance", "MockTransport", "GatewayCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MockTransportTests",
            dependencies: ["MockTransport", "GatewayCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GeminiProviderTests", dependencies: ["GeminiProvider", "GatewayCore", "MockTransport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GeminiEmulatorTests",
            dependencies: ["GeminiEmulator", "CurlTransport", "GatewayCore", "TransportConformance"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GeminiBatchKitTests",
            dependencies: ["GeminiBatchKit", "GatewayCore", "GeminiEmulator"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["GatewayCore", "GeminiProvider", "CurlTransport", "GeminiEmulator"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HTTPTestServerTests",
            dependencies: ["HTTPTestServer"],
            swiftSettings: swiftSettings
        ),
    ]
)
