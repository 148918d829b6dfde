#!/usr/bin/env bash
# A throwaway Prometheus (Debian package prometheus, 2.42) on loopback, for integration tests and
# demos.
#
#   scripts/prometheus.sh start DIR [CONFIG]
#       Starts Prometheus on 127.0.0.1:<free port> with its TSDB in DIR/data, using CONFIG (a
#       prometheus.yml; rule_files in it are relative to CONFIG's directory) or, without one, a
#       config that only scrapes Prometheus itself. Waits until /-/ready answers, then prints
#       URL=http://127.0.0.1:<port> and PORT=<port>. Extra flags can be given in PROM_ARGS.
#   scripts/prometheus.sh halt DIR
#       Stops the Prometheus started in DIR (only that process, found by its pidfile), keeps DIR.
#   scripts/prometheus.sh stop DIR
#       halt, then removes DIR. Idempotent.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
PROMETHEUS="${PROMETHEUS:-/usr/bin/prometheus}"

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# shellcheck source=scripts/lib/pidfile.sh
. "$(dirname "$0")/lib/pidfile.sh"
is_ours() { pid_is_ours "$1" "--storage.tsdb.path=$2/data"; }
halt_server() { halt_pidfile "$1/prometheus.pid" "--storage.tsdb.path=$1/data" 10; }

write_default_config() {
  cat >"$1/prometheus.yml" <<YAML
# scripts/prometheus.sh: scrape only this Prometheus.
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:$2']
YAML
}

# Up means: our process logged that it listens on our port (since log line FROM) and /-/ready
# answers. /-/ready alone could be another process that holds the port ours failed to bind.
up() {
  local dir="$1" port="$2" from="$3"
  tail -n "+$from" "$dir/prometheus.log" 2>/dev/null | grep -q "address=127.0.0.1:$port" &&
    curl -fsS --max-time 1 -o /dev/null "http://127.0.0.1:$port/-/ready" 2>/dev/null
}

start_server() {
  local dir="$1" config="${2:-}"
  mkdir -p "$dir/data"
  dir="$(cd "$dir" && pwd)"
  if [ -n "$config" ]; then
    [ -f "$config" ] || { echo "prometheus.sh: no config file $config" >&2; return 1; }
    config="$(cd "$(dirname "$config")" && pwd)/$(basename "$config")"
  fi
  halt_server "$dir"
  for attempt in 1 2 3 4 5; do
    local port
    port="$("$SCRIPTS/free_port.sh")"
    local use_config="$config"
    if [ -z "$use_config" ]; then
      write_default_config "$dir" "$port"
      use_config="$dir/prometheus.yml"
    fi
    touch "$dir/prometheus.log"
    local from
    from=$(($(wc -l <"$dir/prometheus.log") + 1))
    # Output to a file and stdin from /dev/null: whoever runs this script (a test reading its
    # stdout through a pipe) must not wait for the server to close that pipe.
    # shellcheck disable=SC2086  # PROM_ARGS is split into flags on purpose
    "$PROMETHEUS" \
      --config.file="$use_config" \
      --storage.tsdb.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" \
      --web.enable-lifecycle \
      --log.level=info \
      ${PROM_ARGS:-} \
      </dev/null >>"$dir/prometheus.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$dir/prometheus.pid"
    for _ in $(seq 1 1200); do
      if is_ours "$pid" "$dir" && up "$dir" "$port" "$from"; then
        echo "URL=http://127.0.0.1:$port"
        echo "PORT=$port"
        return 0
      fi
      is_ours "$pid" "$dir" || break  # it exited (port taken, bad config): stop waiting
      sleep 0.025
    done
    halt_server "$dir"
    echo "prometheus.sh: start attempt $attempt on port $port failed; log:" >&2
    tail -n 5 "$dir/prometheus.log" >&2 2>/dev/null || true
  done
  echo "prometheus.sh: could not start Prometheus in $dir" >&2
  return 1
}

[ $# -ge 2 ] || usage
cmd="$1"
dir="$2"
case "$dir" in
  /*) ;;
  *) dir="$(pwd)/$dir" ;;
esac
case "$cmd" in
  start)
    [ $# -le 3 ] || usage
    start_server "$dir" "${3:-}"
    ;;
  halt) halt_server "$dir" ;;
  stop)
    halt_server "$dir"
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
