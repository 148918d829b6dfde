#!/usr/bin/env python3
"""Writes the Grafana dashboards in this directory (*.json) from the definitions below.

    python3 dashboards/generate.py           # rewrite the JSON files
    python3 dashboards/generate.py --check   # exit 1 if a JSON file differs from what this writes

Edit this file, not the JSON: ids, gridPos, datasource references and variables are filled in
here the same way for every panel, which keeps a hundred panels consistent. The JSON is
committed so that Grafana's file provisioning (provisioning/dashboards.yml) needs no build step.

Every query uses only series smoke_exporter exports (README, "Metrics"), the SLO recording
rules (rules/slo.rules.yml, `smoke_exporter slo generate`) and Prometheus's ALERTS and `up`.
tests/unit/promql/dashboard_queries_test.cc parses every query with the exporter's PromQL
parser; tests/integration/drift_test.cc runs them against a Prometheus that scraped the demo.
"""
import json
import os
import sys

SCHEMA_VERSION = 39
DATASOURCE = {"type": "prometheus", "uid": "${datasource}"}
GRID_WIDTH = 24

# The label selectors of the templated variables. env and component read ".*" when "All" is
# selected, so a series without the label (an SLO aggregated over every env) still matches.
# probe has no custom all-value: "All" is the regex of the probes the variable lists, which is
# what restricts a component dashboard to the probes of its kinds.
ENV = 'env=~"$env"'
SEL = 'env=~"$env", component=~"$component", probe=~"$probe"'
SLO_SEL = 'component=~"$component"'
RATE = "$__rate_interval"


# --- panels -----------------------------------------------------------------------------------


def target(expr, legend=None, instant=False, fmt=None):
    t = {"datasource": DATASOURCE, "expr": expr, "range": not instant, "instant": instant}
    if legend is not None:
        t["legendFormat"] = legend
    if fmt is not None:
        t["format"] = fmt
    return t


def _panel(kind, title, description, targets, defaults=None, options=None, overrides=None):
    for ref, t in zip("ABCDEFGHIJ", targets):
        t["refId"] = ref
    return {
        "type": kind,
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "targets": targets,
        "fieldConfig": {"defaults": defaults or {}, "overrides": overrides or []},
        "options": options or {},
    }


def thresholds(*steps):
    """steps: (value, color) pairs after the base color, which is the first argument."""
    base, rest = steps[0], steps[1:]
    return {"mode": "absolute",
            "steps": [{"color": base, "value": None}] +
                     [{"color": c, "value": v} for v, c in rest]}


def value_mappings(mapping):
    return [{"type": "value",
             "options": {str(k): {"text": text, "color": color, "index": i}
                         for i, (k, (text, color)) in enumerate(mapping.items())}}]


def stat(title, description, targets, unit="short", steps=("green",), mappings=None,
         decimals=None, graph=False):
    defaults = {"unit": unit, "color": {"mode": "thresholds"}, "thresholds": thresholds(*steps)}
    if mappings:
        defaults["mappings"] = value_mappings(mappings)
    if decimals is not None:
        defaults["decimals"] = decimals
    options = {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
               "colorMode": "background", "graphMode": "area" if graph else "none",
               "textMode": "auto", "justifyMode": "auto", "orientation": "auto"}
    return _panel("stat", title, description, targets, defaults, options)


def timeseries(title, description, targets, unit="short", stack=False, bars=False,
               steps=None, min_zero=True, threshold_lines=False):
    custom = {"drawStyle": "bars" if bars else "line", "lineWidth": 1,
              "fillOpacity": 80 if bars else (25 if stack else 10),
              "showPoints": "never", "spanNulls": False,
              "stacking": {"mode": "normal" if stack else "none", "group": "A"}}
    if threshold_lines:
        custom["thresholdsStyle"] = {"mode": "line+area"}
    defaults = {"unit": unit, "custom": custom, "color": {"mode": "palette-classic"}}
    if min_zero:
        defaults["min"] = 0
    if steps:
        defaults["thresholds"] = thresholds(*steps)
    options = {"legend": {"displayMode": "table", "placement": "right", "showLegend": True,
                          "calcs": ["lastNotNull", "max"]},
               "tooltip": {"mode": "multi", "sort": "desc"}}
    return _panel("timeseries", title, description, targets, defaults, options)


def state_timeline(title, description, targets, mappings):
    defaults = {"color": {"mode": "thresholds"}, "thresholds": thresholds("green"),
                "mappings": value_mappings(mappings),
                "custom": {"fillOpacity": 80, "lineWidth": 0}}
    options = {"mergeValues": True, "showValue": "never", "rowHeight": 0.8, "alignValue": "left",
               "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
               "tooltip": {"mode": "single", "sort": "none"}}
    return _panel("state-timeline", title, description, targets, defaults, options)


def heatmap(title, description, bucket_expr):
    """bucket_expr: a histogram's _bucket series summed by le (and nothing else)."""
    t = target(bucket_expr, legend="{{le}}", fmt="heatmap")
    options = {"calculate": False, "cellGap": 1, "yAxis": {"axisPlacement": "left", "unit": "s"},
               "rowsFrame": {"layout": "auto"},
               "color": {"mode": "scheme", "scheme": "Oranges", "steps": 64, "exponent": 0.5,
                         "fill": "dark-orange", "reverse": False},
               "filterValues": {"le": 1e-9}, "showValue": "never",
               "tooltip": {"mode": "single", "yHistogram": True, "showColorScale": False},
               "legend": {"show": True}, "exemplars": {"color": "rgba(255,0,255,0.7)"}}
    return _panel("heatmap", title, description, [t], {"custom": {"scaleDistribution": {"type": "linear"}}},
                  options)


def table(title, description, targets, columns, unit="short", mappings=None):
    """An instant table of the series' labels: `columns` in this order, then Value."""
    for t in targets:
        t.update({"instant": True, "range": False, "format": "table"})
    defaults = {"unit": unit, "custom": {"align": "auto", "cellOptions": {"type": "auto"}}}
    if mappings:
        defaults["mappings"] = value_mappings(mappings)
    p = _panel("table", title, description, targets, defaults,
               {"showHeader": True, "cellHeight": "sm", "footer": {"show": False}})
    order = {c: i for i, c in enumerate(columns + ["Value"])}
    p["transformations"] = [
        {"id": "merge", "options": {}},
        {"id": "organize", "options": {
            "excludeByName": {"Time": True, "__name__": True, "job": True, "instance": True},
            "indexByName": order, "renameByName": {}}}]
    return p


def bargauge(title, description, targets, unit="percentunit", steps=("red", (0.9, "yellow"), (1, "green")),
             max_value=1):
    defaults = {"unit": unit, "min": 0, "max": max_value, "color": {"mode": "thresholds"},
                "thresholds": thresholds(*steps)}
    options = {"orientation": "horizontal", "displayMode": "gradient", "showUnfilled": True,
               "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False}}
    return _panel("bargauge", title, description, targets, defaults, options)


# --- dashboards -------------------------------------------------------------------------------


class Dashboard:
    """Places panels left to right in rows of 24 columns and numbers them."""

    def __init__(self, uid, title, description, probe_kinds=None):
        self.uid, self.title, self.description = uid, title, description
        self.probe_kinds = probe_kinds
        self.panels = []
        self.x = self.y = self.row_h = 0

    def row(self, title):
        self._newline()
        self.panels.append({"type": "row", "title": title, "collapsed": False, "panels": [],
                            "gridPos": {"h": 1, "w": GRID_WIDTH, "x": 0, "y": self.y}})
        self.y += 1

    def add(self, panel, w, h):
        if self.x + w > GRID_WIDTH:
            self._newline()
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.panels.append(panel)
        self.x += w
        self.row_h = max(self.row_h, h)

    def _newline(self):
        self.y += self.row_h
        self.x = self.row_h = 0

    def variables(self):
        kinds = f', kind=~"{self.probe_kinds}"' if self.probe_kinds else ""
        return [
            {"name": "datasource", "label": "Data source", "type": "datasource",
             "query": "prometheus", "current": {}, "hide": 0, "refresh": 1, "regex": "",
             "options": [], "includeAll": False, "multi": False},
            _query_var("env", "Environment", "label_values(smoke_probe_info, env)", all_value=".*"),
            _query_var("component", "Component",
                       'label_values(smoke_probe_info{env=~"$env"}, component)', all_value=".*"),
            _query_var("probe", "Probe",
                       f'label_values(smoke_probe_info{{env=~"$env", component=~"$component"{kinds}}}, probe)'),
        ]

    def json(self):
        for i, p in enumerate(self.panels, start=1):
            p["id"] = i
        return {
            "annotations": {"list": [
                {"builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"},
                 "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
                 "name": "Annotations & Alerts", "type": "dashboard"},
                {"datasource": DATASOURCE, "enable": True, "hide": False, "iconColor": "red",
                 "name": "Critical alerts", "step": "30s", "titleFormat": "{{alertname}}",
                 "textFormat": "{{probe}} {{reason}}", "tagKeys": "component,severity",
                 "useValueForTime": False,
                 "expr": f'ALERTS{{alertstate="firing", severity="critical", {ENV}, {SLO_SEL}}}'},
            ]},
            "description": self.description,
            "editable": True,
            "fiscalYearStartMonth": 0,
            "graphTooltip": 1,
            "id": None,
            "links": [{"asDropdown": False, "icon": "external link", "includeVars": True,
                       "keepTime": True, "tags": ["smoke_exporter"], "targetBlank": False,
                       "title": "smoke_exporter", "type": "dashboards"}],
            "panels": self.panels,
            "refresh": "30s",
            "schemaVersion": SCHEMA_VERSION,
            "tags": ["smoke_exporter"],
            "templating": {"list": self.variables()},
            "time": {"from": "now-3h", "to": "now"},
            "timepicker": {},
            "timezone": "",
            "title": self.title,
            "uid": self.uid,
            "version": 1,
            "weekStart": "",
        }


def _query_var(name, label, query, all_value=None):
    return {"name": name, "label": label, "type": "query", "datasource": DATASOURCE,
            "definition": query,
            "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]},
            "includeAll": True, "allValue": all_value, "multi": True, "hide": 0,
            "refresh": 2, "regex": "", "sort": 1, "options": []}


OUTCOME_MAPPINGS = {0: ("OK", "green"), 1: ("DEGRADED", "yellow"), 2: ("FAILED", "red"),
                    3: ("SKIPPED", "blue")}


def outcome_expr(by="component, probe"):
    """The latest outcome as one number per probe: 0 ok, 1 degraded, 2 failed, 3 skipped."""
    o = lambda outcome: f'smoke_probe_outcome{{outcome="{outcome}", {SEL}}}'
    return (f'sum by ({by}) (\n  {o("ok")} * 0\n  or {o("degraded")} * 1\n'
            f'  or {o("failed")} * 2\n  or {o("skipped")} * 3\n)')


def probe_status_panels(d, what):
    d.add(stat("Probes passing", f"Share of the selected {what} probes whose latest run passed "
               "(ok or degraded). A skipped probe does not pass.",
               [target(f'sum(smoke_probe_outcome{{outcome=~"ok|degraded", {SEL}}}) / '
                       f'count(smoke_probe_info{{{SEL}}})')],
               unit="percentunit", steps=("red", (0.999, "green")), decimals=1), 4, 7)
    d.add(stat("Failing / skipped now", "Probes whose latest run failed, and probes that could not run.",
               [target(f'sum(smoke_probe_outcome{{outcome="failed", {SEL}}})', legend="failed"),
                target(f'sum(smoke_probe_outcome{{outcome="skipped", {SEL}}})', legend="skipped")],
               steps=("green", (1, "red"))), 4, 7)
    d.add(state_timeline("Probe outcome", "Latest outcome of each probe over time. The probe's "
                         "status page entry (GET /api/v1/probes/NAME) has the reason and evidence.",
                         [target(outcome_expr(), legend="{{probe}}")], OUTCOME_MAPPINGS), 16, 7)


def latency_panels(d, what, by="probe"):
    d.add(heatmap(f"{what} run duration (heatmap)",
                  "How long runs took, from the per-probe histogram smoke_probe_duration_seconds "
                  "(buckets: global.histogram_buckets). Skipped runs are not in it.",
                  f'sum by (le) (increase(smoke_probe_duration_seconds_bucket{{{SEL}}}[{RATE}]))'),
          12, 9)
    q = lambda p: (f'histogram_quantile({p}, sum by ({by}, le) '
                   f'(rate(smoke_probe_duration_seconds_bucket{{{SEL}}}[{RATE}])))')
    d.add(timeseries(f"{what} run duration p50 / p95 / p99 by {by}",
                     "Quantiles estimated from the histogram buckets (histogram_quantile).",
                     [target(q(0.5), legend=f"{{{{{by}}}}} p50"),
                      target(q(0.95), legend=f"{{{{{by}}}}} p95"),
                      target(q(0.99), legend=f"{{{{{by}}}}} p99")], unit="s"), 12, 9)


def failure_panels(d, by="probe"):
    d.add(timeseries("Failure reasons", "Failed and skipped runs by reason (a bounded enum; the "
                     "raw error is in the evidence). Empty while everything passes.",
                     [target(f'sum by ({by}, reason) (increase(smoke_probe_failures_total{{{SEL}}}[{RATE}]))',
                             legend=f"{{{{{by}}}}}: {{{{reason}}}}")], bars=True, stack=True), 12, 8)
    d.add(table("Failing assertions", "Assertions that failed in the latest run of each probe "
                "(severity warn only degrades the probe). Empty while everything passes.",
                [target(f'smoke_probe_assertion_success{{{SEL}}} == 0')],
                ["probe", "assertion", "severity", "component", "target"]), 12, 8)


def slo_panels(d):
    d.add(stat("Error budget remaining", "1 − burn rate over the SLO period, per SLO "
               "(slo:error_budget:remaining). Below 0 the budget is overspent. Needs the SLO "
               "recording rules in Prometheus (rules/slo.rules.yml or `smoke_exporter slo generate`).",
               [target(f'slo:error_budget:remaining{{{SLO_SEL}}}', legend="{{slo}}")],
               unit="percentunit", steps=("red", (0, "orange"), (0.25, "yellow"), (0.5, "green")),
               decimals=1), 6, 8)
    burn = lambda w: target(f'slo:burn_rate:ratio_rate{w}{{{SLO_SEL}}}', legend=f"{{{{slo}}}} {w}")
    d.add(timeseries("Burn rate", "How fast each SLO spends its budget: 1 spends exactly the "
                     "budget over the period. The page alert needs > 14.4 over 1h and 5m (or > 6 "
                     "over 6h and 30m); the ticket alert > 3 over 1d and 2h (or > 1 over 3d and 6h).",
                     [burn("5m"), burn("1h"), burn("6h"), burn("1d")],
                     steps=("green", (1, "yellow"), (6, "orange"), (14.4, "red")),
                     threshold_lines=True), 10, 8)
    d.add(timeseries("Error ratio vs. budget", "The SLI's error ratio over 5m and 1h, against the "
                     "error budget (1 − objective).",
                     [target(f'slo:sli_error:ratio_rate5m{{{SLO_SEL}}}', legend="{{slo}} 5m"),
                      target(f'slo:sli_error:ratio_rate1h{{{SLO_SEL}}}', legend="{{slo}} 1h"),
                      target(f'slo:error_budget:ratio{{{SLO_SEL}}}', legend="{{slo}} budget")],
                     unit="percentunit"), 8, 8)


def overview():
    d = Dashboard("smoke-overview", "smoke_exporter / Overview",
                  "May we ship? The release verdict, what blocks it, every probe's status, why "
                  "probes fail, how long they take, and the SLOs' error budgets.")
    d.row("Release gate")
    d.add(stat("Release verdict", "smoke_release_ready: what GET /api/v1/readiness and "
               "`smoke_exporter gate` answer. It fails closed: no data, stale data or a failing "
               "rule also block.",
               [target(f'min(smoke_release_ready{{{ENV}}})')],
               steps=("red", (1, "green")), mappings={0: ("BLOCKED", "red"), 1: ("READY", "green")}),
          4, 6)
    d.add(stat("Blocking violations", "Violations in the verdict: blocking alerts and fail-closed "
               "reasons (smoke_release_violations).",
               [target(f'sum(smoke_release_violations{{{ENV}}})')],
               steps=("green", (1, "red")), graph=True), 4, 6)
    d.add(stat("Waived violations", "Blocking alerts an Alertmanager silence waives "
               "(readiness.waivers).",
               [target(f'sum(smoke_release_waived_violations{{{ENV}}})')],
               steps=("green", (1, "yellow"))), 4, 6)
    d.add(table("Current violations", "Why the release is blocked, by reason: the alert's reason "
                "label, or a fail-closed reason (no_data, stale_data, rule_evaluation_failed, "
                "probe_skipped, alertmanager_unreachable). Empty while ready.",
                [target(f'sum by (reason) (smoke_release_violations{{{ENV}}}) > 0')],
                ["reason"]), 12, 6)
    d.add(table("Firing alerts", "Alerts of the bundled rules as Prometheus evaluates them "
                "(ALERTS). The exporter's embedded engine evaluates the same rules and sends them "
                "to Alertmanager. Empty while nothing fires.",
                [target(f'ALERTS{{alertstate="firing", {ENV}, {SLO_SEL}}}')],
                ["alertname", "severity", "reason", "gate", "component", "probe", "slo", "env"]),
          24, 7)

    d.row("Probe status by component")
    probe_status_panels(d, "")
    d.add(bargauge("Passing by component", "Share of each component's probes whose latest run passed.",
                   [target(f'sum by (component) (smoke_probe_outcome{{outcome=~"ok|degraded", {SEL}}}) / '
                           f'count by (component) (smoke_probe_info{{{SEL}}})', legend="{{component}}")]),
          8, 8)
    d.add(timeseries("Failed runs per second by component", "Rate of runs that failed "
                     "(smoke_probe_results_total{outcome=\"failed\"}).",
                     [target(f'sum by (component) (rate(smoke_probe_results_total{{outcome="failed", {SEL}}}[{RATE}]))',
                             legend="{{component}}")], unit="ops"), 16, 8)

    d.row("Failure reasons")
    d.add(timeseries("Failure reasons over time", "Failed and skipped runs by reason (a bounded "
                     "enum; the raw error is in the evidence). Empty while everything passes.",
                     [target(f'sum by (reason) (increase(smoke_probe_failures_total{{{SEL}}}[{RATE}]))',
                             legend="{{reason}}")], bars=True, stack=True), 12, 8)
    d.add(table("Failures in the time range", "Failed and skipped runs in the dashboard's time "
                "range, by probe and reason. Empty while everything passes.",
                [target(f'sort_desc(sum by (component, probe, reason) '
                        f'(increase(smoke_probe_failures_total{{{SEL}}}[$__range])) > 0)')],
                ["component", "probe", "reason"], unit="none"), 12, 8)

    d.row("Latency")
    latency_panels(d, "Probe", by="component")

    d.row("SLOs")
    slo_panels(d)
    return d


def api():
    d = Dashboard("smoke-api", "smoke_exporter / API",
                  "The API's HTTP, TCP and load-burst probes: contracts, status codes, request "
                  "phases, latency, load bursts against the baseline, and TLS certificates.",
                  probe_kinds="http|tcp|burst")
    d.row("Status")
    probe_status_panels(d, "HTTP, TCP and burst")
    failure_panels(d)

    d.row("HTTP")
    d.add(timeseries("HTTP status code", "Status code of the latest response (probe_http_status_code; "
                     "0 when no response arrived).",
                     [target(f'max by (probe) (probe_http_status_code{{{SEL}}})', legend="{{probe}}")]),
          12, 8)
    d.add(timeseries("Request phases", "Average time per phase of the latest request across the "
                     "selected probes (probe_http_duration_seconds{phase}). Select one probe to see "
                     "where its time goes.",
                     [target(f'avg by (phase) (probe_http_duration_seconds{{{SEL}}})', legend="{{phase}}")],
                     unit="s", stack=True), 12, 8)
    d.add(timeseries("Run duration", "Duration of each probe's latest run (probe_duration_seconds), "
                     "including every request a contract makes.",
                     [target(f'max by (probe) (probe_duration_seconds{{{SEL}}})', legend="{{probe}}")],
                     unit="s"), 12, 8)
    d.add(timeseries("Response body size", "Uncompressed body length of the latest response.",
                     [target(f'max by (probe) (probe_http_uncompressed_body_length{{{SEL}}})',
                             legend="{{probe}}")], unit="bytes"), 12, 8)

    d.row("Latency")
    latency_panels(d, "API probe")
    d.add(timeseries("Consecutive failures", "Runs in a row that did not pass, per probe.",
                     [target(f'max by (probe) (smoke_probe_consecutive_failures{{{SEL}}})',
                             legend="{{probe}}")], steps=("green", (1, "red"))), 24, 6)

    d.row("Load burst")
    d.add(timeseries("Burst latency", "Percentiles of the latest load burst's requests "
                     "(smoke_burst_latency_seconds).",
                     [target(f'smoke_burst_latency_seconds{{{SEL}}}', legend="{{probe}} p{{quantile}}")],
                     unit="s"), 8, 8)
    d.add(timeseries("Burst throughput and errors", "Requests per second of the latest burst, and "
                     "the share of its requests that failed.",
                     [target(f'smoke_burst_throughput_requests_per_second{{{SEL}}}', legend="{{probe}} req/s"),
                      target(f'smoke_burst_error_ratio{{{SEL}}}', legend="{{probe}} error ratio")]), 8, 8)
    d.add(timeseries("Burst vs. baseline", "Each statistic of the latest burst divided by the "
                     "baseline from the probe's config: above max_ratio degrades or fails the probe.",
                     [target(f'smoke_burst_baseline_ratio{{{SEL}}}', legend="{{probe}} {{stat}}")],
                     steps=("green", (2, "yellow"), (10, "red")), threshold_lines=True), 8, 8)

    d.row("TLS")
    d.add(bargauge("Certificate expires in", "Time until the earliest certificate of the chain "
                   "each HTTPS probe was served expires (probe_ssl_earliest_cert_expiry). The "
                   "bundled rules warn under 14 days and block releases under 3. Empty without HTTPS or "
                   "TLS probes.",
                   [target(f'min by (probe) (probe_ssl_earliest_cert_expiry{{{SEL}}}) - time()',
                           legend="{{probe}}")],
                   unit="s", steps=("red", (3 * 86400, "orange"), (14 * 86400, "green")),
                   max_value=90 * 86400), 24, 6)

    d.row("SLOs")
    slo_panels(d)
    return d


def database():
    d = Dashboard("smoke-database", "smoke_exporter / Database",
                  "PostgreSQL probes: can the application's role log in, do its tables and "
                  "queries work, how full is the server, and how fast is each phase.",
                  probe_kinds="postgres")
    d.row("Status")
    probe_status_panels(d, "PostgreSQL")
    failure_panels(d)

    d.row("Server")
    d.add(table("Servers", "Version of each probed server (smoke_postgres_server_info) and whether "
                "it is a replica.",
                [target(f'smoke_postgres_server_info{{{SEL}}}')],
                ["probe", "short_version", "version", "target"]), 12, 6)
    d.add(bargauge("Connections used", "Share of max_connections in use "
                   "(smoke_postgres_connections_used_ratio); max_connections_ratio fails the probe.",
                   [target(f'max by (probe) (smoke_postgres_connections_used_ratio{{{SEL}}})',
                           legend="{{probe}}")],
                   steps=("green", (0.8, "yellow"), (0.9, "red"))), 6, 6)
    d.add(stat("Replica", "pg_replication_is_replica: 1 when the probe reached a replica.",
               [target(f'max by (probe) (pg_replication_is_replica{{{SEL}}})', legend="{{probe}}")],
               mappings={0: ("primary", "green"), 1: ("replica", "blue")}), 6, 6)
    d.add(timeseries("Connections", "Sessions in use (smoke_postgres_connections_in_use) against "
                     "max_connections (pg_settings_max_connections).",
                     [target(f'max by (probe) (smoke_postgres_connections_in_use{{{SEL}}})', legend="{{probe}} in use"),
                      target(f'max by (probe) (pg_settings_max_connections{{{SEL}}})', legend="{{probe}} max")]),
          12, 8)
    d.add(timeseries("Replication lag", "How far a replica's replay lags "
                     "(pg_replication_lag_seconds). Empty without replicas.",
                     [target(f'max by (probe) (pg_replication_lag_seconds{{{SEL}}})', legend="{{probe}}")],
                     unit="s"), 12, 8)

    d.row("Phases and queries")
    d.add(timeseries("Phase duration", "Where each run spends its time: resolve, connect (with "
                     "TLS and authentication), checks, and each query "
                     "(smoke_postgres_phase_duration_seconds).",
                     [target(f'max by (probe, phase) (smoke_postgres_phase_duration_seconds{{{SEL}}})',
                             legend="{{probe}} {{phase}}")], unit="s", stack=True), 12, 8)
    d.add(timeseries("Query latency", "Latency of each configured query "
                     "(smoke_postgres_query_duration_seconds); max_latency fails it.",
                     [target(f'max by (probe, query) (smoke_postgres_query_duration_seconds{{{SEL}}})',
                             legend="{{probe}} {{query}}")], unit="s"), 12, 8)
    d.add(timeseries("Table rows (estimate)", "Planner estimate of each listed table's rows "
                     "(smoke_postgres_table_rows_estimate; −1 = never analyzed).",
                     [target(f'max by (probe, table) (smoke_postgres_table_rows_estimate{{{SEL}}})',
                             legend="{{probe}} {{table}}")], min_zero=False), 12, 8)
    d.add(timeseries("Run duration p95", "95th percentile of the database probes' run duration.",
                     [target(f'histogram_quantile(0.95, sum by (probe, le) '
                             f'(rate(smoke_probe_duration_seconds_bucket{{{SEL}}}[{RATE}])))',
                             legend="{{probe}}")], unit="s"), 12, 8)
    return d


def cache():
    d = Dashboard("smoke-cache", "smoke_exporter / Cache",
                  "Redis probes: authentication, PING latency, a SET/GET/DEL round trip, and the "
                  "server's memory, clients, hit ratio and keys as INFO reports them.",
                  probe_kinds="redis")
    d.row("Status")
    probe_status_panels(d, "Redis")
    failure_panels(d)

    d.row("Server")
    d.add(table("Servers", "Role and version of each probed server (redis_instance_info), and "
                "redis_up (1 when the latest run reached it).",
                [target(f'redis_instance_info{{{SEL}}}'),
                 target(f'redis_up{{{SEL}}}')],
                ["probe", "role", "redis_version", "target"]), 12, 6)
    d.add(bargauge("Keyspace hit ratio", "keyspace_hits / (hits + misses) since the server "
                   "started (smoke_redis_keyspace_hit_ratio); min_hit_ratio fails the probe.",
                   [target(f'max by (probe) (smoke_redis_keyspace_hit_ratio{{{SEL}}})', legend="{{probe}}")],
                   steps=("red", (0.5, "yellow"), (0.8, "green"))), 12, 6)
    d.add(timeseries("Memory", "Memory used, and maxmemory (0 = no limit).",
                     [target(f'max by (probe) (redis_memory_used_bytes{{{SEL}}})', legend="{{probe}} used"),
                      target(f'max by (probe) (redis_memory_max_bytes{{{SEL}}})', legend="{{probe}} max")],
                     unit="bytes"), 12, 8)
    d.add(timeseries("Clients", "Connected and blocked clients.",
                     [target(f'max by (probe) (redis_connected_clients{{{SEL}}})', legend="{{probe}} connected"),
                      target(f'max by (probe) (redis_blocked_clients{{{SEL}}})', legend="{{probe}} blocked")]),
          12, 8)
    d.add(timeseries("Hits and misses", "Keyspace lookups per second, from the server's own "
                     "counters as the probe last read them.",
                     [target(f'sum by (probe) (rate(redis_keyspace_hits_total{{{SEL}}}[{RATE}]))', legend="{{probe}} hits"),
                      target(f'sum by (probe) (rate(redis_keyspace_misses_total{{{SEL}}}[{RATE}]))', legend="{{probe}} misses")],
                     unit="ops"), 8, 8)
    d.add(timeseries("Evicted keys and rejected connections", "Per second: keys evicted by "
                     "maxmemory, connections refused at maxclients.",
                     [target(f'sum by (probe) (rate(redis_evicted_keys_total{{{SEL}}}[{RATE}]))', legend="{{probe}} evicted"),
                      target(f'sum by (probe) (rate(redis_rejected_connections_total{{{SEL}}}[{RATE}]))', legend="{{probe}} rejected")],
                     unit="ops"), 8, 8)
    d.add(timeseries("Keys per database", "redis_db_keys{db}.",
                     [target(f'max by (probe, db) (redis_db_keys{{{SEL}}})', legend="{{probe}} {{db}}")]), 8, 8)
    d.add(timeseries("Replica link", "redis_master_link_up on replicas: 0 when the replica lost "
                     "its primary. Empty without replicas.",
                     [target(f'min by (probe) (redis_master_link_up{{{SEL}}})', legend="{{probe}}")],
                     steps=("red", (1, "green"))), 24, 5)

    d.row("Phases")
    d.add(timeseries("Phase duration", "connect, auth, ping, info and round_trip of the latest "
                     "run (smoke_redis_phase_duration_seconds).",
                     [target(f'max by (probe, phase) (smoke_redis_phase_duration_seconds{{{SEL}}})',
                             legend="{{probe}} {{phase}}")], unit="s", stack=True), 12, 8)
    d.add(timeseries("Run duration p95", "95th percentile of the cache probes' run duration.",
                     [target(f'histogram_quantile(0.95, sum by (probe, le) '
                             f'(rate(smoke_probe_duration_seconds_bucket{{{SEL}}}[{RATE}])))',
                             legend="{{probe}}")], unit="s"), 12, 8)
    return d


def monitoring():
    d = Dashboard("smoke-monitoring", "smoke_exporter / Monitoring stack",
                  "The monitoring stack as the probes see it (Prometheus, Alertmanager, the alert "
                  "pipeline, Grafana, Jaeger, /metrics pages, DNS), and smoke_exporter's own "
                  "health: rule evaluation, notifications, scheduler, storage.",
                  probe_kinds="prometheus|alertmanager|grafana|jaeger|alert_pipeline|metrics|dns")
    d.row("Stack probes")
    probe_status_panels(d, "monitoring-stack")
    failure_panels(d)
    d.add(timeseries("Prometheus targets", "Active scrape targets of each probed Prometheus by "
                     "health (smoke_prometheus_targets{health}).",
                     [target(f'max by (probe, health) (smoke_prometheus_targets{{{SEL}}})',
                             legend="{{probe}} {{health}}")]), 8, 8)
    d.add(timeseries("Prometheus rules", "Rules of each probed Prometheus by health "
                     "(smoke_prometheus_rules{health}).",
                     [target(f'max by (probe, health) (smoke_prometheus_rules{{{SEL}}})',
                             legend="{{probe}} {{health}}")]), 8, 8)
    d.add(timeseries("Alertmanager cluster", "Peers of each probed Alertmanager, and its "
                     "cluster status (1 for the current one of ready, settling, disabled).",
                     [target(f'max by (probe) (smoke_alertmanager_cluster_peers{{{SEL}}})', legend="{{probe}} peers"),
                      target(f'max by (probe, status) (smoke_alertmanager_cluster_status{{{SEL}}}) == 1',
                             legend="{{probe}} {{status}}")]), 8, 8)
    d.add(timeseries("Alert pipeline", "Time from posting the heartbeat alert until Alertmanager "
                     "returned it (smoke_alert_pipeline_visible_seconds).",
                     [target(f'max by (probe) (smoke_alert_pipeline_visible_seconds{{{SEL}}})',
                             legend="{{probe}}")], unit="s"), 8, 8)
    d.add(timeseries("Jaeger services", "Services the probed Jaeger knows (smoke_jaeger_services). "
                     "Empty without jaeger probes.",
                     [target(f'max by (probe) (smoke_jaeger_services{{{SEL}}})', legend="{{probe}}")]),
          8, 8)
    d.add(timeseries("/metrics pages", "Metric families and samples of each probed /metrics "
                     "page (smoke_metrics_families, smoke_metrics_series). Empty without metrics "
                     "probes.",
                     [target(f'max by (probe) (smoke_metrics_families{{{SEL}}})', legend="{{probe}} families"),
                      target(f'max by (probe) (smoke_metrics_series{{{SEL}}})', legend="{{probe}} series")]),
          8, 8)
    d.add(timeseries("DNS", "Answers and lookup time of the dns probes. Empty without dns probes.",
                     [target(f'max by (probe) (probe_dns_answer_rrs{{{SEL}}})', legend="{{probe}} answers"),
                      target(f'max by (probe) (probe_dns_lookup_time_seconds{{{SEL}}})', legend="{{probe}} lookup s")]),
          24, 6)

    # smoke_exporter's own series carry no probe or component; the scrape's target labels give
    # them env (examples/prometheus.yml). `and on (job, instance) smoke_build_info` keeps the
    # process_* series of the exporter, not of every other target.
    exporter = f'and on (job, instance) smoke_build_info{{{ENV}}}'
    d.row("smoke_exporter")
    d.add(stat("Exporter up", "Prometheus can scrape smoke_exporter (up of job smoke_exporter). "
               "When it is down, no probe runs and the gate cannot answer.",
               [target(f'min(up{{job="smoke_exporter", {ENV}}})')],
               steps=("red", (1, "green")), mappings={0: ("DOWN", "red"), 1: ("UP", "green")}), 4, 6)
    d.add(stat("Config reload", "smoke_config_last_reload_successful: 0 when the last reload "
               "failed and the previous config keeps running.",
               [target(f'min(smoke_config_last_reload_successful{{{ENV}}})')],
               steps=("red", (1, "green")), mappings={0: ("FAILED", "red"), 1: ("OK", "green")}), 4, 6)
    d.add(stat("Probes configured", "smoke_probes_configured.",
               [target(f'sum(smoke_probes_configured{{{ENV}}})')]), 4, 6)
    d.add(timeseries("Release decisions", "Verdicts served to deploy scripts per second, by "
                     "answer (smoke_readiness_decisions_total{ready}), and decisions that could "
                     "not be logged.",
                     [target(f'sum by (ready) (rate(smoke_readiness_decisions_total{{{ENV}}}[{RATE}]))',
                             legend="ready={{ready}}"),
                      target(f'sum(rate(smoke_readiness_decision_log_errors_total{{{ENV}}}[{RATE}]))',
                             legend="log errors")], unit="ops"), 12, 6)
    d.add(timeseries("Rule groups: evaluation time", "Duration of each rule group's latest "
                     "evaluation (smoke_rule_group_last_duration_seconds) against its interval.",
                     [target(f'max by (rule_group) (smoke_rule_group_last_duration_seconds{{{ENV}}})',
                             legend="{{rule_group}}")], unit="s"), 12, 8)
    d.add(timeseries("Rule groups: failures", "Rule evaluation failures per second, rules whose "
                     "last evaluation failed, and missed iterations.",
                     [target(f'sum by (rule_group) (rate(smoke_rule_evaluation_failures_total{{{ENV}}}[{RATE}]))',
                             legend="{{rule_group}} failures/s"),
                      target(f'sum by (rule_group) (smoke_rule_group_rules_unhealthy{{{ENV}}})',
                             legend="{{rule_group}} unhealthy rules"),
                      target(f'sum by (rule_group) (rate(smoke_rule_group_iterations_missed_total{{{ENV}}}[{RATE}]))',
                             legend="{{rule_group}} missed/s")]), 12, 8)
    d.add(timeseries("Notifications", "Alerts sent to each Alertmanager per second, errors and "
                     "drops (smoke_notifications_*).",
                     [target(f'sum by (alertmanager) (rate(smoke_notifications_sent_total{{{ENV}}}[{RATE}]))',
                             legend="{{alertmanager}} sent"),
                      target(f'sum by (alertmanager) (rate(smoke_notifications_errors_total{{{ENV}}}[{RATE}]))',
                             legend="{{alertmanager}} errors"),
                      target(f'sum by (alertmanager) (rate(smoke_notifications_dropped_total{{{ENV}}}[{RATE}]))',
                             legend="{{alertmanager}} dropped")], unit="ops"), 12, 8)
    d.add(timeseries("Notification queue", "Alerts waiting for each Alertmanager, and the "
                     "queue's capacity (the oldest are dropped when full).",
                     [target(f'max by (alertmanager) (smoke_notifications_queue_length{{{ENV}}})',
                             legend="{{alertmanager}} queued"),
                      target(f'max by (alertmanager) (smoke_notifications_queue_capacity{{{ENV}}})',
                             legend="{{alertmanager}} capacity")]), 12, 8)
    d.add(timeseries("Scheduler", "Lag from a run's due time to its start (p99), runs executing, "
                     "and runs skipped because the previous one still ran or waited for a worker.",
                     [target(f'histogram_quantile(0.99, sum by (le) (rate(smoke_scheduler_lag_seconds_bucket{{{ENV}}}[{RATE}])))',
                             legend="lag p99 (s)"),
                      target(f'sum(smoke_scheduler_inflight_probes{{{ENV}}})', legend="in flight"),
                      target(f'sum(rate(smoke_scheduler_overlaps_skipped_total{{{ENV}}}[{RATE}]))',
                             legend="overlaps skipped/s"),
                      target(f'sum(rate(smoke_scheduler_saturation_delayed_total{{{ENV}}}[{RATE}]))',
                             legend="waited for a worker/s")]), 12, 8)
    d.add(timeseries("Storage and process", "Series in the embedded sample store, the exporter's "
                     "resident memory and CPU.",
                     [target(f'sum(smoke_tsdb_head_series{{{ENV}}})', legend="tsdb series"),
                      target(f'process_resident_memory_bytes {exporter}', legend="resident bytes {{instance}}"),
                      target(f'rate(process_cpu_seconds_total[{RATE}]) {exporter}', legend="cpu {{instance}}")]),
          12, 8)
    return d


DASHBOARDS = {
    "overview.json": overview,
    "api.json": api,
    "database.json": database,
    "cache.json": cache,
    "monitoring.json": monitoring,
}


def render(build):
    return json.dumps(build().json(), indent=2, ensure_ascii=False) + "\n"


def main(argv):
    check = argv[1:] == ["--check"]
    if argv[1:] and not check:
        print("usage: generate.py [--check]", file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    stale = []
    for name, build in DASHBOARDS.items():
        path = os.path.join(here, name)
        text = render(build)
        try:
            with open(path, encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current == text:
            continue
        if check:
            stale.append(name)
        else:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote dashboards/{name}")
    if stale:
        print("dashboards/ is out of date with generate.py: " + ", ".join(stale) +
              " (run python3 dashboards/generate.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
