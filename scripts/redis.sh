#!/usr/bin/env bash
# A throwaway redis-server on loopback for integration tests and demos.
#
#   scripts/redis.sh start DIR [redis-server args...]
#       Starts redis-server bound to 127.0.0.1 on a free port and on the unix socket DIR/redis.sock,
#       with no persistence (--save "" --appendonly no) and its files in DIR, daemonized with
#       DIR/redis.pid. Waits until it answers, then prints PORT=<n> and SOCKET=<path>.
#       Extra args go to redis-server, e.g. --requirepass pw, --replicaof 127.0.0.1 6379.
#       REDIS_PORT=<n> starts on that port instead of a free one (to restart a server in place).
#   scripts/redis.sh cli DIR [redis-cli args...]
#       redis-cli against that server's socket, e.g. `cli DIR CONFIG SET maxmemory 1`
#       (with a password: `cli DIR --pass pw --no-auth-warning PING`).
#   scripts/redis.sh stop DIR
#       Stops the server started in DIR (only that process, found by its pidfile) and removes DIR.
#       Idempotent.
set -euo pipefail

SCRIPTS="$(cd "$(dirname "$0")" && pwd)"
REDIS_SERVER="${REDIS_SERVER:-redis-server}"
REDIS_CLI="${REDIS_CLI:-redis-cli}"

usage() {
  echo "usage: $0 start DIR [redis-server args...] | cli DIR [redis-cli args...] | stop DIR" >&2
  exit 2
}

# shellcheck source=scripts/lib/pidfile.sh
. "$(dirname "$0")/lib/pidfile.sh"
# Redis rewrites its process title, so its data directory is not in /proc/PID/cmdline.
stop_server() { halt_pidfile "$1/redis.pid" "redis-server"; }

# Any reply (PONG, NOAUTH ...) means it is up; only "Could not connect" means not yet.
answers() {
  local out
  out="$("$REDIS_CLI" -s "$1/redis.sock" PING 2>&1 || true)"
  [ -n "$out" ] && ! grep -q "Could not connect" <<<"$out"
}

start_server() {
  local dir="$1"
  shift
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local sock="$dir/redis.sock"
  # The port is free when we pick it but another process may take it first: try a few times.
  for attempt in 1 2 3 4 5; do
    local port
    port="${REDIS_PORT:-$("$SCRIPTS/free_port.sh")}"
    rm -f "$dir/redis.pid"
    if "$REDIS_SERVER" --bind 127.0.0.1 --port "$port" --unixsocket "$sock" --unixsocketperm 700 \
      --save "" --appendonly no --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" \
      --logfile "$dir/redis.log" "$@"; then
      for _ in $(seq 1 200); do
        if answers "$dir"; then
          echo "PORT=$port"
          echo "SOCKET=$sock"
          return 0
        fi
        # Daemonized: the pidfile appears once the server runs; if it died, stop waiting.
        if [ -f "$dir/redis.pid" ] && ! pid_is_ours "$(cat "$dir/redis.pid")" redis-server; then break; fi
        sleep 0.025
      done
    fi
    stop_server "$dir"
    echo "redis.sh: start attempt $attempt on port $port failed; log:" >&2
    tail -n 5 "$dir/redis.log" >&2 2>/dev/null || true
  done
  echo "redis.sh: could not start redis-server in $dir" >&2
  return 1
}

[ $# -ge 2 ] || usage
cmd="$1"
dir="$2"
shift 2
case "$cmd" in
  start) start_server "$dir" "$@" ;;
  cli) exec "$REDIS_CLI" -s "$dir/redis.sock" "$@" ;;
  stop)
    stop_server "$dir"
    rm -rf "$dir"
    ;;
  *) usage ;;
esac
