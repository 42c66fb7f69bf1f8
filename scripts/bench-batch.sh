#!/usr/bin/env bash
# The main job's quota-efficiency benchmark (not a test): gemini-batch against the gemini-emulator
# executable over curl, 10 files × 20 chunks (+1 combining call each), --rate 15/3s, emulator time
# scale 0.05 (a quota minute lasts 3 s). Two set-ups:
#   five   5 keys in 5 projects, declared;
#   shared 2 keys in 1 project, undeclared (the gateway paces them as two groups).
# Efficiency = calls completed per quota window ÷ the ceiling (the sum of the real projects' rates).
# Prints one JSON line per set-up; writes the runs under .build-bench/batch/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
swift build --package-path Examples --product gemini-batch >/dev/null
swift build --package-path Examples --product gemini-emulator >/dev/null
bin="$(swift build --package-path Examples --show-bin-path)"
work="$root/.build-bench/batch"
rm -rf "$work" && mkdir -p "$work"

python3 - "$work/input" <<'PY'
import os, sys
folder = sys.argv[1]; os.makedirs(folder, exist_ok=True)
for f in range(10):
    # 20 chunks of just under 4,000 characters, cut at paragraph breaks.
    paragraphs = [("File %d, part %d. " % (f, p)) + "Words about the subject at hand. " * 118 for p in range(20)]
    open(os.path.join(folder, "file-%02d.txt" % f), "w").write("\n\n".join(paragraphs))
PY

run_case() {
    local name="$1" projects="$2" declare="$3" keys="$4"
    python3 - "$work/$name.json" "$keys" "$projects" <<'PY'
import json, sys
path, keys, projects = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
config = {"keys": [{"key": "bench-key-%02d-xxxxxxxxxxxx" % (i + 1), "project": "project-%d" % (i % projects + 1), "state": "valid"} for i in range(keys)],
          "quotas": {"*": {"rpm": 15}}, "timeScale": 0.05}
json.dump(config, open(path, "w"))
PY
    "$bin/gemini-emulator" --config "$work/$name.json" > "$work/$name.emulator.log" &
    local pid=$!
    for _ in $(seq 100); do grep -q listening "$work/$name.emulator.log" 2>/dev/null && break; sleep 0.1; done
    local url; url="$(sed -n 's/.*listening on //p' "$work/$name.emulator.log")"
    local env=()
    for i in $(seq "$keys"); do
        env+=("GEMINI_API_KEY_$i=bench-key-$(printf %02d "$i")-xxxxxxxxxxxx")
        [ "$declare" = yes ] && env+=("GEMINI_API_KEY_${i}_PROJECT=project-$(( (i - 1) % projects + 1 ))")
    done
    local status=0
    env -i PATH="$PATH" HOME="$HOME" "${env[@]}" "$bin/gemini-batch" "$work/input" --output "$work/$name.out" \
        --rate 15/3s --base-url "$url" --summary-json "$work/$name.summary.json" --env-file /nonexistent \
        > "$work/$name.batch.log" 2>&1 || status=$?
    curl -s "$url/emulator/audit" > "$work/$name.audit.json"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    python3 - "$name" "$projects" "$work/$name.summary.json" "$work/$name.audit.json" "$status" <<'PY'
import json, sys
name, projects, summary, audit, status = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3])), json.load(open(sys.argv[4])), int(sys.argv[5])
windows = summary["wallSeconds"] / 3.0
ceiling = 15 * projects
print(json.dumps({
    "case": name, "exit": status, "files_ok": summary["filesOK"], "files_failed": len(summary["filesFailed"]),
    "calls": summary["calls"], "wall_seconds": round(summary["wallSeconds"], 2),
    "efficiency": round(summary["calls"] / windows / ceiling, 4),
    "http_429": sum(p["rateLimited"] for p in audit["projects"]),
    "max_admitted_in_any_window": max(p["maxAdmittedInAnyWindow"] for p in audit["projects"]),
    "window_limit": 15, "calls_lost": 10 * 21 - summary["calls"],
}))
PY
}

run_case five 5 yes 5
run_case shared 1 no 2
