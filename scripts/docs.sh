#!/usr/bin/env bash
# Builds the DocC documentation of every public module with swift-docc-plugin, warnings treated
# as errors (a broken symbol link or a malformed directive fails the build):
#   scripts/docs.sh                      every catalog, into .build/docs/<module>
#   scripts/docs.sh GatewayCore …        only these modules
#   scripts/docs.sh --preview GatewayCore  serve one at http://localhost:8080 (Ctrl-C stops)
# The Emulator and PostgresSharedState traits are on so that GeminiEmulator's server types and
# the shared state on PostgreSQL are documented.
# Also run by CI; the code blocks of the articles are checked by scripts/check-snippets.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
modules=(GatewayCore GeminiProvider OpenAICompatibleProvider CurlTransport MockTransport GeminiEmulator TransportConformance KeyStrategyConformance PostgresSharedState)
# The manifest declares swift-docc-plugin only with this set, in a build folder of its own.
export LLMGATEWAY_DOCS=1
scratch=(--scratch-path "$root/.build-docs")
lock() { if command -v flock >/dev/null; then flock /tmp/swift-build.lock "$@"; else "$@"; fi; }

if [ "${1:-}" = "--preview" ]; then
    exec swift package "${scratch[@]}" --traits Emulator,PostgresSharedState --disable-sandbox preview-documentation --target "${2:-GatewayCore}"
fi
[ "$#" -gt 0 ] && modules=("$@")
scripts/install-deps.sh >/dev/null
mkdir -p .build/docs
failed=()
for module in "${modules[@]}"; do
    echo "== $module"
    log=".build/docs/$module.log"
    status=0
    lock swift package "${scratch[@]}" --traits Emulator,PostgresSharedState --allow-writing-to-directory .build/docs \
        generate-documentation --target "$module" --warnings-as-errors \
        --output-path ".build/docs/$module" --transform-for-static-hosting > "$log" 2>&1 || status=$?
    # docc's own warnings and errors, whatever the exit status says.
    if [ "$status" -ne 0 ] || grep -qE "^(warning|error):|: (warning|error):" "$log"; then
        grep -E "warning|error" "$log" | sort -u | head -50
        echo "docs.sh: $module failed (full log: $log)"
        failed+=("$module")
        continue
    fi
    echo "   .build/docs/$module"
done
[ "${#failed[@]}" -eq 0 ] || { echo "docs.sh: warnings or errors in ${failed[*]}"; exit 1; }
