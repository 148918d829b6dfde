#!/usr/bin/env bash
# A throwaway Alertmanager (Debian package prometheus-alertmanager) on loopback, for integration
# tests and demos.
#
#   scripts/alertmanager.sh start DIR [PORT]
#       Starts Alertmanager on 127.0.0.1:PORT (default: a free port) with a minimal config
#       (one receiver that notifies nobody), its storage in DIR, clustering disabled. Waits
#       until /-/ready answers, then prints URL=http://127.0.0.1:<port> and PORT=<port>.
#       Pass the PORT of a stopped instance to bring "the same" Alertmanager back.
#       Extra Alertmanager flags can be given in AM_ARGS (word-split). AM_CONFIG=FILE uses that
#       alertmanager.yml instead of the minimal one (templates resolve relative to FILE's dir).
#   scripts/alertmanager.sh halt DIR
#       Stops the Alertmanager started in DIR (only that process, found by its pidfile) and
#       keeps DIR (its log stays readable). Idempotent.
#   scripts/alertmanager.sh stop DIR
#       halt, then removes DIR. Idempotent.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
ALERTMANAGER="${ALERTMANAGER:-/usr/bin/prometheus-alertmanager}"

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# shellcheck source=scripts/lib/pidfile.sh
. "$(dirname "$0")/lib/pidfile.sh"
is_ours() { pid_is_ours "$1" "--storage.path=$2/data"; }
halt_server() { halt_pidfile "$1/alertmanager.pid" "--storage.path=$1/data"; }

write_config() {
  cat >"$1/alertmanager.yml" <<'YAML'
# scripts/alertmanager.sh: every alert goes to a receiver without integrations, so tests can
# read alerts back through the API without anything being notified.
route:
  receiver: blackhole
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: blackhole
YAML
}

# Up means: our process logged that it listens on the port (since log line FROM) and /-/ready
# answers. /-/ready alone could be another process that holds the port, which ours failed to bind.
up() {
  local dir="$1" port="$2" from="$3"
  tail -n "+$from" "$dir/alertmanager.log" 2>/dev/null |
    grep -q "msg=\"Listening on\" address=127.0.0.1:$port" &&
    curl -fsS --max-time 1 -o /dev/null "http://127.0.0.1:$port/-/ready" 2>/dev/null
}

start_server() {
  local dir="$1" want_port="${2:-}"
  mkdir -p "$dir/data"
  dir="$(cd "$dir" && pwd)"
  halt_server "$dir"
  local config="$dir/alertmanager.yml"
  if [ -n "${AM_CONFIG:-}" ]; then
    [ -f "$AM_CONFIG" ] || { echo "alertmanager.sh: no config file $AM_CONFIG" >&2; return 1; }
    config="$(cd "$(dirname "$AM_CONFIG")" && pwd)/$(basename "$AM_CONFIG")"
  else
    write_config "$dir"
  fi
  local attempts=5
  [ -n "$want_port" ] && attempts=1
  for attempt in $(seq 1 "$attempts"); do
    local port="$want_port"
    [ -n "$port" ] || port="$("$SCRIPTS/free_port.sh")"
    touch "$dir/alertmanager.log"
    local from
    from=$(($(wc -l <"$dir/alertmanager.log") + 1))
    # Output to a file and stdin from /dev/null: whoever runs this script (a test reading its
    # stdout through a pipe) must not wait for the server to close that pipe.
    # shellcheck disable=SC2086  # AM_ARGS is split into flags on purpose
    "$ALERTMANAGER" \
      --config.file="$config" \
      --storage.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" \
      --cluster.listen-address= \
      --log.level=info \
      ${AM_ARGS:-} \
      </dev/null >>"$dir/alertmanager.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$dir/alertmanager.pid"
    for _ in $(seq 1 400); do
      if is_ours "$pid" "$dir" && up "$dir" "$port" "$from"; then
        echo "URL=http://127.0.0.1:$port"
        echo "PORT=$port"
        return 0
      fi
      is_ours "$pid" "$dir" || break  # it exited (port taken, bad flag): stop waiting
      sleep 0.025
    done
    halt_server "$dir"
    echo "alertmanager.sh: start attempt $attempt on port $port failed; log:" >&2
    tail -n 5 "$dir/alertmanager.log" >&2 2>/dev/null || true
  done
  echo "alertmanager.sh: could not start Alertmanager in $dir" >&2
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
