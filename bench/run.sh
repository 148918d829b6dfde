#!/usr/bin/env bash
# Builds the side-by-side benchmarks (-DSMOKE_BUILD_BENCH=ON) and runs them. Each one measures
# its peer in the same run, prints the ratio and the command that reproduces it; the figures
# recorded so far are in bench/RESULTS.md.
#
#   bench/run.sh                           all four
#   bench/run.sh rule_eval [FLAGS]         rule evaluation vs Prometheus 2.42 (about 2.5 minutes)
#   bench/run.sh tsdb_bytes [FLAGS]        bytes per sample vs Prometheus's chunks (about 30 s)
#   bench/run.sh probe_throughput [FLAGS]  /probe vs blackbox_exporter 0.23, driven by wrk
#                                          (without FLAGS: keep-alive, then --close; about 50 s)
#   bench/run.sh scheduled [FLAGS]         1k and 10k scheduled probes, also half blackholed:
#                                          CPU, RSS, lag, /metrics, vs Prometheus+blackbox
#                                          (without FLAGS: five cases, about 10 minutes)
#   bench/run.sh load                      wrk, 200 connections, on /metrics and /api/v1/readiness
#                                          while probing: bench/load/run.sh (about 3.5 minutes)
#
# FLAGS go to the benchmark (--help lists them). BUILD_DIR (default ./build-bench) and
# BUILD_TYPE (default RelWithDebInfo, as scripts/build.sh builds the exporter) choose the build.
# Needs /usr/bin/prometheus, /usr/bin/promtool, /usr/bin/prometheus-blackbox-exporter and
# /usr/bin/wrk (Debian packages; scripts/install-deps.sh installs them).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"

usage() {
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# The load test drives the exporter binary itself (bench/load/run.sh), not a C++ benchmark.
if [ "${1:-}" = load ]; then
  [ $# -eq 1 ] || usage
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
    -DSMOKE_BUILD_BENCH=ON >/dev/null
  ninja -C "$BUILD_DIR" -j"$(nproc)" smoke_exporter
  exec "$ROOT/bench/load/run.sh" "$BUILD_DIR/exporter/smoke_exporter"
fi

which="${1:-all}"
[ $# -gt 0 ] && shift
case "$which" in
  all)
    [ $# -eq 0 ] || usage
    ;;
  rule_eval | tsdb_bytes | probe_throughput | scheduled) ;;
  -h | --help | *) usage ;;
esac

for tool in "${PROMETHEUS:-/usr/bin/prometheus}" "${PROMTOOL:-/usr/bin/promtool}"; do
  [ -x "$tool" ] || { echo "run.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DSMOKE_BUILD_BENCH=ON >/dev/null
ninja -C "$BUILD_DIR" -j"$(nproc)" bench_rule_eval bench_tsdb_bytes bench_probe_throughput \
  bench_scheduled

run() {
  local name="$1"
  shift
  echo "== $name: $BUILD_DIR/bench/bench_$name $* =="
  "$BUILD_DIR/bench/bench_$name" "$@"
  echo
}

# The recorded cases (bench/RESULTS.md).
probe_throughput_cases() {
  run probe_throughput
  run probe_throughput --close
}
scheduled_cases() {
  run scheduled --targets 1000 --peer
  run scheduled --targets 1000 --blackholed 0.5 --peer
  run scheduled --targets 10000 --peer
  run scheduled --targets 10000 --blackholed 0.5 --peer
  run scheduled --targets 10000 --blackholed 0.5 --max-concurrency 6000
}

if [ "$which" = all ]; then
  run rule_eval
  run tsdb_bytes
  probe_throughput_cases
  scheduled_cases
elif [ $# -eq 0 ] && [ "$which" = probe_throughput ]; then
  probe_throughput_cases
elif [ $# -eq 0 ] && [ "$which" = scheduled ]; then
  scheduled_cases
else
  run "$which" "$@"
fi
