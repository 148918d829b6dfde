#!/usr/bin/env bash
# The README's test command: installs dependencies, builds with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer, and runs the whole test suite: unit, end-to-end and integration tests
# (which start real services on loopback themselves), and every fuzz target, first over its corpus
# and regressions, then fuzzing for a bounded time. Prints ctest's summary; exits non-zero if
# anything failed. Extra arguments go to ctest (e.g. -R Postgres, -L unit, -LE fuzz).
#
#   SANITIZE=0 scripts/test.sh   the default compiler, optimised, no sanitizers (./build)
#   BUILD_DIR=DIR                build directory (default ./build-test, or ./build with SANITIZE=0)
#   SMOKE_FUZZ_SECONDS=N         how long each fuzz target fuzzes (default 20)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
"$ROOT/scripts/install-deps.sh"

if [ "${SANITIZE:-1}" = 1 ]; then
  export BUILD_DIR="${BUILD_DIR:-$ROOT/build-test}"
  export CC=clang CXX=clang++
  # -O0 halves the compile time of -O1 under the sanitizers; -g1 gives line numbers in reports.
  BUILD_TYPE=Debug "$ROOT/scripts/build.sh" -DSMOKE_BUILD_TESTS=ON -DSMOKE_WERROR=ON \
    -DSMOKE_SANITIZE=ON -DSMOKE_BUILD_FUZZ=ON -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" \
    -DSMOKE_FUZZ_SECONDS="${SMOKE_FUZZ_SECONDS:-20}"
  # A finding fails the test that caused it, with a stack trace; exporters started by tests
  # inherit these.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}"
else
  export BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
  "$ROOT/scripts/build.sh" -DSMOKE_BUILD_TESTS=ON -DSMOKE_WERROR=ON -DSMOKE_BUILD_FUZZ=ON
fi
cd "$BUILD_DIR"
# Twice as many tests as cores: most of them wait on real services, timeouts and subprocesses,
# so this halves the wall time without starving anyone of CPU.
ctest --output-on-failure --timeout 300 -j"$(($(nproc) * 2))" "$@"
