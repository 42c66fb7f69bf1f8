#!/usr/bin/env bash
# Runs the first example: twenty tasks over five mock keys, no network, no keys needed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift run --package-path Examples MockQuickStart
