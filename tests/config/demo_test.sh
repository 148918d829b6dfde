#!/usr/bin/env bash
# The demo stack end to end (scripts/demo.sh up / fault / heal / down), as a newcomer and the
# dashboards' drift tests use it: every component answers and is probed healthy; error_route
# fails the probe of that route; database_auth (a real password rotation) fails the database
# probe, fires SmokeDatabaseAuthFailed into the demo Alertmanager, pages through the demo's
# PagerDuty and Slack receivers (the sample API's sink) and blocks the release gate; heal
# recovers; down leaves no process of the demo behind.
# Needs SMOKE_EXPORTER_BIN (ctest passes the built binary).
set -uo pipefail
# shellcheck source=tests/config/lib.sh
source "$(dirname "$0")/lib.sh"
[ -x "${SMOKE_EXPORTER_BIN:-}" ] || { echo "FAIL: SMOKE_EXPORTER_BIN is not set to a binary"; exit 1; }

DEMO="$ROOT/scripts/demo.sh"
# Short (PostgreSQL's socket lives inside it) and reachable by the postgres user when root.
SMOKE_DEMO_DIR="$(mktemp -d /tmp/smoke-demo-XXXXXX)"
chmod 755 "$SMOKE_DEMO_DIR"
SMOKE_PORT="$("$ROOT/scripts/free_port.sh")"
export SMOKE_DEMO_DIR SMOKE_PORT SMOKE_EXPORTER_BIN SMOKE_DEMO_SKIP_INSTALL=1
cleanup() {
  "$DEMO" down >/dev/null 2>&1
  rm -rf "$SMOKE_DEMO_DIR"
}
trap cleanup EXIT

started=$SECONDS
if ! "$DEMO" up >"$SMOKE_DEMO_DIR/up.out" 2>&1; then
  echo "FAIL: scripts/demo.sh up"
  sed 's/^/    /' "$SMOKE_DEMO_DIR/up.out"
  tail -n 20 "$SMOKE_DEMO_DIR"/logs/*.log 2>/dev/null | sed 's/^/    /'
  exit 1
fi
echo "up in $((SECONDS - started)) s"

# The env file: what other tests and people read.
for key in EXPORTER_URL PROMETHEUS_URL ALERTMANAGER_URL API_URL; do
  expect_eq "env has $key" 1 "$(grep -cE "^$key=http://127\.0\.0\.1:[0-9]+$" "$SMOKE_DEMO_DIR/env")"
done
# shellcheck disable=SC1091
source "$SMOKE_DEMO_DIR/env"
expect_eq "the exporter listens on SMOKE_PORT" "http://127.0.0.1:$SMOKE_PORT" "$EXPORTER_URL"

phase() { echo "[$((SECONDS - started)) s] $*"; }
# Each component answers.
check "exporter /-/healthy" curl -fsS -o /dev/null "$EXPORTER_URL/-/healthy"
check "Prometheus /-/ready" curl -fsS -o /dev/null "$PROMETHEUS_URL/-/ready"
check "Alertmanager /-/ready" curl -fsS -o /dev/null "$ALERTMANAGER_URL/-/ready"
check "sample API /health" curl -fsS -o /dev/null "$API_URL/health"

state() { curl -fsS "$EXPORTER_URL/api/v1/probes/$1" | jq -r '.data | "\(.state) \(.last.reason)"'; }
probe_is() { [ "$(state "$1")" = "$2" ]; }
# And the exporter sees each one healthy: PostgreSQL, Redis, Prometheus, Alertmanager, the API.
for p in db_core cache prometheus alertmanager alert_pipeline api_health api_companies; do
  wait_for 30 probe_is "$p" "ok none"
  expect_eq "probe $p passes" "ok none" "$(state "$p")"
done
prom_up() {
  curl -fsS "$PROMETHEUS_URL/api/v1/query" --data-urlencode 'query=up{job="smoke_exporter",env="demo"}' |
    jq -e '.data.result[0].value[1] == "1"'
}
wait_for 20 prom_up
check "Prometheus scrapes the exporter (up{job=\"smoke_exporter\"} == 1)" prom_up

phase "all components answer and are probed healthy"
# error_route: the companies route answers 500, its probe fails with reason status.
check "fault error_route" "$DEMO" fault error_route
wait_for 20 probe_is api_companies "failed status"
expect_eq "api_companies fails with reason status" "failed status" "$(state api_companies)"
expect_eq "probe_success of api_companies is 0" 0 \
  "$(curl -fsS "$EXPORTER_URL/metrics" | awk '/^probe_success\{/ && /probe="api_companies"/ { print $2 }')"

phase "error_route seen"
# database_auth (replaces error_route): the password really changes in PostgreSQL.
check "fault database_auth" "$DEMO" fault database_auth
wait_for 20 probe_is db_core "failed auth_failed"
expect_eq "db_core fails with reason auth_failed" "failed auth_failed" "$(state db_core)"
# The API reads its companies from that database: its 500 now names the database, not the route.
expect_eq "the API fails for the database's reason" 1 \
  "$(curl -sS "$API_URL/api/v1/companies" | grep -c 'database unavailable: password authentication failed')"
expect_eq "one fault at a time" database_auth "$(cat "$SMOKE_DEMO_DIR/fault")"
paged() {
  curl -fsS "$API_URL/-/notifications" |
    jq -e '[.[] | select(.integration == "pagerduty") | .body.payload.summary
            | select(test("SmokeDatabaseAuthFailed"))] | length > 0'
}
wait_for 25 paged
check "SmokeDatabaseAuthFailed pages through the demo's PagerDuty receiver" paged
expect_eq "the Slack page names the probe and the reason" 1 \
  "$(curl -fsS "$API_URL/-/notifications" | jq '[.[] | select(.integration == "slack")
      | .body.attachments[0] | select(.title | test("SmokeDatabaseAuthFailed"))
      | select(.text | test("probe: db_core") and test("reason: auth_failed"))] | length | if . > 0 then 1 else 0 end')"
expect_eq "the release gate is blocked by auth_failed" "503 true" \
  "$(curl -sS -o "$SMOKE_DEMO_DIR/verdict.json" -w '%{http_code}' "$EXPORTER_URL/api/v1/readiness") $(jq '[.violations[].reason] | index("auth_failed") != null' "$SMOKE_DEMO_DIR/verdict.json")"

phase "database_auth seen, paged, gate blocked"
check "heal" "$DEMO" heal
wait_for 20 probe_is db_core "ok none"
expect_eq "db_core recovers" "ok none" "$(state db_core)"

phase "healed"
# down: every recorded process ends, nothing of this state dir keeps running.
pids="$(cat "$SMOKE_DEMO_DIR"/pids/*.pid)"
expect_eq "six processes recorded" 6 "$(wc -w <<<"$pids")"
check "scripts/demo.sh down" "$DEMO" down
for pid in $pids; do
  if [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
    expect_eq "pid $pid is gone after down" "gone" "$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  fi
done
left=""
for f in /proc/[0-9]*/cmdline; do
  pid="${f#/proc/}" pid="${pid%/cmdline}"
  [ "$pid" = "$$" ] && continue
  cmd="$({ tr '\0' ' ' <"$f"; } 2>/dev/null)" || continue
  [[ "$cmd" == *"$SMOKE_DEMO_DIR"* ]] && left+="$pid: $cmd; "
done
expect_eq "no process mentions the demo dir after down" "" "$left"
expect_eq "the env file is gone" "no" "$([ -e "$SMOKE_DEMO_DIR/env" ] && echo yes || echo no)"
check "the exporter port is closed" bash -c "! curl -sS -o /dev/null --max-time 1 $EXPORTER_URL/-/healthy"
phase "down"
finish
