#!/usr/bin/env bash
# The transport benchmark (not part of the tests): CurlTransport, AsyncHTTPClient and URLSession
# against one local Hummingbird server, at concurrency 1, 64 and 1,024, plus threads and RSS
# with 10,000 requests in flight. Prints a table and writes JSON to .build-bench/transport.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
mkdir -p "$root/.build-bench"
ln -sfn "$root" "$root/.build-bench/LLMGateway"
cd "$root/Benchmarks/TransportBenchmark"
swift build -c release --scratch-path "$root/.build-bench/transport"
ulimit -n "$(ulimit -Hn)" || true
"$root/.build-bench/transport/release/transport-bench" --json "$root/.build-bench/transport.json" "$@"
