// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "MyApp",
    platforms: [.macOS(.v15)],
    dependencies: [
        // A checkout next to your package. Its identity is the folder's name: keep it LLMGateway.
        .package(path: "../LLMGateway", traits: ["Emulator"]),   // the trait only for GeminiEmulator
    ],
    targets: [
        .executableTarget(
            name: "MyApp",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),     // the gateway, keys, limiter, retries
                .product(name: "GeminiProvider", package: "LLMGateway"),  // .gemini()
                .product(name: "CurlTransport", package: "LLMGateway"),   // HTTP (libcurl)
                .product(name: "GeminiEmulator", package: "LLMGateway"),  // a local Gemini server (SwiftNIO)
            ]
        ),
        .testTarget(
            name: "MyAppTests",
            dependencies: [
                .product(name: "GatewayCore", package: "LLMGateway"),
                .product(name: "GeminiProvider", package: "LLMGateway"),
                .product(name: "MockTransport", package: "LLMGateway"),   // scripted answers, in tests
            ]
        ),
    ]
)
