#!/usr/bin/env python3
"""Public declarations without a `///` doc comment, per public module (a line-based check:
`public`/`open` declarations, not extensions or imports, whose previous non-attribute line is not
a doc comment). `scripts/doc-coverage.py` prints the counts; `--list MODULE` names each place;
`--strict` exits 1 when any module has an undocumented declaration."""
import glob, os, re, sys

MODULES = {
    "GatewayCore": "Sources/Core",
    "GeminiProvider": "Sources/Providers/Gemini",
    "OpenAICompatibleProvider": "Sources/Providers/OpenAICompatible",
    "CurlTransport": "Sources/Transports/Curl",
    "MockTransport": "Sources/Transports/Mock",
    "GeminiEmulator": "Sources/Emulator/GeminiEmulator",
    "TransportConformance": "Sources/Testing/TransportConformance",
    "KeyStrategyConformance": "Sources/Testing/KeyStrategyConformance",
    "PostgresSharedState": "Sources/SharedState/Postgres",
}
DECLARATION = re.compile(r"^(@\w+(\(.*?\))?\s+)*(nonisolated(\(nonsending\))?\s+)?(public|open)\s")

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
listed = sys.argv[sys.argv.index("--list") + 1] if "--list" in sys.argv else None
undocumented_total = 0
for module, folder in MODULES.items():
    total, missing = 0, []
    for path in sorted(glob.glob(os.path.join(root, folder, "**/*.swift"), recursive=True)):
        lines = open(path).read().split("\n")
        for index, line in enumerate(lines):
            text = line.strip()
            if not DECLARATION.match(text) or text.startswith("public import") or re.search(r"\bextension\b", text.split("{")[0]):
                continue
            total += 1
            previous = index - 1
            while previous >= 0 and lines[previous].strip().startswith("@"):
                previous -= 1
            if previous < 0 or not lines[previous].strip().startswith("///"):
                missing.append(f"{os.path.relpath(path, root)}:{index + 1}: {text[:100]}")
    undocumented_total += len(missing)
    print(f"{module}: {total} public declarations, {len(missing)} without a doc comment")
    if module == listed:
        print("\n".join("  " + place for place in missing))
sys.exit(1 if "--strict" in sys.argv and undocumented_total else 0)
