#include "exporter/probes/metrics_probe.h"

#include <cstdlib>
#include <string_view>

#include "exporter/probes/monitoring_checks.h"
#include "exporter/probes/probe_measurements.h"
#include "exporter/probes/service_run.h"
#include "exporter/tsdb/exposition_parser.h"

namespace smoke::probes {
namespace {

// What Prometheus 2.x sends when it wants the text format.
constexpr char kAccept[] = "text/plain;version=0.0.4;q=1,*/*;q=0.1";

// The 1-based `line` of `text`, for the evidence of a parse error.
std::string_view LineOf(std::string_view text, long line) {
  for (long i = 1; i < line; ++i) {
    const size_t nl = text.find('\n');
    if (nl == std::string_view::npos) return {};
    text.remove_prefix(nl + 1);
  }
  return text.substr(0, text.find('\n'));
}

// "line 3, column 9: ..." -> 3; 0 when the message names no line.
long ErrorLine(const std::string& message) {
  const size_t at = message.find("line ");
  if (at == std::string::npos) return 0;
  return std::strtol(message.c_str() + at + 5, nullptr, 10);
}

// A sample's metric name belongs to family `family` (histogram and summary samples carry
// suffixes).
bool InFamily(std::string_view sample_name, std::string_view family) {
  if (sample_name == family) return true;
  if (sample_name.substr(0, family.size()) != family) return false;
  const std::string_view suffix = sample_name.substr(family.size());
  return suffix == "_bucket" || suffix == "_sum" || suffix == "_count" || suffix == "_total" ||
         suffix == "_created";
}

bool HasRequired(const tsdb::ParsedExposition& page, const config::RequiredMetric& required,
                 int* samples_of_metric) {
  bool found = false;
  for (const tsdb::ExpositionSample& s : page.samples) {
    if (!InFamily(s.labels.Get(promql::kMetricNameLabel), required.metric)) continue;
    ++*samples_of_metric;
    bool all = true;
    for (const auto& [name, value] : required.labels) {
      all = all && s.labels.Get(name) == value;
    }
    found = found || all;
  }
  return found;
}

}  // namespace

core::Result<ProbePtr> MetricsProbe::Create(const config::ProbeSpec& spec) {
  core::Result<ServiceClient> client = ServiceClient::Create(spec);
  if (!client.ok()) return client.status();
  return ProbePtr(new MetricsProbe(spec, std::move(client).value()));
}

core::ProbeResult MetricsProbe::Run(const RunContext& ctx) const {
  ServiceRun run(
      client_, ctx,
      spec_.timeout > core::Duration::zero() ? spec_.timeout : kMonitoringFallbackTimeout);
  std::optional<clients::HttpResponse> response = run.Get("fetch", "", kAccept);
  if (!response) return run.Finish();
  run.Measure(Gauge(kHttpStatusCode, response->status_code));
  const int code = response->status_code;
  const bool status_ok = code >= 200 && code <= 299;
  run.Check("status", core::Reason::kStatus, status_ok, "status in 200-299",
            status_ok ? std::to_string(code)
                      : std::to_string(code) + " \"" + run.Snippet(response->body) + "\"");
  if (!status_ok) {
    run.KeepResponse(*response);
    return run.Finish();
  }
  for (const auto& [name, value] : response->headers) {
    if (EqualsIgnoreCase(name, "Content-Type")) run.Detail("content_type", value);
  }

  core::Result<tsdb::ParsedExposition> page = tsdb::ParseTextExposition(response->body);
  if (!page.ok()) {
    const std::string& error = page.status().message();
    run.Detail("parse_error", error);
    if (const long line = ErrorLine(error); line > 0) {
      run.Detail("parse_error_line", run.Snippet(LineOf(response->body, line), 300));
    }
    run.Check("parse", core::Reason::kMetricsParse, false, "valid text exposition format 0.0.4",
              error);
    return run.Finish();
  }
  run.Check("parse", core::Reason::kMetricsParse, true, "valid text exposition format 0.0.4", "ok");
  const size_t families = page->families.size();
  const size_t series = page->samples.size();
  run.Measure(MonitoringGauge("smoke_metrics_families", static_cast<double>(families)));
  run.Measure(MonitoringGauge("smoke_metrics_series", static_cast<double>(series)));
  run.Detail("families", std::to_string(families));
  run.Detail("series", std::to_string(series));

  const config::MetricsSpec& spec = spec_.metrics;
  if (spec.min_families) {
    run.Check("min_families", core::Reason::kMetricMissing,
              static_cast<int64_t>(families) >= *spec.min_families,
              "at least " + std::to_string(*spec.min_families) + " metric families",
              std::to_string(families));
  }
  if (spec.max_series) {
    run.Check("max_series", core::Reason::kAssertion,
              static_cast<int64_t>(series) <= *spec.max_series,
              "at most " + std::to_string(*spec.max_series) + " series", std::to_string(series));
  }
  for (const config::RequiredMetric& required : spec.required) {
    int samples = 0;
    const bool found = HasRequired(*page, required, &samples);
    std::string expected = required.metric;
    if (!required.labels.empty()) {
      expected += "{";
      for (size_t i = 0; i < required.labels.size(); ++i) {
        expected +=
            (i ? "," : "") + required.labels[i].first + "=\"" + required.labels[i].second + "\"";
      }
      expected += "}";
    }
    std::string actual = found          ? "present"
                         : samples == 0 ? "no sample of " + required.metric
                                        : std::to_string(samples) + " samples of " +
                                              required.metric + ", none with these labels";
    run.Check(required.assertion, core::Reason::kMetricMissing, found, "a sample of " + expected,
              std::move(actual));
  }
  return run.Finish();
}

}  // namespace smoke::probes
