#!/usr/bin/env bash
# Builds the side-by-side benchmarks (-DSMOKE_BUILD_BENCH=ON) and runs them. Each one measures
# its peer in the same run, prints the ratio and the command that reproduces it; the figures
# recorded so far are in bench/RESULTS.md.
#
#   bench/run.sh                           all three
#   bench/run.sh rule_eval [FLAGS]         rule evaluation vs Prometheus 2.42 (about 2.5 minutes)
#   bench/run.sh tsdb_bytes [FLAGS]        bytes per sample vs Prometheus's chunks (about 30 s)
#   bench/run.sh probe_throughput [FLAGS]  /probe vs blackbox_exporter 0.23 (about 25 s)
#
# FLAGS go to the benchmark (--help lists them). BUILD_DIR (default ./build-bench) and
# BUILD_TYPE (default RelWithDebInfo, as scripts/build.sh builds the exporter) choose the build.
# Needs /usr/bin/prometheus, /usr/bin/promtool and /usr/bin/prometheus-blackbox-exporter
# (Debian packages; scripts/install-deps.sh installs them).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

which="${1:-all}"
[ $# -gt 0 ] && shift
case "$which" in
  all)
    [ $# -eq 0 ] || usage
    ;;
  rule_eval | tsdb_bytes | probe_throughput) ;;
  -h | --help | *) usage ;;
esac

for tool in "${PROMETHEUS:-/usr/bin/prometheus}" "${PROMTOOL:-/usr/bin/promtool}"; do
  [ -x "$tool" ] || { echo "run.sh: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" \
  -DSMOKE_BUILD_BENCH=ON >/dev/null
ninja -C "$BUILD_DIR" -j"$(nproc)" bench_rule_eval bench_tsdb_bytes bench_probe_throughput

run() {
  local name="$1"
  shift
  echo "== $name: $BUILD_DIR/bench/bench_$name $* =="
  "$BUILD_DIR/bench/bench_$name" "$@"
  echo
}

if [ "$which" = all ]; then
  run rule_eval
  run tsdb_bytes
  run probe_throughput
else
  run "$which" "$@"
fi
