#!/usr/bin/env bash
# Routing of alerting/alertmanager.yml, with `amtool config routes test`: the labels of the
# alerts our rules really produce reach the receiver of their severity tier (page, ticket,
# info), and every alert defined in rules/*.rules.yml and alerting/*.rules.yml is covered.
set -uo pipefail
# shellcheck source=tests/config/lib.sh
source "$(dirname "$0")/lib.sh"
AM_YML="$ROOT/alerting/alertmanager.yml"

# stderr only says that --config.file overrides --alertmanager.url.
route() { amtool config routes test --config.file="$AM_YML" "$@" 2>/dev/null; }

# expected receiver | labels of the alert (as the bundled rules set them)
CASES=(
  "page|alertname=SmokeDatabaseAuthFailed severity=critical reason=auth_failed gate=release component=database probe=db_core env=staging"
  "page|alertname=SmokeCacheAuthRequired severity=critical reason=auth_required gate=release component=cache probe=cache env=staging"
  "page|alertname=SmokeProbeFailed severity=critical reason=probe_failed gate=release component=api probe=api_health outcome=failed env=staging"
  "page|alertname=SmokeTlsCertificateExpiring severity=critical reason=cert_expiring_3d gate=release component=api"
  "page|alertname=SmokeExporterDown severity=critical reason=exporter_down job=smoke_exporter instance=127.0.0.1:9117 env=staging"
  "page|alertname=ApiAvailabilityErrorBudgetBurn severity=critical slo_severity=page reason=error_budget_burn_page gate=release slo=api-availability component=api"
  "ticket|alertname=ApiAvailabilityErrorBudgetBurn severity=warning slo_severity=ticket reason=error_budget_burn_ticket slo=api-availability component=api"
  "ticket|alertname=SmokeProbeDegraded severity=warning reason=probe_degraded component=security probe=api_security_headers"
  "ticket|alertname=SmokeProbeDataStale severity=warning reason=probe_stale gate=release component=api probe=api_health"
  "ticket|alertname=SmokeNotificationErrors severity=warning reason=notification_errors alertmanager=http://127.0.0.1:9093"
  "info|alertname=SmokeProbeSkipped severity=info reason=probe_skipped component=database probe=db_core"
  # The alert_pipeline probe's heartbeat goes to the receiver that notifies nobody, whatever
  # severity it is given (examples/staging.yml gives it severity=none).
  "heartbeat|alertname=SmokeExporterHeartbeat probe=alert_pipeline severity=none nonce=abc"
  "heartbeat|alertname=SmokeExporterHeartbeat probe=alert_pipeline severity=critical nonce=abc"
  # Rules of your own that use the page/ticket vocabulary.
  "page|alertname=Custom severity=page"
  "ticket|alertname=Custom severity=ticket"
  # No (or an unknown) severity: still seen, as a ticket.
  "ticket|alertname=Custom"
  "ticket|alertname=Custom severity=none"
)
for c in "${CASES[@]}"; do
  want="${c%%|*}"
  # shellcheck disable=SC2086  # labels are words
  expect_eq "route of {${c#*|}}" "$want" "$(route ${c#*|})"
done

# Every alert our rule files define reaches the receiver of its severity.
tier() {
  case "$1" in
    critical) echo page ;;
    warning) echo ticket ;;
    info) echo info ;;
    *) echo "unknown severity $1" ;;
  esac
}
pairs="$(awk '/^[[:space:]]*- alert:/ { name = $3 }
              /^[[:space:]]+severity:/ && name != "" { print name, $2; name = "" }' \
  "$ROOT"/rules/*.rules.yml "$ROOT"/alerting/*.rules.yml | sort -u)"
n="$(wc -l <<<"$pairs")"
[ "$n" -ge 20 ] || expect_eq "alerts found in the rule files (at least 20)" ">= 20" "$n"
while read -r name severity; do
  [ -n "$name" ] || continue
  expect_eq "route of bundled alert $name (severity $severity)" "$(tier "$severity")" \
    "$(route alertname="$name" severity="$severity" component=api env=staging)"
done <<<"$pairs"
finish
