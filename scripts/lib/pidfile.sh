# Sourced by the service scripts (alertmanager.sh, prometheus.sh, redis.sh): stopping a server
# found by its pidfile without ever signalling a stranger. A pidfile can outlive its process and
# the pid be reused by something else, so a pid counts as ours only while its command line still
# contains a marker unique to the server we started (its data directory).

# pid_is_ours PID MARKER: PID is alive and its command line contains MARKER.
pid_is_ours() {
  local pid="$1" marker="$2"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$marker"
}

# halt_pidfile PIDFILE MARKER [GRACE_SECONDS]: SIGTERM, wait up to GRACE_SECONDS (default 5),
# then SIGKILL; waits until the process is gone (or a zombie: once the starting script has exited
# it is not our child to reap) and removes PIDFILE.
halt_pidfile() {
  local pidfile="$1" marker="$2" grace="${3:-5}"
  [ -f "$pidfile" ] || return 0
  local pid
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if pid_is_ours "$pid" "$marker"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((grace * 40))); do
      pid_is_ours "$pid" "$marker" || break
      sleep 0.025
    done
    if pid_is_ours "$pid" "$marker"; then kill -KILL "$pid" 2>/dev/null || true; fi
    for _ in $(seq 1 200); do
      [ -e "/proc/$pid" ] || break
      grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && break
      sleep 0.025
    done
  fi
  rm -f "$pidfile"
}
