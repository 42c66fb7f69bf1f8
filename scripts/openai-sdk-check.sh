#!/usr/bin/env bash
# Proves the Gemini emulator speaks the OpenAI wire format: installs the official `openai` SDK from
# PyPI into a venv under .build-openai-sdk/, builds and starts three gemini-emulator processes
# (Gemini's array-shaped errors; OpenAI's object-shaped errors; every answer content-filtered) and
# runs scripts/openai_sdk_check.py against their /v1beta/openai/ surface: chat, streaming (sync and
# async), embeddings (base64 and float), models, and errors as `openai` exceptions.
# Prints "N passed, 0 failed" and exits non-zero on any mismatch.
# SWIFT_BUILD_LOCK (default /tmp/swift-build.lock) serialises the swift build with other builds.
set -euo pipefail
cd "$(dirname "$0")/.."
work=.build-openai-sdk
mkdir -p "$work"

if [ ! -x "$work/venv/bin/python" ]; then python3 -m venv "$work/venv"; fi
"$work/venv/bin/pip" install --quiet --disable-pip-version-check openai

lock=${SWIFT_BUILD_LOCK:-/tmp/swift-build.lock}
flock "$lock" swift build --package-path Examples --product gemini-emulator
binary="$(flock "$lock" swift build --package-path Examples --show-bin-path)/gemini-emulator"

keys='[{"key":"sdk-key-main","project":"sdk-main","label":"main"},
       {"key":"sdk-key-limited","project":"sdk-limited","label":"limited"},
       {"key":"sdk-key-depleted","project":"sdk-billing","state":"prepayDepleted","label":"depleted"}]'
write_config() {  # name, error style, fault plan
    cat > "$work/$1.json" <<JSON
{"keys": $keys,
 "quotas": {"*": {"rpm": 1000}},
 "projectQuotas": {"sdk-limited": {"*": {"rpm": 1}}},
 "openAIErrorStyle": "$2", "openAIRateLimitHeaders": true, "faults": $3}
JSON
}
write_config gemini gemini '{}'
write_config openai openai '{}'
write_config filter openai '{"safety": 1}'

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# Starts an emulator with a config (in this shell, so the trap knows its pid).
launch() {
    "$binary" --config "$work/$1.json" > "$work/$1.log" 2>&1 &
    pids+=($!)
}
# Prints an emulator's URL once its log says "listening on URL".
url_of() {
    local log="$work/$1.log"
    for _ in $(seq 1 100); do
        if grep -q "listening on" "$log"; then
            sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$log" | head -1
            return
        fi
        sleep 0.1
    done
    echo "emulator $1 did not start:" >&2
    cat "$log" >&2
    return 1
}
launch gemini
launch openai
launch filter
gemini_url=$(url_of gemini)
openai_url=$(url_of openai)
filter_url=$(url_of filter)

"$work/venv/bin/python" scripts/openai_sdk_check.py "$gemini_url" "$openai_url" "$filter_url"
