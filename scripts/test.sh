#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test of both packages — the
# library (with the Emulator trait, so the emulator's own tests run) and Examples/ (gemini-batch,
# the example programs, end to end over curl and the emulator).
# Unit tests run on a manual clock: no real sleeps, a few seconds in all.
# Extra arguments go to both `swift test` runs (e.g. --sanitize=thread).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift test --traits Emulator "$@"
swift test --package-path Examples "$@"
