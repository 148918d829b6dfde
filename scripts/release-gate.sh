#!/usr/bin/env bash
# The release gate with nothing but curl and jq (for CI images without smoke_exporter); the
# same contract as `smoke_exporter gate`.
#
#   scripts/release-gate.sh --url URL [--wait DURATION] [--interval DURATION] [--selector k=v]...
#
#   URL        the exporter (http://host:9117) or its readiness URL (.../api/v1/readiness)
#   --wait     keep asking until ready or this long has passed (default 0: ask once);
#              durations are 90s, 10m, 1h30m, ...
#   --interval between questions (default 10s)
#   --selector scope the verdict to alerts/probes with this label (component=api, probe=db, ...)
#
# Prints READY, or BLOCKED with a table of violations (alert, reason, component, probe,
# severity, since, evidence). Exit codes: 0 ready, 1 blocked, 2 undecidable (unreachable,
# timed out, an answer that is not a readiness verdict, or bad arguments).
set -uo pipefail

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

die() {
  echo "release-gate: $*" >&2
  exit 2
}

# Seconds in a Prometheus-style duration (1h30m, 90s, 500ms rounds up to 1s).
seconds() {
  local text="$1" total=0 rest="$1" n unit
  [ "$text" = "0" ] && { echo 0; return 0; }
  [[ "$text" =~ ^([0-9]+(ms|s|m|h|d|w))+$ ]] || return 1
  while [[ "$rest" =~ ^([0-9]+)(ms|s|m|h|d|w)(.*)$ ]]; do
    n="${BASH_REMATCH[1]}" unit="${BASH_REMATCH[2]}" rest="${BASH_REMATCH[3]}"
    case "$unit" in
      ms) total=$((total + (n + 999) / 1000)) ;;
      s) total=$((total + n)) ;;
      m) total=$((total + n * 60)) ;;
      h) total=$((total + n * 3600)) ;;
      d) total=$((total + n * 86400)) ;;
      w) total=$((total + n * 604800)) ;;
    esac
  done
  echo "$total"
}

command -v curl >/dev/null || die "curl is required"
command -v jq >/dev/null || die "jq is required (scripts/install-deps.sh installs it)"

url="" wait_s=0 interval_s=10 query=""
while [ $# -gt 0 ]; do
  case "$1" in
    --url) url="${2:-}"; shift 2 || usage ;;
    --url=*) url="${1#--url=}"; shift ;;
    --wait|--interval|--selector)
      [ $# -ge 2 ] || usage
      opt="$1" val="$2"; shift 2
      ;&
    --wait=*|--interval=*|--selector=*)
      if [ -z "${opt:-}" ]; then opt="${1%%=*}" val="${1#*=}"; shift; fi
      case "$opt" in
        --wait) wait_s="$(seconds "$val")" || die "invalid --wait \"$val\"" ;;
        --interval)
          interval_s="$(seconds "$val")" || die "invalid --interval \"$val\""
          [ "$interval_s" -gt 0 ] || die "--interval must be greater than 0"
          ;;
        --selector)
          [[ "$val" =~ ^[a-zA-Z_][a-zA-Z0-9_]*=.+$ ]] ||
            die "invalid --selector \"$val\" (expected label=value, e.g. component=api)"
          name="${val%%=*}" value="${val#*=}"
          query+="${query:+&}${name}=$(jq -rn --arg v "$value" '$v|@uri')"
          ;;
      esac
      opt=""
      ;;
    -h|--help) usage ;;
    *) [ -z "$url" ] && { url="$1"; shift; } || usage ;;
  esac
done
[ -n "$url" ] || usage
url="${url%/}"
case "$url" in
  */api/v1/readiness) ;;
  *) url="$url/api/v1/readiness" ;;
esac
[ -n "$query" ] && url="$url?$query"
shown_url="$(printf '%s' "$url" | sed -E 's#://[^/@]*@#://<redacted>@#')"

# Sets: answer (ready|blocked|undecidable), body, error.
ask() {
  local out code
  body="" error=""
  out="$(curl -sS --max-time 10 -H 'Accept: application/json' -A 'release-gate.sh' \
    -w '\n%{http_code}' "$url" 2>&1)"
  if [ $? -ne 0 ]; then
    out="${out%$'\n'*}"  # the status code curl wrote for no response
    while [[ "$out" == *$'\n' ]]; do out="${out%$'\n'}"; done
    answer=undecidable error="cannot reach $shown_url: ${out//$'\n'/ }"
    return
  fi
  code="${out##*$'\n'}"
  body="${out%$'\n'*}"
  if [ "$code" != 200 ] && [ "$code" != 503 ]; then
    answer=undecidable error="$shown_url answered HTTP $code: ${body:0:200}"
    return
  fi
  if ! jq -e 'type == "object" and (.ready | type == "boolean") and (.violations | type == "array")' \
    >/dev/null 2>&1 <<<"$body"; then
    answer=undecidable error="$shown_url did not answer with a readiness verdict (HTTP $code): ${body:0:200}"
    return
  fi
  if [ "$(jq -r '.ready' <<<"$body")" = true ]; then
    if [ "$code" != 200 ] || [ "$(jq '.violations | length' <<<"$body")" != 0 ]; then
      answer=undecidable error="$shown_url answered a contradictory verdict (HTTP $code)"
      return
    fi
    answer=ready
  else
    answer=blocked
  fi
}

# Aligns tab-separated rows into columns (two spaces apart).
align() {
  awk -F '\t' '{ for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
                 if (NF > nf) nf = NF; rows = NR }
               END { for (r = 1; r <= rows; r++) { line = ""
                       for (i = 1; i <= nf; i++) line = line (i < nf ? sprintf("%-" w[i] "s  ", cell[r, i]) : cell[r, i])
                       print line } }'
}

print_verdict() {
  local id at n
  id="$(jq -r '.decision_id // ""' <<<"$body")"
  at="$(jq -r '.evaluated_at // ""' <<<"$body")"
  if [ "$answer" = ready ]; then
    echo "READY: decision $id evaluated $at"
  else
    n="$(jq '.violations | length' <<<"$body")"
    echo "BLOCKED: $n violation$([ "$n" = 1 ] || echo s) (decision $id, evaluated $at)"
    jq -r '
      def cell: if . == null or . == "" then "-" else (tostring | gsub("[\t\r\n]"; " ")) end;
      def cut: if length > 100 then .[0:97] + "..." else . end;
      (["ALERT", "REASON", "COMPONENT", "PROBE", "SEVERITY", "SINCE", "EVIDENCE"]),
      (.violations[] | [(.alert | cell), (.reason | cell), (.component | cell), (.probe | cell),
                        (.severity | cell), (.since | cell),
                        ((if (.summary // "") != "" then .summary
                          elif (.evidence // {}) == {} then "-"
                          else (.evidence | tojson) end) | cell | cut)])
      | @tsv' <<<"$body" | align
  fi
  if [ "$(jq '(.waived // []) | length' <<<"$body")" != 0 ]; then
    echo
    echo "Waived by Alertmanager silences:"
    jq -r '
      def cell: if . == null or . == "" then "-" else (tostring | gsub("[\t\r\n]"; " ")) end;
      (["ALERT", "REASON", "SILENCE", "CREATED_BY", "ENDS_AT", "COMMENT"]),
      (.waived[] | [(.alert | cell), (.reason | cell), (.silence_id | cell),
                    (.created_by | cell), (.ends_at | cell), (.comment | cell)])
      | @tsv' <<<"$body" | align
  fi
  if [ "$(jq -r '.waivers_unavailable // false' <<<"$body")" = true ]; then
    echo
    echo "Note: waivers are unavailable (silences could not be read: $(jq -r '.waivers.error // "unknown"' <<<"$body")); no blocker was waived."
  fi
}

deadline=$(($(date +%s) + wait_s))
while true; do
  ask
  now="$(date +%s)"
  if [ "$answer" = ready ] || [ "$now" -ge "$deadline" ]; then
    case "$answer" in
      ready) print_verdict; exit 0 ;;
      blocked) print_verdict; exit 1 ;;
      *)
        echo "release-gate: $error" >&2
        exit 2
        ;;
    esac
  fi
  if [ "$answer" = blocked ]; then
    note="blocked: $(jq -r '[.violations[].reason] | unique | join(", ")' <<<"$body")"
  else
    note="undecidable: $error"
  fi
  left=$((deadline - now))
  echo "release-gate: $note; asking again in ${interval_s}s (${left}s left)" >&2
  sleep "$(( interval_s < left ? interval_s : left ))"
done
