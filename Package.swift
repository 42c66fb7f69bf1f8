// swift-tools-version:6.2
import PackageDescription

/// Settings every target shares: Swift 6 language mode comes with tools 6.x; these upcoming
/// features keep the API honest (`any` spelled out, imports explicit).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// SwiftNIO, for the Gemini emulator's HTTP server only. Guarded by the `Emulator` trait, so a
/// package that uses the core, Gemini and curl (the trait off, as by default) never resolves it.
let nio = { (name: String) in
    Target.Dependency.product(name: name, package: "swift-nio", condition: .when(traits: ["Emulator"]))
}

/// swift-docc-plugin, for `swift package generate-documentation` (`scripts/docs.sh` sets
/// LLMGATEWAY_DOCS=1). Declared only then: a plugin dependency is resolved by every package that
/// depends on this one, and the library's users have no use for it.
/// postgres-nio (and swift-crypto, already in its graph, for key fingerprints), for the shared
/// state on PostgreSQL only. Guarded by the `PostgresSharedState` trait, so a user of the core
/// never resolves them.
let postgres = { (name: String, package: String) in
    Target.Dependency.product(name: name, package: package, condition: .when(traits: ["PostgresSharedState"]))
}

let documentationPlugin: [Package.Dependency] = Context.environment["LLMGATEWAY_DOCS"] == "1"
    ? [.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0")]
    : []

let package = Package(
    name: "LLMGateway",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "GatewayCore", targets: ["GatewayCore"]),
        .library(name: "GeminiProvider", targets: ["GeminiProvider"]),
        .library(name: "OpenAICompatibleProvider", targets: ["OpenAICompatibleProvider"]),
        .library(name: "CurlTransport", targets: ["CurlTransport"]),
        .library(name: "MockTransport", targets: ["MockTransport"]),
        .library(name: "TransportConformance", targets: ["TransportConformance"]),
        .library(name: "KeyStrategyConformance", targets: ["KeyStrategyConformance"]),
        // Needs the `Emulator` trait: `.package(url: …, from: …, traits: ["Emulator"])`.
        .library(name: "GeminiEmulator", targets: ["GeminiEmulator"]),
        // Needs the `PostgresSharedState` trait: `.package(url: …, from: …, traits: ["PostgresSharedState"])`.
        .library(name: "PostgresSharedState", targets: ["PostgresSharedState"]),
    ],
    traits: [
        .trait(name: "Emulator", description: "The Gemini emulator's server (brings SwiftNIO)."),
        .trait(
            name: "PostgresSharedState",
            description: "Key pool, pacing and key health shared across processes on PostgreSQL (brings postgres-nio)."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.9.0"..<"6.0.0"),
    ] + documentationPlugin,
    targets: [
        .target(
            name: "GatewayCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Sources/Core",
            swiftSettings: swiftSettings
        ),
        .target(name: "GeminiProvider", dependencies: ["GatewayCore"], path: "Sources/Providers/Gemini", swiftSettings: swiftSettings),
        .target(
            name: "OpenAICompatibleProvider",
            dependencies: ["GatewayCore", .product(name: "HTTPTypes", package: "swift-http-types")],
            path: "Sources/Providers/OpenAICompatible",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "GeminiEmulator",
            dependencies: [nio("NIOCore"), nio("NIOPosix"), nio("NIOHTTP1"), nio("NIOConcurrencyHelpers")],
            path: "Sources/Emulator/GeminiEmulator",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PostgresSharedState",
            dependencies: [
                "GatewayCore",
                .product(name: "Logging", package: "swift-log"),
                postgres("PostgresNIO", "postgres-nio"),
                postgres("Crypto", "swift-crypto"),
            ],
            path: "Sources/SharedState/Postgres",
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
            name: "KeyStrategyConformance",
            dependencies: ["GatewayCore", "MockTransport"],
            path: "Sources/Testing/KeyStrategyConformance",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "GatewayCoreTests",
            dependencies: [
                "GatewayCore", "MockTransport", "KeyStrategyConformance",
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
        .testTarget(
            name: "OpenAICompatibleProviderTests",
            dependencies: ["OpenAICompatibleProvider", "GatewayCore", "MockTransport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GeminiProviderTests", dependencies: ["GeminiProvider", "GatewayCore", "MockTransport"], swiftSettings: swiftSettings),
        // Runs with the `Emulator` trait (`scripts/test.sh` sets it); without it the target is empty.
        .testTarget(
            name: "GeminiEmulatorTests",
            dependencies: ["GeminiEmulator", "CurlTransport", "GatewayCore", "TransportConformance"],
            swiftSettings: swiftSettings
        ),
        // Runs with the `PostgresSharedState` trait against a real PostgreSQL that
        // `scripts/with-postgres.sh` starts (`LLMGATEWAY_TEST_POSTGRES_URL`); empty without the trait.
        .testTarget(
            name: "PostgresSharedStateTests",
            dependencies: [
                "PostgresSharedState", "GatewayCore", "MockTransport", "KeyStrategyConformance",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                postgres("PostgresNIO", "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The README's testing snippet, verbatim (scripts/check-snippets.sh keeps them equal).
        .testTarget(
            name: "SnippetTests",
            dependencies: ["GatewayCore", "GeminiProvider", "MockTransport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "HTTPTestServerTests",
            dependencies: ["HTTPTestServer"],
            swiftSettings: swiftSettings
        ),
    ]
)
