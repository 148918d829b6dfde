#!/usr/bin/env bash
# The README's main command. Installs dependencies, builds smoke_exporter, starts a sample API on
# loopback and runs the exporter against it in the foreground. Ctrl-C stops everything.
#
#   scripts/demo.sh              run the demo (exporter on http://127.0.0.1:${SMOKE_PORT:-9117})
#   scripts/demo.sh fault NAME   switch the running sample API into a fault:
#                                database_auth | redis_auth | crash_loop | error_route |
#                                missing_security_headers
#   scripts/demo.sh heal         back to healthy
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${SMOKE_DEMO_DIR:-${TMPDIR:-/tmp}/smoke_demo}"
FAULT_FILE="$STATE_DIR/fault"

case "${1:-run}" in
  fault)
    [ -n "${2:-}" ] || { echo "usage: $0 fault NAME" >&2; exit 2; }
    mkdir -p "$STATE_DIR"; echo "$2" > "$FAULT_FILE"; echo "demo: fault '$2' on"; exit 0 ;;
  heal)
    mkdir -p "$STATE_DIR"; : > "$FAULT_FILE"; echo "demo: healed"; exit 0 ;;
  run) ;;
  *) echo "usage: $0 [run | fault NAME | heal]" >&2; exit 2 ;;
esac

"$ROOT/scripts/install-deps.sh"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
BUILD_DIR="$BUILD_DIR" "$ROOT/scripts/build.sh" -DSMOKE_BUILD_TESTS=OFF
mkdir -p "$STATE_DIR"; : > "$FAULT_FILE"

API_PORT="$("$ROOT/scripts/free_port.sh")"
python3 "$ROOT/scripts/demo_api.py" --port "$API_PORT" --fault-file "$FAULT_FILE" &
API_PID=$!
trap 'kill "$API_PID" 2>/dev/null; wait "$API_PID" 2>/dev/null || true' EXIT

export DEMO_API_URL="http://127.0.0.1:$API_PORT" DEMO_API_ADDR="127.0.0.1:$API_PORT"
PORT="${SMOKE_PORT:-9117}"
cat <<MSG

  smoke_exporter demo
  -------------------
  sample API         $DEMO_API_URL
  status page        http://127.0.0.1:$PORT/
  metrics            http://127.0.0.1:$PORT/metrics
  probe state (JSON) http://127.0.0.1:$PORT/api/v1/probes
  one-off probe      http://127.0.0.1:$PORT/probe?module=api_json&target=$DEMO_API_URL/health
  break something    $0 fault database_auth   (then: $0 heal)
  Ctrl-C stops the exporter and the sample API.

MSG
"$BUILD_DIR/exporter/smoke_exporter" --config.file="$ROOT/examples/local.yml" \
  --web.listen-address="127.0.0.1:$PORT" &
EXPORTER_PID=$!
trap 'kill "$EXPORTER_PID" "$API_PID" 2>/dev/null; wait 2>/dev/null || true' EXIT INT TERM
wait "$EXPORTER_PID"
