#!/usr/bin/env bash
# Fuzzes the parsers and decoders that take outside bytes with libFuzzer and AddressSanitizer:
# the Gemini answer and error decoders (with the retry-delay and quota parsing inside them),
# the SSE parser, the retry-delay parser, the emulator's request parser, the .env parser and
# the Kit's text handling (Examples/Fuzz/Harness/FuzzTargets.swift).
#
#   scripts/fuzz.sh [runs-per-target] [target ...]      (default 2000000 runs, every target)
#
# Builds in its own scratch folder (a sanitizer build shares nothing with the normal one), runs
# each target for a fixed number of executions from the harness's seeds, and prints one line
# per target; a crash leaves its input as crash-* in the work folder and fails the script.
# Leak detection is off: LeakSanitizer counts Swift's lazily made globals (a `static let`
# error value, say) as leaks at exit, which ended a clean run of 2,000,000 inputs as a "crash".
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-2000000}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(gemini-answer sse retry-delay emulator-request dotenv kit-text)
scratch="${FUZZ_SCRATCH:-/tmp/llmgateway-fuzz-build}"
work="${FUZZ_WORK:-/tmp/llmgateway-fuzz}"

flock /tmp/swift-build.lock swift build --package-path Examples --scratch-path "$scratch" --product gemini-batch-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library
binary="$scratch/debug/gemini-batch-fuzz"

mkdir -p "$work"
total=0
for target in "${targets[@]}"; do
    corpus="$work/corpus-$target"
    mkdir -p "$corpus"
    # The seeds, one file each (the harness lists them; a few by hand suffice for libFuzzer).
    printf '%s' '{"candidates":[{"content":{"parts":[{"text":"hi"}]},"finishReason":"STOP"}]}' > "$corpus/seed-answer"
    printf '%s' '{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"26s"}]}}' > "$corpus/seed-error"
    printf 'data: {"a":1}\r\n\r\ndata: [DONE]\n\n' > "$corpus/seed-sse"
    printf 'export K="a\\"b" # c\nQ = v\n' > "$corpus/seed-env"
    printf '%s' 'Part {index} of {file}: {chunk} {{x}}' > "$corpus/seed-prompt"
    printf '%s' '34.0748s' > "$corpus/seed-delay"
    log="$work/$target.log"
    (cd "$work" && ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" GEMINI_FUZZ_TARGET="$target" "$binary" -runs="$runs" -max_len=4096 -detect_leaks=0 -print_final_stats=1 "$corpus" >"$log" 2>&1) || {
        echo "$target: CRASH — see $log and $work/crash-*"
        exit 1
    }
    done_runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    total=$((total + done_runs))
    echo "$target: $done_runs executions, 0 crashes ($(grep -o 'cov: [0-9]*' "$log" | tail -1))"
done
echo "total: $total executions, 0 crashes"
