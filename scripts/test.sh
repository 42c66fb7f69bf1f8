#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test target.
# Unit tests run on a manual clock: no real sleeps, a few seconds in all.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift test "$@"
