#!/usr/bin/env bash
# The README's main command: the whole stack on loopback, probed by smoke_exporter.
#
# Interface (stable; tests/ and the dashboards' drift tests rely on it):
#   scripts/demo.sh [run]        up, print where to look, wait in the foreground; down on Ctrl-C/exit.
#   scripts/demo.sh up           start everything in the background and return once the exporter
#                                answers. Writes $SMOKE_DEMO_DIR/env: shell KEY=VALUE lines with at
#                                least EXPORTER_URL, PROMETHEUS_URL, ALERTMANAGER_URL, API_URL.
#                                If the demo of this SMOKE_DEMO_DIR already runs, says so and returns.
#   scripts/demo.sh down         stop everything `up` started for this SMOKE_DEMO_DIR; no process left.
#   scripts/demo.sh fault NAME   switch a fault on: database_auth | redis_auth | crash_loop |
#                                error_route | missing_security_headers (one at a time)
#   scripts/demo.sh heal         back to healthy
#   scripts/demo.sh status       where to look, the current fault, and which processes run
# Environment:
#   SMOKE_DEMO_DIR           state dir (pids, logs, data, env, fault); default ${TMPDIR:-/tmp}/smoke_demo
#   SMOKE_EXPORTER_BIN       use this smoke_exporter binary; skips the build
#   SMOKE_DEMO_SKIP_INSTALL  =1 skips scripts/install-deps.sh
#   SMOKE_PORT               exporter port; default 9117 if free, else a free port
# Every other port is a free one (scripts/free_port.sh).
#
# What runs (each recorded in $SMOKE_DEMO_DIR/pids/<name>.pid): PostgreSQL (scripts/pg.sh),
# Redis (scripts/redis.sh), the sample API (scripts/demo_api.py, which also receives the demo
# Alertmanager's notifications), Alertmanager (scripts/alertmanager.sh with
# alerting/alertmanager.yml, its receivers pointed at the sample API), Prometheus
# (scripts/prometheus.sh, shaped like examples/prometheus.yml), and smoke_exporter with
# examples/local.yml. database_auth and redis_auth are real: the role's password is changed in
# PostgreSQL, Redis gets a requirepass. The other faults are the sample API's behaviour.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRIPTS="$ROOT/scripts"
STATE_DIR="${SMOKE_DEMO_DIR:-${TMPDIR:-/tmp}/smoke_demo}"
case "$STATE_DIR" in /*) ;; *) STATE_DIR="$(pwd)/$STATE_DIR" ;; esac
FAULT_FILE="$STATE_DIR/fault"
ENV_FILE="$STATE_DIR/env"
PIDS="$STATE_DIR/pids"
LOGS="$STATE_DIR/logs"
SECRETS="$STATE_DIR/secrets"
FAULTS=(database_auth redis_auth crash_loop error_route missing_security_headers)
PG_DB=corporate_intel_demo
PG_USER=intel_user

say() { echo "demo: $*" >&2; }
die() {
  echo "demo: $*" >&2
  exit 1
}
usage() {
  sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# --- processes ------------------------------------------------------------------------------

# True when the pid in pids/NAME.pid is alive and its command line contains MARK (a pidfile can
# outlive its process and the pid be reused by something else, which we must never signal).
alive() {
  local name="$1" mark="$2" pid
  pid="$(cat "$PIDS/$name.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$mark"
}

# True while the process spawn just started is running. Its command line is not checked: right
# after the fork it is still this shell's until exec, and on a loaded machine that lasts.
spawned_alive() {
  local pid
  pid="$(cat "$PIDS/$1.pid" 2>/dev/null)" && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# The mark that identifies each recorded process as this demo's.
mark() {
  case "$1" in
    api) echo "--fault-file $FAULT_FILE" ;;
    exporter) echo "--web.listen-address=127.0.0.1:$(cat "$STATE_DIR/exporter.port" 2>/dev/null)" ;;
    prometheus) echo "--storage.tsdb.path=$STATE_DIR/prometheus/data" ;;
    alertmanager) echo "--storage.path=$STATE_DIR/alertmanager/data" ;;
    redis) echo "redis-server" ;;
    postgres) echo "$STATE_DIR/pg/data" ;;
  esac
}

# Stops a process we started ourselves (api, exporter): TERM, then KILL after 10 s.
stop_pid() {
  local name="$1" m pid
  m="$(mark "$name")"
  alive "$name" "$m" || return 0
  pid="$(cat "$PIDS/$name.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 200); do
    alive "$name" "$m" || return 0
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    [ -e "/proc/$pid" ] || return 0
    grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && return 0
    sleep 0.05
  done
}

# Starts COMMAND... in its own session (Ctrl-C in the terminal reaches only this script, which
# then stops everything in order), output to logs/NAME.log, pid to pids/NAME.pid.
spawn() {
  local name="$1"
  shift
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$PIDS/$name.pid"
}

port_free() {
  python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1])))' "$1" 2>/dev/null
}

# The value of KEY=... in the output of a scripts/*.sh start.
field() { sed -n "s/^$1=//p" <<<"$2" | tail -n 1; }

random_secret() { head -c 18 /dev/urandom | base64 | tr -d '/+=\n'; }

# --- up ---------------------------------------------------------------------------------------

exporter_bin() {
  if [ -n "${SMOKE_EXPORTER_BIN:-}" ]; then
    [ -x "$SMOKE_EXPORTER_BIN" ] || die "SMOKE_EXPORTER_BIN=$SMOKE_EXPORTER_BIN is not an executable"
    echo "$SMOKE_EXPORTER_BIN"
    return
  fi
  local build_dir="${BUILD_DIR:-$ROOT/build}"
  say "building smoke_exporter in $build_dir"
  BUILD_DIR="$build_dir" "$SCRIPTS/build.sh" -DSMOKE_BUILD_TESTS=OFF >&2
  echo "$build_dir/exporter/smoke_exporter"
}

start_postgres() {
  local out
  out="$("$SCRIPTS/pg.sh" start "$STATE_DIR/pg" 2>&1)" || die "PostgreSQL did not start: $out"
  PG_PORT="$(field PORT "$out")"
  random_secret >"$SECRETS/pg_password"
  local pw
  pw="$(cat "$SECRETS/pg_password")"
  "$SCRIPTS/pg.sh" psql "$STATE_DIR/pg" \
    "CREATE ROLE $PG_USER LOGIN PASSWORD '$pw'" \
    "CREATE DATABASE $PG_DB OWNER $PG_USER" >/dev/null
  "$SCRIPTS/pg.sh" psql "$STATE_DIR/pg" -d "$PG_DB" \
    "CREATE TABLE companies (id int PRIMARY KEY, ticker text UNIQUE NOT NULL, name text NOT NULL)" \
    "INSERT INTO companies VALUES (1, 'ACME', 'Acme Corp'), (2, 'GLOBX', 'Globex')" \
    "ALTER TABLE companies OWNER TO $PG_USER" \
    "ANALYZE companies" >/dev/null
  head -n 1 "$STATE_DIR/pg/data/postmaster.pid" >"$PIDS/postgres.pid"
  echo "$PG_PORT" >"$STATE_DIR/pg.port"
}

start_redis() {
  local out
  out="$("$SCRIPTS/redis.sh" start "$STATE_DIR/redis" 2>&1)" || die "Redis did not start: $out"
  REDIS_PORT="$(field PORT "$out")"
  cp "$STATE_DIR/redis/redis.pid" "$PIDS/redis.pid"
}

start_api() {
  spawn api python3 "$SCRIPTS/demo_api.py" --port "$API_PORT" --fault-file "$FAULT_FILE" \
    --pg-dsn "host=127.0.0.1 port=$PG_PORT dbname=$PG_DB user=$PG_USER" \
    --pg-password-file "$SECRETS/pg_password" --redis "127.0.0.1:$REDIS_PORT" \
    --sink --smtp-port "$SMTP_PORT"
  for _ in $(seq 1 200); do
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$API_PORT/ping" 2>/dev/null && return 0
    spawned_alive api || break
    sleep 0.05
  done
  tail -n 20 "$LOGS/api.log" >&2 || true
  die "the sample API did not start"
}

# alerting/alertmanager.yml as it is (routes, grouping, inhibitions, templates), except that
# every integration delivers to the sample API's notification sink, and groups wait seconds
# instead of minutes so that a fault shows within the demo's attention span.
write_alertmanager_config() {
  local sink="http://127.0.0.1:$API_PORT/-/notifications"
  mkdir -p "$SECRETS/alertmanager"
  for f in pagerduty_routing_key smtp_password webhook_token; do
    echo "demo-not-a-secret" >"$SECRETS/alertmanager/$f"
  done
  echo "$sink/slack" >"$SECRETS/alertmanager/slack_webhook_url"
  {
    echo "# Generated by scripts/demo.sh from alerting/alertmanager.yml: every notification goes to"
    echo "# the sample API ($sink), nowhere else."
    sed -n '/^global:/,$p' "$ROOT/alerting/alertmanager.yml" |
      sed -e "s#/etc/alertmanager/secrets/#$SECRETS/alertmanager/#" \
        -e "s#^\(  smtp_smarthost:\).*#\1 127.0.0.1:$SMTP_PORT#" \
        -e "s#^\(  smtp_require_tls:\).*#\1 false#" \
        -e "s#^\(  pagerduty_url:\).*#\1 $sink/pagerduty#" \
        -e "s#^\(      - url:\) https://.*#\1 $sink/webhook#" \
        -e "s#^  - templates/\*\.tmpl#  - '$ROOT/alerting/templates/*.tmpl'#" \
        -e "s#^\(\s*group_wait:\).*#\1 2s#" \
        -e "s#^\(\s*group_interval:\).*#\1 10s#"
  } >"$STATE_DIR/alertmanager.yml"
  if grep -nE 'https?://' "$STATE_DIR/alertmanager.yml" | grep -v '127\.0\.0\.1' | grep -qv '^[0-9]*:\s*#'; then
    die "the demo's alertmanager.yml still points outside loopback: $(grep -nE 'https?://' "$STATE_DIR/alertmanager.yml" | grep -v 127.0.0.1)"
  fi
}

start_alertmanager() {
  write_alertmanager_config
  local out
  # setsid: its own session, like every server here, so a Ctrl-C reaches only this script.
  out="$(AM_CONFIG="$STATE_DIR/alertmanager.yml" setsid "$SCRIPTS/alertmanager.sh" start "$STATE_DIR/alertmanager" 2>&1)" ||
    die "Alertmanager did not start: $out"
  AM_PORT="$(field PORT "$out")"
  cp "$STATE_DIR/alertmanager/alertmanager.pid" "$PIDS/alertmanager.pid"
}

# The shape of examples/prometheus.yml for the demo's ports, scraping every 2 s.
write_prometheus_config() {
  cat >"$STATE_DIR/prometheus.yml" <<YAML
# Generated by scripts/demo.sh; the shape of examples/prometheus.yml for the demo's ports.
global:
  scrape_interval: 2s
  scrape_timeout: 2s
  evaluation_interval: 2s
rule_files:
  - $ROOT/rules/*.rules.yml
  - $ROOT/alerting/smoke_exporter_up.rules.yml
alerting:
  alert_relabel_configs:
    - source_labels: [alertname]
      regex: SmokeExporterDown
      action: keep
  alertmanagers:
    - api_version: v2
      static_configs:
        - targets: ['127.0.0.1:$AM_PORT']
scrape_configs:
  - job_name: smoke_exporter
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:$EXPORTER_PORT']
        labels: {env: demo}
  - job_name: smoke_probe
    metrics_path: /probe
    params:
      module: [api_json]
    scrape_interval: 5s
    scrape_timeout: 4s
    static_configs:
      - targets: ['http://127.0.0.1:$API_PORT/health', 'http://127.0.0.1:$API_PORT/api/v1/companies']
        labels: {env: demo}
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:$EXPORTER_PORT
  - job_name: prometheus
    static_configs:
      - targets: ['127.0.0.1:PROMETHEUS_PORT']
  - job_name: alertmanager
    static_configs:
      - targets: ['127.0.0.1:$AM_PORT']
YAML
}

start_prometheus() {
  write_prometheus_config
  local out
  out="$(setsid "$SCRIPTS/prometheus.sh" start "$STATE_DIR/prometheus" "$STATE_DIR/prometheus.yml" 2>&1)" ||
    die "Prometheus did not start: $out"
  PROM_PORT="$(field PORT "$out")"
  cp "$STATE_DIR/prometheus/prometheus.pid" "$PIDS/prometheus.pid"
  # Its own port is known only now: point the self-scrape at it and reload.
  sed -i "s/127.0.0.1:PROMETHEUS_PORT/127.0.0.1:$PROM_PORT/" "$STATE_DIR/prometheus.yml"
  curl -fsS -X POST -o /dev/null "http://127.0.0.1:$PROM_PORT/-/reload" ||
    say "warning: Prometheus did not reload its config"
}

choose_exporter_port() {
  if [ -n "${SMOKE_PORT:-}" ]; then
    EXPORTER_PORT="$SMOKE_PORT"
    port_free "$EXPORTER_PORT" || die "SMOKE_PORT=$SMOKE_PORT is in use"
  elif port_free 9117; then
    EXPORTER_PORT=9117
  else
    EXPORTER_PORT="$("$SCRIPTS/free_port.sh")"
    say "port 9117 is in use; the exporter listens on $EXPORTER_PORT"
  fi
  echo "$EXPORTER_PORT" >"$STATE_DIR/exporter.port"
}

start_exporter() {
  local bin="$1"
  DEMO_API_URL="http://127.0.0.1:$API_PORT" DEMO_API_ADDR="127.0.0.1:$API_PORT" \
    DEMO_PG_ADDR="127.0.0.1:$PG_PORT" DEMO_PG_PASSWORD_FILE="$SECRETS/pg_password" \
    DEMO_REDIS_ADDR="127.0.0.1:$REDIS_PORT" DEMO_PROMETHEUS_URL="http://127.0.0.1:$PROM_PORT" \
    DEMO_ALERTMANAGER_URL="http://127.0.0.1:$AM_PORT" \
    DEMO_EXPORTER_URL="http://127.0.0.1:$EXPORTER_PORT" \
    spawn exporter "$bin" --config.file="$ROOT/examples/local.yml" \
    --web.listen-address="127.0.0.1:$EXPORTER_PORT"
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$EXPORTER_PORT/-/healthy" 2>/dev/null && return 0
    spawned_alive exporter || break
    sleep 0.05
  done
  tail -n 20 "$LOGS/exporter.log" >&2 || true
  die "smoke_exporter did not start (log: $LOGS/exporter.log)"
}

write_env() {
  cat >"$ENV_FILE.tmp" <<ENV
EXPORTER_URL=http://127.0.0.1:$EXPORTER_PORT
PROMETHEUS_URL=http://127.0.0.1:$PROM_PORT
ALERTMANAGER_URL=http://127.0.0.1:$AM_PORT
API_URL=http://127.0.0.1:$API_PORT
NOTIFICATIONS_URL=http://127.0.0.1:$API_PORT/-/notifications
PG_ADDR=127.0.0.1:$PG_PORT
PG_DATABASE=$PG_DB
PG_USER=$PG_USER
PG_PASSWORD_FILE=$SECRETS/pg_password
REDIS_ADDR=127.0.0.1:$REDIS_PORT
DEMO_DIR=$STATE_DIR
ENV
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}

NAMES=(exporter prometheus alertmanager api redis postgres)

running() {
  [ -f "$ENV_FILE" ] || return 1
  for n in "${NAMES[@]}"; do alive "$n" "$(mark "$n")" || return 1; done
}

up() {
  if running; then
    say "already running (state in $STATE_DIR; scripts/demo.sh down stops it)"
    return 0
  fi
  down_quiet
  [ "${SMOKE_DEMO_SKIP_INSTALL:-0}" = 1 ] || "$SCRIPTS/install-deps.sh" >&2
  local bin
  bin="$(exporter_bin)"
  mkdir -p "$STATE_DIR" "$PIDS" "$LOGS" "$SECRETS"
  # PostgreSQL runs as the postgres user when we are root: it must reach its directory.
  chmod 755 "$STATE_DIR"
  chmod 700 "$SECRETS"
  : >"$FAULT_FILE"
  # From here on, a failure (die, or a failed command under set -e) stops what was started.
  trap 'down_quiet' EXIT
  say "starting PostgreSQL, Redis, the sample API, Alertmanager, Prometheus and smoke_exporter"
  # initdb is the slow part: PostgreSQL starts alongside the services that do not need it.
  (start_postgres) &
  local pg_job=$!
  API_PORT="$("$SCRIPTS/free_port.sh")"
  SMTP_PORT="$("$SCRIPTS/free_port.sh")"
  start_redis
  start_alertmanager
  choose_exporter_port
  start_prometheus
  wait "$pg_job" || die "PostgreSQL could not be set up"
  PG_PORT="$(cat "$STATE_DIR/pg.port")"
  start_api
  start_exporter "$bin"
  write_env
  trap - EXIT
  say "up (state in $STATE_DIR)"
}

down_quiet() {
  [ -d "$STATE_DIR" ] || return 0
  rm -f "$ENV_FILE"
  # The prober first (no failures reported about services going away), then the rest at once.
  stop_pid exporter
  local jobs=()
  stop_pid api &
  jobs+=($!)
  "$SCRIPTS/prometheus.sh" stop "$STATE_DIR/prometheus" >/dev/null 2>&1 &
  jobs+=($!)
  "$SCRIPTS/alertmanager.sh" stop "$STATE_DIR/alertmanager" >/dev/null 2>&1 &
  jobs+=($!)
  "$SCRIPTS/redis.sh" stop "$STATE_DIR/redis" >/dev/null 2>&1 &
  jobs+=($!)
  "$SCRIPTS/pg.sh" stop "$STATE_DIR/pg" >/dev/null 2>&1 &
  jobs+=($!)
  wait "${jobs[@]}" || true
  # Whatever a script could not stop (its own pidfile gone): by our records, checked.
  local n
  for n in "${NAMES[@]}"; do stop_pid "$n"; done
  rm -rf "$SECRETS" "$STATE_DIR/exporter.port" "$STATE_DIR/pg.port"
  [ ! -f "$FAULT_FILE" ] || : >"$FAULT_FILE"
}

down() {
  if [ ! -d "$STATE_DIR" ]; then
    say "nothing to stop in $STATE_DIR"
    return 0
  fi
  down_quiet
  local left=()
  for n in "${NAMES[@]}"; do alive "$n" "$(mark "$n")" && left+=("$n"); done
  [ ${#left[@]} -eq 0 ] || die "still running: ${left[*]}"
  say "stopped (logs kept in $LOGS)"
}

# --- faults -----------------------------------------------------------------------------------

load_env() {
  [ -f "$ENV_FILE" ] || die "the demo is not running in $STATE_DIR (start it with: $0 up)"
  # shellcheck disable=SC1090
  source "$ENV_FILE"
}

current_fault() { cat "$FAULT_FILE" 2>/dev/null || true; }

# Undoes the real part of a fault (the API's faults end with the fault file).
undo_fault() {
  case "$1" in
    database_auth)
      "$SCRIPTS/pg.sh" psql "$STATE_DIR/pg" \
        "ALTER ROLE $PG_USER PASSWORD '$(cat "$SECRETS/pg_password")'" >/dev/null
      ;;
    redis_auth)
      if [ -f "$SECRETS/redis_requirepass" ]; then
        "$SCRIPTS/redis.sh" cli "$STATE_DIR/redis" --pass "$(cat "$SECRETS/redis_requirepass")" \
          --no-auth-warning CONFIG SET requirepass "" >/dev/null
        rm -f "$SECRETS/redis_requirepass"
      fi
      ;;
  esac
}

fault() {
  local name="$1" known=no f
  for f in "${FAULTS[@]}"; do [ "$f" = "$name" ] && known=yes; done
  [ "$known" = yes ] || {
    echo "demo: unknown fault \"$name\"; one of: ${FAULTS[*]}" >&2
    exit 2
  }
  load_env
  local previous
  previous="$(current_fault)"
  [ "$previous" = "$name" ] && { say "fault '$name' is already on"; return 0; }
  [ -z "$previous" ] || undo_fault "$previous"
  case "$name" in
    database_auth)
      # The password is rotated in PostgreSQL but not in the application's (and the probe's)
      # secret: seed 000's "password authentication failed for user intel_user".
      "$SCRIPTS/pg.sh" psql "$STATE_DIR/pg" "ALTER ROLE $PG_USER PASSWORD '$(random_secret)'" >/dev/null
      ;;
    redis_auth)
      random_secret >"$SECRETS/redis_requirepass"
      "$SCRIPTS/redis.sh" cli "$STATE_DIR/redis" CONFIG SET requirepass \
        "$(cat "$SECRETS/redis_requirepass")" >/dev/null
      ;;
  esac
  echo "$name" >"$FAULT_FILE"
  say "fault '$name' is on (probes run every 5 s; $0 heal to recover)"
}

heal() {
  load_env
  local previous
  previous="$(current_fault)"
  [ -z "$previous" ] || undo_fault "$previous"
  : >"$FAULT_FILE"
  say "healed${previous:+ ($previous is off)}"
}

# --- run ----------------------------------------------------------------------------------------

where_to_look() {
  load_env
  cat <<MSG

  smoke_exporter demo (state in $STATE_DIR)
  ------------------------------------------------------------------------------------------
  status page          $EXPORTER_URL/
  metrics              $EXPORTER_URL/metrics
  probes (JSON)        $EXPORTER_URL/api/v1/probes
  release gate         $EXPORTER_URL/api/v1/readiness
                       (or: smoke_exporter gate --url $EXPORTER_URL)
  alerts (embedded)    $EXPORTER_URL/api/v1/alerts
  Prometheus           $PROMETHEUS_URL/   (targets: $PROMETHEUS_URL/targets, alerts: $PROMETHEUS_URL/alerts)
  Alertmanager         $ALERTMANAGER_URL/#/alerts
  notifications sent   $NOTIFICATIONS_URL   (PagerDuty, Slack, email and webhook, caught locally)
  sample API           $API_URL/health
  PostgreSQL, Redis    $PG_ADDR (database $PG_DATABASE), $REDIS_ADDR

  Break something (from another terminal), then watch the probe fail, the alert fire and the
  gate block; heal to see everything recover:
    $0 fault database_auth         the database password is rotated (real)
    $0 fault redis_auth            Redis starts requiring a password (real)
    $0 fault error_route           GET /api/v1/companies answers 500
    $0 fault crash_loop            the API drops every connection
    $0 fault missing_security_headers
    $0 heal
  Probes run every 5 s; SmokeProbeFailed fires after 1 minute, the database and cache alerts
  at once. Ctrl-C stops everything.

MSG
}

status() {
  if [ -f "$ENV_FILE" ]; then
    where_to_look
    local f
    f="$(current_fault)"
    echo "  current fault: ${f:-none (healthy)}"
  else
    echo "demo: not running in $STATE_DIR"
  fi
  local n
  for n in "${NAMES[@]}"; do
    if alive "$n" "$(mark "$n")"; then echo "  $n: running (pid $(cat "$PIDS/$n.pid"))"; else echo "  $n: stopped"; fi
  done
}

run() {
  up
  trap 'down' EXIT
  trap 'exit 130' INT TERM
  where_to_look
  while alive exporter "$(mark exporter)"; do sleep 1; done
  say "smoke_exporter exited (log: $LOGS/exporter.log)"
  exit 1
}

case "${1:-run}" in
  run) run ;;
  up) up ;;
  down) down ;;
  fault)
    [ -n "${2:-}" ] || usage
    fault "$2"
    ;;
  heal) heal ;;
  status) status ;;
  -h | --help | help) usage ;;
  *) usage ;;
esac
