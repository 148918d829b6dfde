#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, and runs the whole test suite
# (unit, end-to-end and integration tests; integration tests start real services on loopback
# themselves). Prints ctest's summary; exits non-zero if anything failed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/install-deps.sh"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
BUILD_DIR="$BUILD_DIR" "$ROOT/scripts/build.sh" -DSMOKE_BUILD_TESTS=ON -DSMOKE_WERROR=ON
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 300 -j"$(nproc)" "$@"
