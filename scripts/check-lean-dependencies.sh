#!/usr/bin/env bash
# Proves the library's footprint: a scratch package that depends on GatewayCore, GeminiProvider
# and CurlTransport (the Emulator trait off, as by default) resolves only what those use —
# none of swift-nio, argument-parser, configuration, system, service-lifecycle.
# Prints the scratch package's dependency tree; fails if a heavy package appears in it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/Sources/App"
cat > "$scratch/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "App",
    dependencies: [.package(name: "LLMGateway", path: "$root")],
    targets: [.executableTarget(name: "App", dependencies: [
        .product(name: "GatewayCore", package: "LLMGateway"),
        .product(name: "GeminiProvider", package: "LLMGateway"),
        .product(name: "CurlTransport", package: "LLMGateway"),
    ])]
)
SWIFT
echo 'import GatewayCore; import GeminiProvider; import CurlTransport; print("ok")' > "$scratch/Sources/App/main.swift"
tree="$(cd "$scratch" && swift package show-dependencies)"
echo "$tree"
heavy="swift-nio|swift-argument-parser|swift-configuration|swift-system|swift-service-lifecycle|postgres-nio"
if echo "$tree" | grep -Eq "$heavy"; then
    echo "error: the library's users would resolve a package of the tools: $(echo "$tree" | grep -Eo "$heavy" | sort -u | tr '\n' ' ')" >&2
    exit 1
fi
if [ -d "$scratch/.build/checkouts" ] && ls "$scratch/.build/checkouts" | grep -Eq "$heavy"; then
    echo "error: a heavy package was cloned: $(ls "$scratch/.build/checkouts")" >&2
    exit 1
fi
echo "checkouts: $(ls "$scratch/.build/checkouts" 2>/dev/null | tr '\n' ' ')"
