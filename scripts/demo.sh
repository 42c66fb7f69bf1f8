#!/usr/bin/env bash
# The main job on the built-in Gemini emulator: no keys, no network. Starts the emulator in
# process with five demo keys (one invalid, two sharing a project), writes sample input, runs
# gemini-batch over it and prints where the outputs and the run summary are.
# Extra arguments go to gemini-batch (e.g. --demo-folder /tmp/demo).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --package-path Examples --product gemini-batch
exec "$(swift build --package-path Examples --show-bin-path)/gemini-batch" --demo "$@"
