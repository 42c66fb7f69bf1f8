#!/usr/bin/env bash
# Every Swift block of the README and of the DocC articles is code that is compiled and run:
#   1. each ```swift block is preceded by `<!-- snippet: PATH -->` and equals PATH's visible
#      text (without the `// snippet.hide` … `// snippet.show` parts), so the docs show the
#      compiled code verbatim;
#   2. `swift build --traits Emulator,PostgresSharedState` compiles Snippets/ (Swift 6 mode, top-level code) and
#      Tests/SnippetTests; the offline snippets run, QuickStart and CurlSettings run unchanged
#      against a gemini-emulator through GEMINI_API_KEY_1 and GEMINI_BASE_URL;
#   3. a fresh package made of the README's lines — its Package.swift, the offline program as
#      main.swift, the testing snippet as its test — depends on this checkout by path, builds,
#      runs and passes its test, as a newcomer's would.
# `--text-only` stops after step 1 (quick, no build); `--update` rewrites each marked block from
# its file first (after editing a snippet). Any mismatch or failure exits non-zero.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
work="$root/.build/snippets"
mkdir -p "$work"

# Prints a file's visible text: without `// snippet.hide` … `// snippet.show` regions.
visible() {
    python3 - "$1" <<'PY'
import sys
out, shown = [], True
for line in open(sys.argv[1]).read().split("\n"):
    mark = line.strip()
    if mark == "// snippet.hide": shown = False; continue
    if mark == "// snippet.show": shown = True; continue
    if shown: out.append(line)
print("\n".join(out).strip("\n"))
PY
}

echo "== 1. the docs' Swift blocks equal their compiled files"
python3 - "$root" "${1:-}" <<'PY'
import glob, os, re, sys
root, update = sys.argv[1], sys.argv[2] == "--update"
def visible(path):
    out, shown = [], True
    for line in open(path).read().split("\n"):
        mark = line.strip()
        if mark == "// snippet.hide": shown = False; continue
        if mark == "// snippet.show": shown = True; continue
        if shown: out.append(line)
    return "\n".join(out).strip("\n")
docs = ["README.md"] + sorted(glob.glob("Sources/**/*.docc/**/*.md", root_dir=root, recursive=True))
failures, checked = [], 0
for doc in docs:
    lines = open(os.path.join(root, doc)).read().split("\n")
    if update:
        out, i = [], 0
        while i < len(lines):
            out.append(lines[i])
            m = re.fullmatch(r"<!-- snippet: (\S+) -->", lines[i].strip())
            if m and i + 1 < len(lines) and lines[i + 1].strip() == "```swift" and os.path.exists(os.path.join(root, m.group(1))):
                j = i + 2
                while j < len(lines) and lines[j].strip() != "```": j += 1
                out += ["```swift"] + visible(os.path.join(root, m.group(1))).split("\n")
                i = j
                continue
            i += 1
        open(os.path.join(root, doc), "w").write("\n".join(out))
        lines = out
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```swift":
            start = i
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```": j += 1
            block = "\n".join(lines[i + 1:j]).strip("\n")
            k = start - 1
            while k >= 0 and not lines[k].strip(): k -= 1
            m = re.fullmatch(r"<!-- snippet: (\S+) -->", lines[k].strip()) if k >= 0 else None
            if not m:
                failures.append(f"{doc}:{start + 1}: a ```swift block without a `<!-- snippet: PATH -->` line before it")
            else:
                path = os.path.join(root, m.group(1))
                if not os.path.exists(path):
                    failures.append(f"{doc}:{start + 1}: {m.group(1)} does not exist")
                elif visible(path) != block:
                    import difflib
                    diff = "\n".join(difflib.unified_diff(visible(path).split("\n"), block.split("\n"), m.group(1), doc, lineterm="", n=1))
                    failures.append(f"{doc}:{start + 1}: differs from {m.group(1)}:\n{diff}")
                checked += 1
            i = j
        i += 1
for failure in failures: print("  " + failure)
if failures: sys.exit(1)
print(f"  {checked} blocks in {len(docs)} files match")
PY
case "${1:-}" in --text-only|--update) exit 0 ;; esac

scripts/install-deps.sh >/dev/null
lock() { if command -v flock >/dev/null; then flock /tmp/swift-build.lock "$@"; else "$@"; fi; }

echo "== 2. the snippets compile and run"
lock swift build --traits Emulator,PostgresSharedState
lock swift build --traits Emulator,PostgresSharedState --target SnippetTests
bin="$(swift build --traits Emulator,PostgresSharedState --show-bin-path)"
for snippet in OfflineQuickStart ScopeNesting Emulator OpenAICompatible CustomStrategy CustomParts RecordReplay; do
    echo "-- $snippet"
    timeout 120 "$bin/$snippet"
done
lock swift build --package-path Examples --product gemini-emulator
emulator_bin="$(swift build --package-path Examples --show-bin-path)/gemini-emulator"
cat > "$work/emulator.json" <<'JSON'
{"keys": [{"key": "snippet-key-0001", "project": "snippet-project", "state": "valid"}], "quotas": {"*": {"rpm": 15}}}
JSON
"$emulator_bin" --config "$work/emulator.json" --port 0 > "$work/emulator.log" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q listening "$work/emulator.log" 2>/dev/null && break; sleep 0.1; done
url="$(sed -n 's/.*listening on //p' "$work/emulator.log")"
[ -n "$url" ] || { echo "gemini-emulator did not start"; exit 1; }
for snippet in QuickStart CurlSettings; do
    echo "-- $snippet (GEMINI_BASE_URL=$url)"
    env -i PATH="$PATH" HOME="$HOME" GEMINI_API_KEY_1=snippet-key-0001 GEMINI_BASE_URL="$url" timeout 120 "$bin/$snippet"
done

echo "== 3. a fresh package of the README's lines builds, runs and tests"
app="$work/MyApp"
rm -rf "$app/Sources" "$app/Tests" && mkdir -p "$app/Sources/MyApp" "$app/Tests/MyAppTests"
ln -sfn "$root" "$work/LLMGateway"              # the README's `.package(path: "../LLMGateway", …)`
visible docs/consumer/Package.swift > "$app/Package.swift"
visible Snippets/OfflineQuickStart.swift > "$app/Sources/MyApp/main.swift"
visible Tests/SnippetTests/TestingWithTheMock.swift > "$app/Tests/MyAppTests/MyAppTests.swift"
lock swift build --package-path "$app"
timeout 120 "$(swift build --package-path "$app" --show-bin-path)/MyApp"
lock swift test --package-path "$app"
echo "every snippet compiled, ran and matched its docs"
