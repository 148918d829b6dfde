#!/usr/bin/env bash
# alerting/alertmanager.yml is a valid Alertmanager config (amtool check-config), keeps its
# secrets in files, has the four kinds of receivers, and every notification template it uses
# exists and renders.
set -uo pipefail
# shellcheck source=tests/config/lib.sh
source "$(dirname "$0")/lib.sh"
AM_YML="$ROOT/alerting/alertmanager.yml"

check "amtool check-config accepts alerting/alertmanager.yml" amtool check-config "$AM_YML"
summary="$(amtool check-config "$AM_YML" 2>&1)"
for want in "5 inhibit rules" "4 receivers" "1 templates"; do
  expect_eq "check-config finds $want" "$want" "$(grep -o -- "$want" <<<"$summary" || true)"
done

# Secrets only through *_file keys: an inline key, password, token or webhook URL would end up
# in version control and in Alertmanager's /api/v2/status.
inline="$(grep -nE '^\s*-?\s*(routing_key|service_key|api_url|slack_api_url|auth_password|auth_secret|smtp_auth_password|smtp_auth_secret|credentials|password|bearer_token|token)\s*:' "$AM_YML" || true)"
expect_eq "no inline secret in alertmanager.yml" "" "$inline"

for kind in pagerduty_configs slack_configs email_configs webhook_configs; do
  expect_eq "a receiver uses $kind" 1 "$(grep -cE "^\s+$kind:" "$AM_YML" | awk '{print ($1 > 0)}')"
done

# Every template the receivers call is defined and renders without error (amtool's example
# data has no firing alert; the demo test checks real notifications).
templates="$ROOT/alerting/templates/*.tmpl"
used="$(grep -oE 'template "[a-z.]+"' "$AM_YML" | sort -u | sed -E 's/template "(.*)"/\1/')"
[ -n "$used" ] || expect_eq "alertmanager.yml uses the templates" "some" ""
for t in $used; do
  # shellcheck disable=SC2086  # the glob is expanded on purpose
  expect_eq "template $t is defined" 1 "$(cat $templates | grep -c "define \"$t\"" | awk '{print ($1 > 0)}')"
  out="$(amtool template render --template.glob="$templates" --template.text="{{ template \"$t\" . }}" 2>&1)"
  rc=$?
  expect_eq "template $t renders without error" "0" "$rc"
  [ "$rc" -ne 0 ] && echo "    $out"
done
finish
