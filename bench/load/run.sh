#!/usr/bin/env bash
# Load test (issue 9, "Load"): smoke_exporter probing local targets with a demo-like config
# (HTTP probes with assertions and contracts, TCP, Redis, one target that is down, the bundled
# rules, the readiness gate) while wrk hammers /metrics and then /api/v1/readiness with 200
# connections for 60 s each. Prints requests/s, latency p50/p99/max, errors, the exporter's RSS
# before and after each run, its CPU time and how many probes ran meanwhile. Not part of ctest.
#
#   bench/load/run.sh [EXPORTER]
#
# EXPORTER defaults to $BUILD_DIR/exporter/smoke_exporter (BUILD_DIR defaults to ./build-bench,
# which bench/run.sh builds). Environment: CONNECTIONS (200), DURATION (60s), THREADS (2, wrk's),
# WARMUP (15: seconds of probing before the first run), KEEP=1 keeps the work directory.
# Errors are socket errors (connect, read, write, timeout) plus every status that is not 200 on
# /metrics, or neither 200 nor 503 on /api/v1/readiness (503 is the gate saying "blocked", an
# answer, not an error). Needs wrk, python3 and redis-server (scripts/install-deps.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
EXPORTER="${1:-$BUILD_DIR/exporter/smoke_exporter}"
CONNECTIONS="${CONNECTIONS:-200}"
DURATION="${DURATION:-60s}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-15}"

for tool in wrk python3 redis-server; do
  command -v "$tool" >/dev/null || { echo "load: $tool is missing (scripts/install-deps.sh)" >&2; exit 1; }
done
[ -x "$EXPORTER" ] || { echo "load: $EXPORTER is not built (bench/run.sh load builds it)" >&2; exit 1; }

WORK="$(mktemp -d /tmp/smoke-load.XXXXXX)"
HTTP_PID=""
EXPORTER_PID=""
cleanup() {
  local rc=$?
  [ -n "$EXPORTER_PID" ] && kill "$EXPORTER_PID" 2>/dev/null && { wait "$EXPORTER_PID" || true; }
  [ -n "$HTTP_PID" ] && kill "$HTTP_PID" 2>/dev/null && { wait "$HTTP_PID" 2>/dev/null || true; }
  "$ROOT/scripts/redis.sh" stop "$WORK/redis" >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The local targets: a static HTTP API (python3's threading http.server), Redis, a closed port.
mkdir -p "$WORK/site/api/v1"
echo '{"status":"healthy","dependencies":{"database":"ok","redis":"ok"}}' >"$WORK/site/health"
echo '[{"ticker":"ACME","name":"Acme Corp"}]' >"$WORK/site/api/v1/companies"
echo '<html><body>docs</body></html>' >"$WORK/site/docs"
HTTP_PORT="$(free_port)"
python3 -m http.server --bind 127.0.0.1 --directory "$WORK/site" "$HTTP_PORT" \
  >"$WORK/http.log" 2>&1 &
HTTP_PID=$!
REDIS_PORT="$("$ROOT/scripts/redis.sh" start "$WORK/redis" | sed -n 's/^PORT=//p')"
DOWN_PORT="$(free_port)"  # nothing listens here: one probe fails, as in any real fleet

API="http://127.0.0.1:$HTTP_PORT"
cat >"$WORK/smoke.yml" <<YAML
global: {interval: 2s, timeout: 1s, labels: {env: load}}
modules:
  api_json:
    kind: http
    component: api
    http:
      headers: {Accept: application/json}
      assertions: [{status: 200}, {latency: 1s}]
probes:
  - {name: api_health, module: api_json, target: '$API/health',
     http: {assertions: [{json: '\$.status == "healthy"'}]}}
  - {name: api_companies, module: api_json, target: '$API/api/v1/companies',
     http: {assertions: [{json: '\$[0].ticker exists'}]}}
  - {name: api_docs, kind: http, component: api, target: '$API/docs'}
  - {name: api_not_found, kind: http, component: api, target: '$API/nonexistent-endpoint',
     http: {contract: not_found}}
  - {name: api_security_headers, kind: http, component: security, target: '$API/health',
     http: {contract: {security_headers: {severity: warn}}}}
  - {name: api_port, kind: tcp, component: infrastructure, target: '127.0.0.1:$HTTP_PORT'}
  - {name: cache, kind: redis, component: cache, target: '127.0.0.1:$REDIS_PORT',
     redis: {max_ping_latency: 50ms}}
  - {name: billing_api, kind: http, component: billing, target: 'http://127.0.0.1:$DOWN_PORT/health'}
rules:
  files: ['$ROOT/rules/*.rules.yml']
  evaluation_interval: 5s
  external_labels: {env: load}
readiness:
  min_evaluations: 2
YAML

"$EXPORTER" --config.file="$WORK/smoke.yml" --web.listen-address=127.0.0.1:0 \
  >"$WORK/exporter.out" 2>"$WORK/exporter.log" &
EXPORTER_PID=$!
PORT=""
for _ in $(seq 100); do
  PORT="$(sed -n 's/.*msg=listening .*port=\([0-9]*\).*/\1/p' "$WORK/exporter.log" | head -1)"
  [ -n "$PORT" ] && break
  kill -0 "$EXPORTER_PID" 2>/dev/null || { cat "$WORK/exporter.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$PORT" ] || { echo "load: the exporter did not start" >&2; cat "$WORK/exporter.log" >&2; exit 1; }
BASE="http://127.0.0.1:$PORT"

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$EXPORTER_PID/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$EXPORTER_PID/status"; }
threads() { awk '/^Threads:/ {print $2}' "/proc/$EXPORTER_PID/status"; }
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$EXPORTER_PID/stat"; }
# Probe runs so far: the sum of smoke_probe_results_total over every probe and result.
probe_runs() {
  curl -s "$BASE/metrics" | awk '/^smoke_probe_results_total[{ ]/ {s += $NF} END {printf "%d", s}'
}

echo "load: exporter pid $EXPORTER_PID on $BASE, 8 probes every 2 s, warming up for ${WARMUP}s"
echo "load: machine $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
sleep "$WARMUP"

failed=0
# run PATH ALLOWED_STATUSES: one wrk run and its summary.
run() {
  local path="$1" allowed="$2" out rss0 rss1 cpu0 cpu1 runs0 runs1
  rss0="$(rss_kb)"; cpu0="$(cpu_s)"; runs0="$(probe_runs)"
  # RSS every 5 s while wrk runs: flat means it levels off, not just "ends lower than it began".
  (while sleep 5; do printf ' %d' "$(rss_kb)"; done) >"$WORK/rss" 2>/dev/null &
  local sampler=$!
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency \
    -s "$ROOT/bench/load/status_codes.lua" "$BASE$path")"
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  rss1="$(rss_kb)"; cpu1="$(cpu_s)"; runs1="$(probe_runs)"
  echo "$out" >"$WORK/wrk$(echo "$path" | tr '/' '_').txt"
  local rps p50 p99 max sock codes bad
  rps="$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")"
  p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
  p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
  max="$(awk '$1 == "Latency" && NF >= 4 {print $4; exit}' <<<"$out")"
  sock="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")"
  sock="${sock:-0}"
  codes="$(sed -n 's/^status_codes //p' <<<"$out")"
  bad="$(tr ' ' '\n' <<<"$codes" | awk -F= -v ok="$allowed" '
    BEGIN {n = split(ok, a, ","); for (i = 1; i <= n; i++) good[a[i]] = 1}
    NF == 2 && !($1 in good) {s += $2} END {printf "%d", s}')"
  printf '%-20s %9s req/s  p50 %-9s p99 %-9s max %-9s errors %d (socket %d, unexpected status %d)\n' \
    "$path" "$rps" "$p50" "$p99" "$max" $((sock + bad)) "$sock" "$bad"
  printf '%-20s statuses: %s\n' "" "$codes"
  printf '%-20s RSS %d -> %d KiB (peak %d KiB), threads %s, exporter CPU %.1f s, probe runs %d\n' \
    "" "$rss0" "$rss1" "$(hwm_kb)" "$(threads)" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN {print b - a}')" \
    $((runs1 - runs0))
  printf '%-20s RSS every 5 s (KiB):%s\n' "" "$(cat "$WORK/rss")"
  [ $((sock + bad)) -eq 0 ] || failed=1
}

# The same window without requests: RSS from probing and rule evaluation alone, so that growth
# under load can be told apart from the exporter's own (its sample store fills for its retention).
idle() {
  local rss0 rss1
  rss0="$(rss_kb)"
  (while sleep 5; do printf ' %d' "$(rss_kb)"; done) >"$WORK/rss" 2>/dev/null &
  local sampler=$!
  sleep "$DURATION"
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  rss1="$(rss_kb)"
  printf '%-20s no requests for %s\n' "(idle)" "$DURATION"
  printf '%-20s RSS %d -> %d KiB (peak %d KiB), threads %s\n' "" "$rss0" "$rss1" "$(hwm_kb)" "$(threads)"
  printf '%-20s RSS every 5 s (KiB):%s\n' "" "$(cat "$WORK/rss")"
}

idle
run /metrics 200
run /api/v1/readiness 200,503
echo "load: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
kill -0 "$EXPORTER_PID" 2>/dev/null || { echo "load: the exporter died" >&2; exit 1; }
echo "reproduce: bench/load/run.sh $EXPORTER (CONNECTIONS=$CONNECTIONS DURATION=$DURATION THREADS=$THREADS)"
exit "$failed"
