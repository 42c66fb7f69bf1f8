#!/usr/bin/env bash
# The main job's quota-efficiency benchmark (not a test): the gemini-batch executable against the
# gemini-emulator executable over curl, one case per row of the targets table (BENCHMARKS.md §6):
#   five     5 keys in 5 projects, declared; free tier (15/min), emulator time scale 0.05
#   bad      2 invalid + 1 suspended of 5 keys (5 projects, declared); free tier, time scale 0.05
#   shared   5 keys in 4 projects, undeclared (keys #1 and #2 share one); free tier, time scale 0.05
#   faults   5 keys in 5 projects; 10 % 503, 3 % 500, 2 % connection resets, 2 % malformed bodies;
#            free tier, time scale 0.05
#   paid     5 keys in 5 projects at 300/min, real time, answers in 1.5–2.5 s; 10 files × 60 calls;
#            no concurrency flags
#   paid-long  the same with 10 files × 240 calls (100 s)
#   mixed    5 keys in 5 projects, declared; free tier, time scale 0.05; 10 files of 6 to 40 chunks
#            (208 chunks, 218 calls), the longest not first by name
#   openai   `--provider openai-compatible` on the emulator's /v1beta/openai surface, 5 keys in 5
#            projects, free tier, time scale 0.05, no --rate: paced by the x-ratelimit-* headers
#   openai-rate  the same with --rate 15/60s
# Free-tier cases: 10 files × 20 chunks (+1 combining call each = 210 calls), `--rate 15/60s
# --time-scale 0.05`. Efficiency = calls completed per quota window ÷ the ceiling (the sum of the
# rates of the projects with a usable key). Prints one JSON line per case; runs under .build-bench/batch/.
# `scripts/bench-batch.sh five paid` runs only those cases. GEMINI_BATCH=<path> runs another
# gemini-batch binary (an older build, for before/after figures); GEMINI_BATCH_NO_TIME_SCALE=1 gives
# it the rate in wall time (`--rate 15/3s`) for builds without --time-scale.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
swift build --package-path Examples --product gemini-batch >/dev/null
swift build --package-path Examples --product gemini-emulator >/dev/null
bin="$(swift build --package-path Examples --show-bin-path)"
work="$root/.build-bench/batch"
mkdir -p "$work"
cases="${*:-five bad shared faults paid paid-long mixed}"

python3 - "$bin" "$work" $cases <<'PY'
import json, os, re, shutil, subprocess, sys, time
bin_dir, work, names = sys.argv[1], sys.argv[2], sys.argv[3:]
batch = os.environ.get("GEMINI_BATCH") or os.path.join(bin_dir, "gemini-batch")
wall_rate = os.environ.get("GEMINI_BATCH_NO_TIME_SCALE") == "1"

def write_input(folder, files, chunks):
    # `chunks` chunks (a number, or one per file) of just under 4,000 characters each, cut at
    # paragraph breaks.
    os.makedirs(folder, exist_ok=True)
    for f in range(files):
        count = chunks[f] if isinstance(chunks, list) else chunks
        parts = [("File %d, part %d. " % (f, p)) + "Words about the subject at hand. " * 118 for p in range(count)]
        open(os.path.join(folder, "file-%02d.txt" % f), "w").write("\n\n".join(parts))

def key(i):
    return "bench-key-xxxxxxxxxxxx-%02d" % (i + 1)

# name: (projects of the keys, states, declared, rpm, time scale, latency ms, jitter ms, faults, files, chunks)
CASES = {
    "five":   ([1, 2, 3, 4, 5], {}, True, 15, 0.05, 0, 0, {}, 10, 20),
    "bad":    ([1, 2, 3, 4, 5], {0: "invalid", 1: "invalid", 2: "suspended"}, True, 15, 0.05, 0, 0, {}, 10, 20),
    "shared": ([1, 1, 2, 3, 4], {}, False, 15, 0.05, 0, 0, {}, 10, 20),
    "faults": ([1, 2, 3, 4, 5], {}, True, 15, 0.05, 0, 0,
               {"unavailable": 0.10, "internalError": 0.03, "connectionReset": 0.02, "malformedBody": 0.02}, 10, 20),
    "paid":   ([1, 2, 3, 4, 5], {}, True, 300, 1.0, 1500, 1000, {}, 10, 59),
    "paid-long": ([1, 2, 3, 4, 5], {}, True, 300, 1.0, 1500, 1000, {}, 10, 239),
    "mixed":  ([1, 2, 3, 4, 5], {}, True, 15, 0.05, 0, 0, {}, 10, [12, 6, 20, 8, 16, 10, 28, 40, 32, 36]),
    "openai": ([1, 2, 3, 4, 5], {}, True, 15, 0.05, 0, 0, {}, 10, 20),
    "openai-rate": ([1, 2, 3, 4, 5], {}, True, 15, 0.05, 0, 0, {}, 10, 20),
}

for name in names:
    projects, states, declared, rpm, scale, latency, jitter, faults, files, chunks = CASES[name]
    folder = os.path.join(work, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    write_input(os.path.join(folder, "input"), files, chunks)
    config = {
        "keys": [{"key": key(i), "project": "project-%d" % p, "state": states.get(i, "valid")} for i, p in enumerate(projects)],
        "quotas": {"*": {"rpm": rpm}}, "timeScale": scale, "latencyMilliseconds": latency,
        "latencyJitterMilliseconds": jitter, "faults": faults, "seed": 7,
    }
    json.dump(config, open(os.path.join(folder, "emulator.json"), "w"))
    log = open(os.path.join(folder, "emulator.log"), "w")
    emulator = subprocess.Popen([os.path.join(bin_dir, "gemini-emulator"), "--config", os.path.join(folder, "emulator.json")], stdout=log, stderr=subprocess.STDOUT)
    url = None
    for _ in range(200):
        text = open(os.path.join(folder, "emulator.log")).read()
        match = re.search(r"listening on (\S+)", text)
        if match:
            url = match.group(1)
            break
        time.sleep(0.05)
    openai = name.startswith("openai")
    prefix = "OPENAI_API_KEY_" if openai else "GEMINI_API_KEY_"
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root")}
    for i, p in enumerate(projects):
        env["%s%d" % (prefix, i + 1)] = key(i)
        if declared:
            env["%s%d_PROJECT" % (prefix, i + 1)] = "project-%d" % p
    rate = "%d/%gs" % (rpm, 60 * scale) if wall_rate else "%d/60s" % rpm
    args = [batch, os.path.join(folder, "input"), "--output", os.path.join(folder, "out"),
            "--base-url", url + ("/v1beta/openai" if openai else ""), "--summary-json", os.path.join(folder, "summary.json"),
            "--env-file", "/nonexistent"]
    if name != "openai":
        args += ["--rate", rate]
    if openai:
        args += ["--provider", "openai-compatible", "--model", "gemini-2.5-flash-lite"]
    if scale != 1.0 and not wall_rate:
        args += ["--time-scale", str(scale)]
    with open(os.path.join(folder, "batch.log"), "w") as out:
        status = subprocess.call(args, env=env, stdout=out, stderr=subprocess.STDOUT)
    audit = json.loads(subprocess.check_output(["curl", "-s", url + "/emulator/audit"]))
    emulator.terminate()
    emulator.wait()
    summary = json.load(open(os.path.join(folder, "summary.json")))
    usable = {"project-%d" % p for i, p in enumerate(projects) if states.get(i, "valid") == "valid"}
    windows = summary["wallSeconds"] / (60.0 * scale)
    planned = sum(c + 1 for c in chunks) if isinstance(chunks, list) else files * (chunks + 1)
    bad_requests = {k["label"]: k["requests"] for k in audit["keys"] if k["rejected"] > 0}
    print(json.dumps({
        "case": name, "exit": status, "files_ok": summary["filesOK"], "files_failed": len(summary["filesFailed"]),
        "calls": summary["calls"], "calls_lost": planned - summary["calls"], "wall_seconds": round(summary["wallSeconds"], 2),
        "efficiency": round(summary["calls"] / windows / (rpm * len(usable)), 3),
        "http_429": sum(p["rateLimited"] for p in audit["projects"]),
        "attempts": summary["attempts"], "retries": summary["retries"],
        "max_admitted_in_any_window": max(p["maxAdmittedInAnyWindow"] for p in audit["projects"]), "window_limit": rpm,
        "max_in_flight_per_key": max(k.get("maxInFlight", 0) for k in audit["keys"]),
        "bad_key_requests": bad_requests, "shared_quota_notes": summary.get("sharedQuotaNotes", []),
    }), flush=True)
PY
