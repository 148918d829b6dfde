#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server on loopback, for integration tests and demos.
#
#   scripts/pg.sh start DIR        initialise DIR (first time) and start the server; prints PORT=<n>
#                                  once it accepts connections. On an already initialised DIR it
#                                  starts the server again on the same port.
#   scripts/pg.sh psql DIR [-d DB] SQL...
#                                  runs each SQL as the superuser "postgres" over the unix socket
#                                  (for test setup); stops at the first error.
#   scripts/pg.sh halt DIR         stops the server, keeps DIR (to test a server that is down).
#   scripts/pg.sh stop DIR         stops the server and removes DIR. Idempotent.
#
# The server listens only on 127.0.0.1 (a free port) and on a unix socket inside DIR, with
# fsync off (the data is thrown away). Authentication (pg_hba.conf written here):
#   unix socket                 trust         (setup through `psql`)
#   tcp, role "ghost_trusted"   trust         lets tests see PostgreSQL's answer for a role that
#                                             does not exist (28000) rather than the password
#                                             failure scram gives for every unknown role (28P01)
#   tcp, everyone else          scram-sha-256
# PostgreSQL refuses to run as root: as root, the server runs as the "postgres" system user the
# Debian package creates (DIR is chown'ed to it); otherwise as the calling user.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[ $# -ge 2 ] || usage
cmd="$1"
dir="$2"
shift 2
case "$dir" in
  /*) ;;
  *) dir="$(pwd)/$dir" ;;
esac
data="$dir/data"
sock="$dir/sock"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -f "$data/postmaster.pid" ] || return 1
  # A killed postmaster nobody reaped is a zombie that pg_ctl still counts as running.
  local pid
  pid="$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)"
  [ -n "$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null &&
    as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

init() {
  mkdir -p "$dir"
  touch "$dir/.pg.sh"  # `stop` removes only directories carrying this mark
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"
  as_owner mkdir -p "$sock"
  as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust --no-sync --no-instructions \
    --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    return 1
  }
  as_owner tee "$data/pg_hba.conf" >/dev/null <<'EOF'
# TYPE  DATABASE  USER           ADDRESS       METHOD
local   all       all                          trust
host    all       ghost_trusted  127.0.0.1/32  trust
host    all       all            127.0.0.1/32  scram-sha-256
EOF
  as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
# scripts/pg.sh: throwaway test server
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 16MB
password_encryption = 'scram-sha-256'
EOF
}

start_server() {
  local port="$1"
  as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 30 \
    -o "-p $port" start >/dev/null 2>&1
}

case "$cmd" in
  start)
    if [ ! -f "$data/PG_VERSION" ]; then
      [ ! -e "$dir" ] || [ -z "$(ls -A "$dir")" ] || {
        echo "pg.sh: $dir exists and is not a pg.sh directory" >&2
        exit 1
      }
      init
    fi
    if running; then
      echo "PORT=$(cat "$dir/port")"
      exit 0
    fi
    # The port is free when chosen but another process may take it before the server binds it:
    # pick a new one and try again. A server started again in its directory keeps its port (its
    # clients know it); after a crash the old backends may hold it a moment, so wait and retry.
    for attempt in 1 2 3 4 5; do
      if [ -f "$dir/port" ]; then
        port="$(cat "$dir/port")"
        [ "$attempt" -eq 1 ] || sleep 1
      else
        port="$("$ROOT/scripts/free_port.sh")"
      fi
      if start_server "$port"; then
        echo "$port" | as_owner tee "$dir/port" >/dev/null
        echo "PORT=$port"
        exit 0
      fi
    done
    echo "pg.sh: the server did not start; its log:" >&2
    tail -n 30 "$dir/server.log" >&2 || true
    exit 1
    ;;
  psql)
    [ -f "$dir/port" ] || { echo "pg.sh: no server in $dir" >&2; exit 1; }
    db=postgres
    if [ "${1:-}" = "-d" ]; then
      db="$2"
      shift 2
    fi
    args=()
    for sql in "$@"; do args+=(-c "$sql"); done
    PGOPTIONS='' "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$(cat "$dir/port")" \
      -U postgres -d "$db" "${args[@]}"
    ;;
  halt)
    if running; then
      as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null
    fi
    ;;
  stop)
    [ -e "$dir" ] || exit 0
    if running; then
      as_owner "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    if [ -f "$dir/.pg.sh" ] || [ -z "$(ls -A "$dir")" ]; then
      rm -rf "$dir"
    else
      echo "pg.sh: $dir was not created by pg.sh; not removing it" >&2
      exit 1
    fi
    ;;
  *)
    usage
    ;;
esac
