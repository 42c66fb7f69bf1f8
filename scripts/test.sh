#!/usr/bin/env bash
# The test command: installs what is missing, then runs every test of both packages — the
# library (with the Emulator trait, so the emulator's own tests run) and Examples/ (gemini-batch,
# the example programs, end to end over curl and the emulator).
# The library's tests run with the PostgresSharedState trait too, inside a throwaway PostgreSQL
# (scripts/with-postgres.sh, which installs Debian's postgresql when missing), so the
# shared-state tests always run against a real database.
# Unit tests run on a manual clock: no real sleeps, a few seconds in all.
# Extra arguments go to both `swift test` runs (e.g. --sanitize=thread).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
if [ -z "${LLMGATEWAY_TEST_POSTGRES_URL:-}" ]; then
    exec scripts/with-postgres.sh "$0" "$@"
fi
swift test --traits Emulator,PostgresSharedState "$@"
swift test --package-path Examples "$@"
