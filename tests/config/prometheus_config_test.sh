#!/usr/bin/env bash
# examples/prometheus.yml is a valid Prometheus config whose rule files exist and load
# (promtool check config), it scrapes the exporter and shows the /probe pattern, and the rule
# file Prometheus alone can evaluate (alerting/smoke_exporter_up.rules.yml) passes its tests.
set -uo pipefail
# shellcheck source=tests/config/lib.sh
source "$(dirname "$0")/lib.sh"
PROM_YML="$ROOT/examples/prometheus.yml"

out="$(promtool check config "$PROM_YML" 2>&1)"
rc=$?
expect_eq "promtool check config examples/prometheus.yml" 0 "$rc"
[ "$rc" -eq 0 ] || sed 's/^/    /' <<<"$out"
# Every bundled rule file is loaded (a rule_files glob that matches nothing is not an error).
for f in "$ROOT"/rules/*.rules.yml "$ROOT"/alerting/*.rules.yml; do
  rel="${f#"$ROOT"/}"
  expect_eq "Prometheus loads $rel" 1 "$(grep -c "Checking .*$rel" <<<"$out" | awk '{print ($1 > 0)}')"
done
for want in "job_name: smoke_exporter" "metrics_path: /probe" "target_label: __param_target" \
  "regex: SmokeExporterDown"; do
  expect_eq "examples/prometheus.yml has \"$want\"" 1 "$(grep -c -- "$want" "$PROM_YML" | awk '{print ($1 > 0)}')"
done

check "promtool check rules alerting/*.rules.yml" promtool check rules "$ROOT"/alerting/*.rules.yml
check "promtool test rules alerting/tests/*.test.yml" promtool test rules "$ROOT"/alerting/tests/*.test.yml
finish
