#pragma once
// The series notation of promtool unit-test files (promql/parser's series descriptions):
//   series: 'up{job="api", instance="a:80"}'    a metric name and/or {label="value", ...}
//   values: '0+10x3 _x2 stale 5 -Inf'           an expanding list of samples
// Values are separated by whitespace; each item is one of
//   a        one sample; a number (decimal, exponent, leading-0 octal, Inf, NaN, signed)
//   a+bxn    n+1 samples a, a+b, ..., a+n*b      (a-bxn counts down)
//   axn      n+1 copies of a
//   _        no sample at this step;  _xn  n steps without a sample (n, not n+1)
//   stale    a staleness marker (StaleNaN), which hides the series from this step on
// Sample i belongs at start + i*interval. The accepted strings, the expansion and the error
// messages follow Prometheus 2.42 (`promtool test rules`); errors read
//   "1:3: parse error: unexpected end of input in series values"
// with line:column counted in the given string (1-based).
// Native-histogram notation ({{schema:... }}) is not supported, as in Prometheus 2.42.
// Thread-safety: pure functions.

#include <cstddef>
#include <string_view>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/promql/labels.h"

namespace smoke::ruler {

struct SequenceValue {
  double value = 0;      // StaleNaN for `stale`
  bool omitted = false;  // `_`: no sample at this step

  bool stale() const;
};

// More samples than this in one series is an error rather than a memory exhaustion
// ("1x100000000000" would otherwise be honoured).
inline constexpr size_t kMaxSeriesValues = 5'000'000;

core::Result<std::vector<SequenceValue>> ParseSeriesValues(std::string_view text);

// `name{l="v", ...}`, `name`, `{__name__="name", l="v"}`, `{}` or "" (no labels). Only `=` is
// allowed (this names one series; it is not a selector). Label values use PromQL string syntax.
core::Result<promql::Labels> ParseSeriesLabels(std::string_view text);

// The expansion as promtool prints it, for messages and tests: "1 _ stale 3".
std::string FormatSeriesValues(const std::vector<SequenceValue>& values);

}  // namespace smoke::ruler
