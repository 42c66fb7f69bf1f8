#!/usr/bin/env bash
# The gateway's benchmarks (not tests): per-call overhead, allocations and throughput
# (ordo-one/benchmark, on one core and on two), then lease cost as the pool grows, memory at
# 10,000 tasks, limiter exactness and quota efficiency end to end (gateway-bench, JSON lines).
# Results land in .build-bench/gateway/; BENCHMARKS.md records them with the machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-deps.sh"
command -v taskset >/dev/null || { echo "taskset (util-linux) is needed for the one-core run" >&2; exit 1; }
mkdir -p "$root/.build-bench/gateway"
ln -sfn "$root" "$root/.build-bench/LLMGateway"
cd "$root/Benchmarks/GatewayBenchmark"
out="$root/.build-bench/gateway"
scratch="$root/.build-bench/gateway-build"

echo "== overhead and throughput, two cores =="
swift package --scratch-path "$scratch" benchmark --target GatewayOverhead --no-progress | tee "$out/overhead-2-cores.txt"
echo "== the same, one core =="
taskset -c 0 swift package --scratch-path "$scratch" benchmark --target GatewayOverhead --no-progress | tee "$out/overhead-1-core.txt"

echo "== gateway-bench: scale, memory, limiter, end to end =="
swift build -c release --scratch-path "$scratch" --product gateway-bench
ulimit -n "$(ulimit -Hn)" || true
for part in scale memory-bare memory-scope memory-plain memory memory-child limiter e2e; do "$scratch/release/gateway-bench" "$part"; done | tee "$out/gateway-bench.jsonl"
# Two cores against one, in alternating rounds: the host moves this machine's vCPUs between
# one die and two, which changes what shared memory costs by about six times, so one round
# says little. Each two-core cell carries the cross-core round trip measured around it.
echo "== throughput: three rounds of two cores, then one =="
: > "$out/throughput-2-cores.jsonl"; : > "$out/throughput-1-core.jsonl"
for round in 1 2 3; do
    "$scratch/release/gateway-bench" throughput | tee -a "$out/throughput-2-cores.jsonl"
    taskset -c 0 "$scratch/release/gateway-bench" throughput | tee -a "$out/throughput-1-core.jsonl"
done
