#!/usr/bin/env bash
# The shared state's benchmark (not a test), inside a throwaway PostgreSQL (scripts/with-postgres.sh):
#   1. cost per call: shared-state-bench does the provider/limiter work of one attempt (lease,
#      pace, report, release) 2,000 times from 8 tasks, in-process (local) and through
#      PostgreSQL, in one process and in three at once; the database's committed transactions
#      per call give the round trips.
#   2. three gemini-batch processes at once on the same 5 keys (5 projects, --rate 15/3s, emulator
#      time scale 0.05), 12 files × 20 chunks (+1 combining call each) dealt 4 per process:
#      without --shared-state, then with it: 429s, the most admitted in any window vs the rate,
#      efficiency = calls per quota window ÷ (15 × 5).
# Debug builds, as scripts/bench-batch.sh. Prints one JSON line per measurement; runs go under
# .build-bench/shared-state/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ -z "${LLMGATEWAY_TEST_POSTGRES_URL:-}" ]; then exec scripts/with-postgres.sh "$0" "$@"; fi
url="$LLMGATEWAY_TEST_POSTGRES_URL"
scripts/install-deps.sh >/dev/null
lock() { if command -v flock >/dev/null; then flock /tmp/swift-build.lock "$@"; else "$@"; fi; }
lock swift build --package-path Examples --product gemini-batch >/dev/null
lock swift build --package-path Examples --product gemini-emulator >/dev/null
lock swift build --package-path Examples --product shared-state-bench >/dev/null
bin="$(swift build --package-path Examples --show-bin-path)"
work="$root/.build-bench/shared-state"
rm -rf "$work" && mkdir -p "$work"
commits() { psql "$url" -Atc "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"; }

echo "== 1. cost per call"
"$bin/shared-state-bench" local 2000 8
"$bin/shared-state-bench" "$url" 200 8 warm-up >/dev/null
before="$(commits)"
"$bin/shared-state-bench" "$url" 2000 8 one | tee "$work/one.json"
after="$(commits)"
python3 -c "import sys; print('{\"round_trips_per_call\": %.2f}' % ((int(sys.argv[2]) - int(sys.argv[1])) / 2000))" "$before" "$after"
pids=()
for i in 1 2 3; do "$bin/shared-state-bench" "$url" 2000 8 three > "$work/three-$i.json" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid"; done
python3 - "$work"/three-*.json <<'PY'
import json, sys
runs = [json.load(open(p)) for p in sys.argv[1:]]
print(json.dumps({"backend": "postgres", "processes": 3, "calls_per_second_total": round(sum(r["calls_per_second"] for r in runs), 1),
                  "p50_ms": max(r["p50_ms"] for r in runs), "p99_ms": max(r["p99_ms"] for r in runs)}))
PY

echo "== 2. three gemini-batch processes on the same keys"
python3 - "$work/input" <<'PY'
import os, sys
base = sys.argv[1]
for f in range(12):
    folder = os.path.join(base, str(f % 3)); os.makedirs(folder, exist_ok=True)
    paragraphs = [("File %d, part %d. " % (f, p)) + "Words about the subject at hand. " * 118 for p in range(20)]
    open(os.path.join(folder, "file-%02d.txt" % f), "w").write("\n\n".join(paragraphs))
PY
python3 - "$work/emulator.json" <<'PY'
import json, sys
json.dump({"keys": [{"key": "bench-key-%02d-xxxxxxxxxxxx" % (i + 1), "project": "project-%d" % (i + 1), "state": "valid"} for i in range(5)],
           "quotas": {"*": {"rpm": 15}}, "timeScale": 0.05}, open(sys.argv[1], "w"))
PY
env_keys=()
for i in 1 2 3 4 5; do env_keys+=("GEMINI_API_KEY_$i=bench-key-0$i-xxxxxxxxxxxx" "GEMINI_API_KEY_${i}_PROJECT=project-$i"); done

run_case() {
    local name="$1"; shift
    "$bin/gemini-emulator" --config "$work/emulator.json" > "$work/$name.emulator.log" &
    local emulator=$!
    for _ in $(seq 100); do grep -q listening "$work/$name.emulator.log" 2>/dev/null && break; sleep 0.1; done
    local base; base="$(sed -n 's/.*listening on //p' "$work/$name.emulator.log")"
    local started; started="$(date +%s.%N)"
    local pids=()
    for share in 0 1 2; do
        env -i PATH="$PATH" HOME="$HOME" "${env_keys[@]}" "$bin/gemini-batch" "$work/input/$share" --output "$work/$name.out.$share" \
            --rate 15/3s --base-url "$base" --summary-json "$work/$name.summary.$share.json" --env-file /nonexistent "$@" \
            > "$work/$name.batch.$share.log" 2>&1 &
        pids+=($!)
    done
    local status=0
    for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
    local ended; ended="$(date +%s.%N)"
    curl -s "$base/emulator/audit" > "$work/$name.audit.json"
    kill "$emulator"; wait "$emulator" 2>/dev/null || true
    python3 - "$name" "$started" "$ended" "$status" "$work/$name.audit.json" "$work"/$name.summary.*.json <<'PY'
import json, sys
name, started, ended, status, audit = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), json.load(open(sys.argv[5]))
summaries = [json.load(open(p)) for p in sys.argv[6:]]
calls = sum(s["calls"] for s in summaries)
wall = ended - started
print(json.dumps({
    "case": name, "exit": status, "files_ok": sum(s["filesOK"] for s in summaries), "calls": calls,
    "requests": audit["totalRequests"], "http_429": sum(p["rateLimited"] for p in audit["projects"]),
    "max_admitted_in_any_window": max(p["maxAdmittedInAnyWindow"] for p in audit["projects"]), "window_limit": 15,
    "wall_seconds": round(wall, 2), "efficiency": round(calls / (wall / 3.0) / (15 * 5), 4),
}))
PY
}
run_case without
run_case with --shared-state "$url" --shared-namespace "bench-$(date +%s)"
