#!/usr/bin/env bash
# Inhibition and grouping of alerting/alertmanager.yml in a real Alertmanager (started by
# scripts/alertmanager.sh with that config): root-cause and symptom alerts, labelled as the
# bundled rules label them, are posted to /api/v2/alerts, and each symptom must be reported
# inhibited by its root cause (status.inhibitedBy = the cause's fingerprint), nothing else
# inhibited. amtool's route tests cannot see inhibitions. Each case uses its own env, since
# every inhibition requires an equal env.
# Nothing is notified: the receivers' first notification waits group_wait (30s or more) and the
# test is done long before that; their secret files do not exist here either.
set -uo pipefail
# shellcheck source=tests/config/lib.sh
source "$(dirname "$0")/lib.sh"

DIR="$(mktemp -d "${TMPDIR:-/tmp}/smoke-am-inhibit-XXXXXX")"
trap '"$ROOT/scripts/alertmanager.sh" stop "$DIR/am" >/dev/null 2>&1; rm -rf "$DIR"' EXIT
out="$(AM_CONFIG="$ROOT/alerting/alertmanager.yml" "$ROOT/scripts/alertmanager.sh" start "$DIR/am" 2>&1)" || {
  echo "FAIL: alertmanager.sh start: $out"
  exit 1
}
URL="$(sed -n 's/^URL=//p' <<<"$out")"

# id|labels (k=v,...)|the alert expected to inhibit it, or "-". Alertmanager names one source
# even when several match: "a/b" accepts either.
ALERTS=(
  # The exporter is down: every other alert of its env is muted, other envs are not.
  "exporter_down|alertname=SmokeExporterDown,severity=critical,reason=exporter_down,job=smoke_exporter,instance=127.0.0.1:9117,env=a|-"
  "a_api_failed|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=api,probe=api_health,env=a|exporter_down"
  "a_stale|alertname=SmokeProbeDataStale,severity=warning,reason=probe_stale,gate=release,component=cache,probe=cache,env=a|exporter_down"
  "other_env_failed|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=api,probe=api_health,env=other|-"

  # The database refuses the credentials: API probes that depend on it are muted, others not.
  "db_auth|alertname=SmokeDatabaseAuthFailed,severity=critical,reason=auth_failed,gate=release,component=database,probe=db_core,env=b|-"
  "b_db_probe_failed|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=database,probe=db_core,env=b|db_auth"
  "b_companies|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=api,probe=api_companies,depends_on=database,env=b|db_auth/b_db_probe_failed"
  "b_health|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=api,probe=api_health,depends_on=database\,cache,env=b|db_auth/b_db_probe_failed"
  "b_cache_only|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=api,probe=api_sessions,depends_on=cache,env=b|-"
  "b_headers|alertname=SmokeProbeDegraded,severity=warning,reason=probe_degraded,component=security,probe=api_security_headers,env=b|-"

  # The cache requires a password: the same for probes that depend on the cache.
  "cache_auth|alertname=SmokeCacheAuthRequired,severity=critical,reason=auth_required,gate=release,component=cache,probe=cache,env=c|-"
  "c_cache_probe_failed|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=cache,probe=cache,env=c|cache_auth"
  "c_health|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=api,probe=api_health,depends_on=database\,cache,env=c|cache_auth/c_cache_probe_failed"
  "c_companies|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=api,probe=api_companies,depends_on=database,env=c|-"

  # A warning about the database is no root cause.
  "d_db_degraded|alertname=SmokeProbeDegraded,severity=warning,reason=probe_degraded,component=database,probe=db_core,env=d|-"
  "d_companies|alertname=SmokeProbeFailed,severity=critical,reason=probe_failed,gate=release,component=api,probe=api_companies,depends_on=database,env=d|-"

  # An SLO's fast burn mutes its slow burn, not another SLO's.
  "slo_page|alertname=ApiAvailabilityErrorBudgetBurn,severity=critical,slo_severity=page,reason=error_budget_burn_page,gate=release,slo=api-availability,component=api,env=e|-"
  "slo_ticket|alertname=ApiAvailabilityErrorBudgetBurn,severity=warning,slo_severity=ticket,reason=error_budget_burn_ticket,slo=api-availability,component=api,env=e|slo_page"
  "slo_other_ticket|alertname=ApiLatencyErrorBudgetBurn,severity=warning,slo_severity=ticket,reason=error_budget_burn_ticket,slo=api-latency,component=api,env=e|-"
)

now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ends="$(date -u -d '+10 minutes' +%Y-%m-%dT%H:%M:%SZ)"
payload="$(
  for a in "${ALERTS[@]}"; do
    IFS='|' read -r id labels _ <<<"$a"
    # "k=v,k=v" with "\," for a comma inside a value -> a JSON object with a "case" label.
    jq -cn --arg id "$id" --arg labels "$labels" --arg s "$now" --arg e "$ends" '
      { labels: ($labels | gsub("\\\\,"; "\u0000") | split(",")
                 | map(gsub("\u0000"; ",") | capture("^(?<k>[^=]+)=(?<v>.*)$") | {(.k): .v}) | add
                 + {case: $id}),
        annotations: {summary: $id}, startsAt: $s, endsAt: $e }'
  done | jq -cs .
)"
check "Alertmanager accepts the alerts" curl -fsS -X POST -H 'Content-Type: application/json' \
  --data "$payload" "$URL/api/v2/alerts"

# case id -> fingerprint, and case id -> the case ids of the alerts inhibiting it.
state() {
  curl -fsS "$URL/api/v2/alerts" | jq -r '
    (map({key: .fingerprint, value: .labels.case}) | from_entries) as $case
    | .[] | "\(.labels.case) \([.status.inhibitedBy[] | $case[.] // .] | sort | join(",") | if . == "" then "-" else . end)"' |
    sort
}
inhibited_count() { curl -fsS "$URL/api/v2/alerts" | jq '[.[] | select(.status.inhibitedBy | length > 0)] | length'; }
want_count=0
for a in "${ALERTS[@]}"; do [ "${a##*|}" = "-" ] || want_count=$((want_count + 1)); done
# The inhibitor learns of the source alerts asynchronously: wait until all symptoms are muted.
all_muted() { [ "$(inhibited_count)" = "$want_count" ]; }
wait_for 15 all_muted
got="$(state)"
for a in "${ALERTS[@]}"; do
  IFS='|' read -r id _ by <<<"$a"
  sources="$(awk -v id="$id" '$1 == id { print $2 }' <<<"$got")"
  ok=yes
  if [ "$by" = "-" ]; then
    [ "$sources" = "-" ] || ok=no
  else
    [ -n "$sources" ] && [ "$sources" != "-" ] || ok=no
    for s in ${sources//,/ }; do [[ "/$by/" == *"/$s/"* ]] || ok=no; done
  fi
  checks=$((checks + 1))
  if [ "$ok" = no ]; then
    failures=$((failures + 1))
    echo "FAIL: $id should be inhibited by: $by"
    echo "    got: ${sources:-<alert missing>}"
  fi
done

# Grouping: one group per env and component, routed by severity.
groups="$(curl -fsS "$URL/api/v2/alerts/groups" | jq -r '.[] | "\(.labels.env)/\(.labels.component // "-") \(.receiver.name) \(.alerts | length)"' | sort)"
expect_eq "env b's database group pages with both database alerts" "b/database page 2" "$(grep '^b/database ' <<<"$groups")"
expect_eq "env b's api alerts form one group" "b/api page 3" "$(grep '^b/api ' <<<"$groups")"
expect_eq "group labels are exactly env and component" "component,env" \
  "$(curl -fsS "$URL/api/v2/alerts/groups" | jq -r '[.[].labels | keys] | flatten | unique | join(",")')"
finish
