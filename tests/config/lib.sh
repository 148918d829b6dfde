# shellcheck shell=bash disable=SC2034  # ROOT is for the tests that source this file
# Shared by the tests in this directory (sourced). Each test prints one line per failed check
# and exits 1 if any failed, 0 otherwise.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
failures=0
checks=0

# check DESCRIPTION COMMAND...: runs COMMAND; a non-zero exit is a failed check.
check() {
  local what="$1"
  shift
  checks=$((checks + 1))
  local out
  if ! out="$("$@" 2>&1)"; then
    failures=$((failures + 1))
    echo "FAIL: $what"
    sed 's/^/    /' <<<"$out" | head -n 40
  fi
}

# expect_eq DESCRIPTION WANT GOT
expect_eq() {
  checks=$((checks + 1))
  if [ "$2" != "$3" ]; then
    failures=$((failures + 1))
    echo "FAIL: $1"
    echo "    want: $2"
    echo "    got:  $3"
  fi
}

# wait_for SECONDS COMMAND...: true once COMMAND succeeds, false at the deadline.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$(basename "$0"): $failures of $checks checks failed"
    exit 1
  fi
  echo "$(basename "$0"): all $checks checks passed"
  exit 0
}
