#include "tests/unit/promql/promtool_converter.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "exporter/promql/duration.h"
#include "exporter/promql/parser.h"
#include "exporter/promql/quote.h"

namespace smoke::promql::testing {
namespace {

std::string YamlQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string YamlFloat(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  return FormatGoFloat(v);
}

// Labels as promtool's parser.ParseMetric reads them: name{label="value", ...}.
std::string MetricText(const Labels& labels) {
  std::string out(labels.Get(kMetricNameLabel));
  out += '{';
  bool first = true;
  for (const Label& l : labels) {
    if (l.name == kMetricNameLabel) continue;
    if (!first) out += ", ";
    first = false;
    out += l.name + "=" + GoQuote(l.value);
  }
  return out + "}";
}

// Whether any selector or subquery uses @ start() / @ end().
bool UsesStartOrEnd(const Expr& e) {
  switch (e.kind()) {
    case NodeKind::kVectorSelector:
      return e.As<VectorSelector>()->at != AtModifier::kNone;
    case NodeKind::kMatrixSelector:
      return UsesStartOrEnd(*e.As<MatrixSelector>()->vector_selector);
    case NodeKind::kSubquery:
      return e.As<SubqueryExpr>()->at != AtModifier::kNone ||
             UsesStartOrEnd(*e.As<SubqueryExpr>()->expr);
    case NodeKind::kParen:
      return UsesStartOrEnd(*e.As<ParenExpr>()->expr);
    case NodeKind::kUnary:
      return UsesStartOrEnd(*e.As<UnaryExpr>()->expr);
    case NodeKind::kBinary:
      return UsesStartOrEnd(*e.As<BinaryExpr>()->lhs) || UsesStartOrEnd(*e.As<BinaryExpr>()->rhs);
    case NodeKind::kAggregate:
      return UsesStartOrEnd(*e.As<AggregateExpr>()->expr) ||
             (e.As<AggregateExpr>()->param && UsesStartOrEnd(*e.As<AggregateExpr>()->param));
    case NodeKind::kCall:
      for (const ExprPtr& a : e.As<Call>()->args) {
        if (UsesStartOrEnd(*a)) return true;
      }
      return false;
    default:
      return false;
  }
}

std::string TimeText(int64_t ms) { return FormatModelDuration(std::chrono::milliseconds(ms)); }

}  // namespace

std::vector<PromtoolCase> ToPromtoolCases(const EvalCase& c) {
  if (c.compatibility != Compatibility::kPrometheus2) return {};
  auto expr = ParseExpr(c.expr);
  if (expr.ok()) {
    const ValueType t = (*expr)->Type();
    if (t != ValueType::kVector && t != ValueType::kScalar) return {};
    // promtool checks a range query step by step as instant queries, where start() and end()
    // are the step's time rather than the range's bounds.
    if (c.range && UsesStartOrEnd(**expr)) return {};
  } else if (!c.expect_fail) {
    return {};
  }
  std::vector<PromtoolCase> out;
  if (!c.range) {
    PromtoolCase p;
    p.source = &c;
    p.t_ms = c.t_ms;
    p.time_text = TimeText(c.t_ms);
    p.expect_fail = c.expect_fail;
    p.samples = c.samples;
    if (c.scalar) p.samples.push_back(ExpectedSample{Labels(), *c.scalar});
    out.push_back(std::move(p));
    return out;
  }
  size_t step = 0;
  for (int64_t t = c.start_ms; t <= c.end_ms; t += c.step_ms, ++step) {
    PromtoolCase p;
    p.source = &c;
    p.t_ms = t;
    p.time_text = TimeText(t);
    p.expect_fail = c.expect_fail;
    for (const ExpectedSeries& s : c.series) {
      if (step < s.values.size() && s.values[step]) {
        p.samples.push_back(ExpectedSample{s.labels, *s.values[step]});
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::string ToPromtoolYaml(const Dataset& dataset, const std::vector<PromtoolCase>& cases) {
  std::ostringstream y;
  y << "rule_files: []\n"
    << "evaluation_interval: 1m\n"
    << "tests:\n"
    << "- interval: " << dataset.interval_text << "\n"
    << "  input_series:\n";
  if (dataset.series.empty()) y << "  - series: 'smoke_promtool_placeholder'\n    values: ''\n";
  for (const LoadedSeries& s : dataset.series) {
    y << "  - series: " << YamlQuote(s.labels_text) << "\n"
      << "    values: " << YamlQuote(s.values_text) << "\n";
  }
  y << "  promql_expr_test:\n";
  // promtool loads samples only up to the last multiple of evaluation_interval (1m) at or before
  // the latest eval_time; a case at or after the last sample makes it load them all.
  int64_t last = 0;
  for (const LoadedSeries& s : dataset.series) {
    if (!s.points.empty()) last = std::max(last, s.points.back().t);
  }
  y << "  - expr: vector(0)\n"
    << "    eval_time: " << TimeText((last + 59'999) / 60'000 * 60'000) << "\n"
    << "    exp_samples:\n"
    << "    - labels: '{}'\n"
    << "      value: 0\n";
  for (const PromtoolCase& c : cases) {
    y << "  - expr: " << YamlQuote(c.source->expr) << "\n"
      << "    eval_time: " << c.time_text << "\n"
      << "    exp_samples:\n";
    for (const ExpectedSample& s : c.samples) {
      y << "    - labels: " << YamlQuote(s.labels.empty() ? "{}" : MetricText(s.labels)) << "\n"
        << "      value: " << YamlFloat(s.value) << "\n";
    }
  }
  return y.str();
}

core::Result<std::vector<PromtoolFailure>> ParsePromtoolOutput(const std::string& output) {
  std::vector<PromtoolFailure> out;
  std::istringstream in(output);
  std::string line;
  PromtoolFailure* current = nullptr;
  auto parse_samples = [](std::string_view text) -> core::Result<std::vector<ExpectedSample>> {
    std::vector<ExpectedSample> samples;
    if (text == "nil") return samples;
    size_t pos = 0;
    while (pos < text.size()) {
      auto labels = ParseSeriesLabels(text, &pos);
      if (!labels.ok()) return labels.status();
      while (pos < text.size() && text[pos] == ' ') pos++;
      size_t end = text.find(", ", pos);
      if (end == std::string_view::npos) end = text.size();
      double v;
      if (!ParseNumber(text.substr(pos, end - pos), &v)) {
        return core::Status::Error("bad value in promtool output: " + std::string(text));
      }
      samples.push_back(ExpectedSample{*labels, v});
      pos = end == text.size() ? end : end + 2;
    }
    return samples;
  };
  while (std::getline(in, line)) {
    std::string_view l = line;
    if (l.rfind("    expr: \"", 0) == 0) {
      l.remove_prefix(10);
      size_t end = 1;
      while (end < l.size() && l[end] != '"') end += l[end] == '\\' ? 2 : 1;
      if (end >= l.size()) return core::Status::Error("cannot read promtool line: " + line);
      auto expr = Unquote(l.substr(0, end + 1));
      if (!expr.ok()) return expr.status();
      l.remove_prefix(end + 1);
      if (l.rfind(", time: ", 0) != 0) return core::Status::Error("cannot read: " + line);
      l.remove_prefix(8);
      const size_t comma = l.find(',');
      PromtoolFailure f;
      f.expr = *expr;
      f.time_text = std::string(l.substr(0, comma));
      if (comma != std::string_view::npos) {
        std::string_view after = l.substr(comma + 1);
        if (after.rfind(" err: ", 0) == 0) f.error = std::string(after.substr(6));
      }
      out.push_back(std::move(f));
      current = &out.back();
      continue;
    }
    if (current != nullptr && l.rfind("        got: ", 0) == 0) {
      auto samples = parse_samples(l.substr(13));
      if (!samples.ok()) return samples.status();
      current->got = std::move(samples).value();
    } else if (current != nullptr && current->error && l.rfind("    ", 0) != 0 && !l.empty()) {
      // A multi-line error message continues until the next indented line.
      *current->error += "\n" + line;
    }
  }
  return out;
}

}  // namespace smoke::promql::testing
