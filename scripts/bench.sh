#!/usr/bin/env bash
# The gateway's benchmarks (not tests): per-call overhead and allocations (ordo-one/benchmark),
# then lease cost as the pool grows, memory at 10,000 tasks, limiter exactness, quota efficiency
# end to end and throughput (gateway-bench, JSON lines).
# Results land in .build-bench/gateway/; BENCHMARKS.md records them with the machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
mkdir -p "$root/.build-bench/gateway"
ln -sfn "$root" "$root/.build-bench/LLMGateway"
cd "$root/Benchmarks/GatewayBenchmark"
out="$root/.build-bench/gateway"
scratch="$root/.build-bench/gateway-build"

echo "== overhead per call =="
swift package --scratch-path "$scratch" benchmark --target GatewayOverhead --no-progress | tee "$out/overhead.txt"

echo "== gateway-bench: scale, memory, limiter, end to end =="
swift build -c release --scratch-path "$scratch" --product gateway-bench
ulimit -n "$(ulimit -Hn)" || true
for part in scale memory-bare memory-scope memory-plain memory memory-child limiter e2e openai-e2e; do "$scratch/release/gateway-bench" "$part"; done | tee "$out/gateway-bench.jsonl"
echo "== throughput (a plain figure of the gateway's own cost) =="
"$scratch/release/gateway-bench" throughput | tee "$out/throughput.jsonl"
