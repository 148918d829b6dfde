#pragma once
// Prometheus's alert templates (template/template.go): Go text/template syntax with Prometheus's
// function set, used to expand alert labels and annotations. Output is byte-for-byte what
// Prometheus produces for the same data, including Go's formatting of `{{ $value }}` (e.g. 1e+06).
// The reference is Prometheus 2.42 built with Go 1.19 (the promtool CI runs); the functions that
// later releases added (toDuration, now, urlQueryEscape) are accepted too.
// Thread-safety: reentrant; a parsed Template is immutable and may be executed concurrently.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "exporter/core/status.h"
#include "exporter/promql/value.h"

namespace smoke::ruler {

// What an alert template sees: .Labels/$labels, .Value/$value, .ExternalLabels/$externalLabels,
// .ExternalURL/$externalURL.
struct TemplateData {
  std::map<std::string, std::string> labels;
  double value = 0;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
};

// Runs a PromQL query for the `query` template function at the evaluation time; may be empty,
// in which case `query` fails with an error.
using TemplateQueryFunc = std::function<core::Result<promql::Vector>(const std::string& expr)>;

class Template {
 public:
  ~Template();
  // Parses `text`; `name` appears in errors as Prometheus writes them, e.g.
  //   template: __alert_ApiDown:1: unexpected "}" in operand
  static core::Result<std::shared_ptr<const Template>> Parse(std::string_view name,
                                                             std::string_view text);
  // Executes with the data; `eval_time_ms` is the evaluation time (what `now` returns; `query`
  // is expected to run at it). Errors read like Prometheus's ("error executing template
  // __alert_X: template: __alert_X:1:115: executing ...").
  core::Result<std::string> Execute(const TemplateData& data, int64_t eval_time_ms,
                                    const TemplateQueryFunc& query = {}) const;

  struct Impl;

 private:
  explicit Template(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parse-checks `text` as an alert template (what rule loading does for labels and annotations),
// with Prometheus's preamble so $labels, $value, ... are defined. `name` is the template's name,
// "__alert_" + the alert name in Prometheus; the error is Go's parse error, e.g.
//   template: __alert_ApiDown:1: function "foo" not defined
// which rule loading reports as `annotation "summary": <error>`.
core::Status CheckTemplate(std::string_view name, std::string_view text);

// Parses and executes in one go, as the rule engine does for each alert (with Prometheus's
// preamble defining $labels, $externalLabels, $externalURL and $value); on error returns
// "<error expanding template: ...>" in place of the output, as Prometheus does:
//   <error expanding template: error parsing template __alert_X: template: __alert_X:1: ...>
//   <error expanding template: error executing template __alert_X: template: ...>
std::string ExpandTemplate(std::string_view name, std::string_view text, const TemplateData& data,
                           int64_t eval_time_ms, const TemplateQueryFunc& query = {});

}  // namespace smoke::ruler
