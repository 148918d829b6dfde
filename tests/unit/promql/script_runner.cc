#include "tests/unit/promql/script_runner.h"

#include <re2/re2.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "exporter/promql/duration.h"
#include "exporter/promql/functions_impl.h"
#include "exporter/promql/parser.h"
#include "exporter/promql/quote.h"

namespace smoke::promql::testing {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

std::string_view NextWord(std::string_view* s) {
  *s = Trim(*s);
  const size_t end = s->find_first_of(" \t");
  std::string_view w = s->substr(0, end);
  s->remove_prefix(end == std::string_view::npos ? s->size() : end);
  *s = Trim(*s);
  return w;
}

core::Result<int64_t> ParseTime(std::string_view text) {
  if (text == "0") return int64_t{0};
  auto d = ParseModelDuration(text);
  if (!d.ok()) return d.status();
  return static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(*d).count());
}

bool IsMetricNameChar(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

std::string FormatValue(double v) { return FormatGoFloat(v); }

std::string DescribeSamples(const Vector& v) {
  std::string out;
  for (const Sample& s : v) out += "\n    " + s.labels.ToString() + " " + FormatValue(s.v);
  return out.empty() ? " (none)" : out;
}

std::string DescribeExpected(const std::vector<ExpectedSample>& v) {
  std::string out;
  for (const ExpectedSample& s : v)
    out += "\n    " + s.labels.ToString() + " " + FormatValue(s.value);
  return out.empty() ? " (none)" : out;
}

std::string CompareVector(const EvalCase& c, Vector got) {
  std::vector<ExpectedSample> want = c.samples;
  if (!c.ordered) {
    std::sort(got.begin(), got.end(),
              [](const Sample& a, const Sample& b) { return a.labels < b.labels; });
    std::sort(want.begin(), want.end(),
              [](const ExpectedSample& a, const ExpectedSample& b) { return a.labels < b.labels; });
  }
  bool same = got.size() == want.size();
  for (size_t i = 0; same && i < got.size(); ++i) {
    same = got[i].labels == want[i].labels && WithinUlps(got[i].v, want[i].value, c.max_ulps);
  }
  if (same) return "";
  return "expected:" + DescribeExpected(want) + "\n  got:" + DescribeSamples(got);
}

std::string CompareMatrix(const EvalCase& c, const Matrix& got) {
  std::map<Labels, std::vector<std::optional<double>>> want;
  const size_t steps = static_cast<size_t>((c.end_ms - c.start_ms) / c.step_ms) + 1;
  for (const ExpectedSeries& s : c.series) {
    std::vector<std::optional<double>> v = s.values;
    v.resize(steps);
    want[s.labels] = v;
  }
  std::map<Labels, std::vector<std::optional<double>>> have;
  for (const Series& s : got) {
    std::vector<std::optional<double>> v(steps);
    for (const Point& p : s.points) {
      const int64_t i = (p.t - c.start_ms) / c.step_ms;
      if (i >= 0 && static_cast<size_t>(i) < steps) v[static_cast<size_t>(i)] = p.v;
    }
    have[s.labels] = v;
  }
  auto describe = [](const std::map<Labels, std::vector<std::optional<double>>>& m) {
    std::string out;
    for (const auto& [l, vals] : m) {
      out += "\n    " + l.ToString();
      for (const auto& v : vals) out += " " + (v ? FormatValue(*v) : std::string("_"));
    }
    return out.empty() ? std::string(" (none)") : out;
  };
  bool same = want.size() == have.size();
  for (auto wi = want.begin(), hi = have.begin(); same && wi != want.end(); ++wi, ++hi) {
    same = wi->first == hi->first && wi->second.size() == hi->second.size();
    for (size_t i = 0; same && i < wi->second.size(); ++i) {
      const auto& a = wi->second[i];
      const auto& b = hi->second[i];
      same = a.has_value() == b.has_value() && (!a || WithinUlps(*a, *b, c.max_ulps));
    }
  }
  if (same) return "";
  return "expected:" + describe(want) + "\n  got:" + describe(have);
}

}  // namespace

void TestStorage::Add(Labels labels, std::vector<Point> points) {
  for (SeriesView& s : series_) {
    if (s.labels == labels) {
      s.points.insert(s.points.end(), points.begin(), points.end());
      std::stable_sort(s.points.begin(), s.points.end(),
                       [](const Point& a, const Point& b) { return a.t < b.t; });
      return;
    }
  }
  series_.push_back(SeriesView{std::move(labels), std::move(points)});
}

std::vector<SeriesView> TestStorage::Select(const std::vector<LabelMatcher>& matchers,
                                            int64_t mint_ms, int64_t maxt_ms) const {
  std::vector<SeriesView> out;
  for (const SeriesView& s : series_) {
    if (!MatchesAll(matchers, s.labels)) continue;
    SeriesView v{s.labels, {}};
    for (const Point& p : s.points) {
      if (p.t >= mint_ms && p.t <= maxt_ms) v.points.push_back(p);
    }
    if (!v.points.empty()) out.push_back(std::move(v));
  }
  std::sort(out.begin(), out.end(),
            [](const SeriesView& a, const SeriesView& b) { return a.labels < b.labels; });
  return out;
}

bool SameValue(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

bool WithinUlps(double a, double b, int64_t ulps) {
  if (SameValue(a, b)) return true;
  if (ulps == 0 || !std::isfinite(a) || !std::isfinite(b) || std::signbit(a) != std::signbit(b)) {
    return false;
  }
  const int64_t ia = std::bit_cast<int64_t>(std::fabs(a));
  const int64_t ib = std::bit_cast<int64_t>(std::fabs(b));
  return std::abs(ia - ib) <= ulps;
}

bool ParseNumber(std::string_view text, double* out) { return ParseGoFloat(text, out); }

core::Result<Labels> ParseSeriesLabels(std::string_view text, size_t* pos) {
  size_t i = *pos;
  std::vector<Label> labels;
  const size_t name_start = i;
  while (i < text.size() && IsMetricNameChar(text[i], i == name_start)) i++;
  if (i > name_start) {
    labels.push_back(
        {std::string(kMetricNameLabel), std::string(text.substr(name_start, i - name_start))});
  }
  if (i < text.size() && text[i] == '{') {
    i++;
    for (;;) {
      while (i < text.size() && (text[i] == ' ' || text[i] == ',')) i++;
      if (i >= text.size()) return core::Status::Error("unterminated label set");
      if (text[i] == '}') {
        i++;
        break;
      }
      const size_t ns = i;
      while (i < text.size() && IsMetricNameChar(text[i], i == ns) && text[i] != ':') i++;
      if (i == ns) return core::Status::Error("expected a label name at " + std::to_string(i));
      std::string name(text.substr(ns, i - ns));
      while (i < text.size() && text[i] == ' ') i++;
      if (i >= text.size() || text[i] != '=') return core::Status::Error("expected '='");
      i++;
      while (i < text.size() && text[i] == ' ') i++;
      if (i >= text.size()) return core::Status::Error("expected a quoted value");
      const char quote = text[i];
      size_t j = i + 1;
      while (j < text.size() && text[j] != quote) j += text[j] == '\\' ? 2 : 1;
      if (j >= text.size()) return core::Status::Error("unterminated label value");
      auto value = Unquote(text.substr(i, j - i + 1));
      if (!value.ok()) return value.status();
      labels.push_back({std::move(name), *value});
      i = j + 1;
    }
  }
  if (i == *pos) return core::Status::Error("expected a series");
  *pos = i;
  return Labels(std::move(labels));
}

core::Result<std::vector<std::optional<double>>> ExpandValues(std::string_view text) {
  std::vector<std::optional<double>> out;
  std::string_view rest = Trim(text);
  while (!rest.empty()) {
    const std::string_view item = NextWord(&rest);
    auto bad = [&] { return core::Status::Error("bad series value " + std::string(item)); };
    std::string_view head = item;
    int64_t times = -1;
    if (const size_t x = item.rfind('x'); x != std::string_view::npos && x + 1 < item.size()) {
      const std::string_view count = item.substr(x + 1);
      if (std::all_of(count.begin(), count.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        times = std::stoll(std::string(count));
        head = item.substr(0, x);
      }
    }
    if (head == "_") {
      for (int64_t i = 0; i < (times < 0 ? 1 : times); ++i) out.push_back(std::nullopt);
      continue;
    }
    if (head == "stale") {
      if (times >= 0) return bad();
      out.push_back(StaleNaN());
      continue;
    }
    // "a", "a+b" or "a-b": the sign after the first character that does not follow an exponent.
    double base = 0, inc = 0;
    size_t split = std::string_view::npos;
    for (size_t i = 1; i < head.size(); ++i) {
      if ((head[i] == '+' || head[i] == '-') && head[i - 1] != 'e' && head[i - 1] != 'E') {
        split = i;
        break;
      }
    }
    if (split == std::string_view::npos) {
      if (!ParseNumber(head, &base)) return bad();
    } else {
      if (!ParseNumber(head.substr(0, split), &base)) return bad();
      if (!ParseNumber(head.substr(split + 1), &inc)) return bad();
      if (head[split] == '-') inc = -inc;
      if (times < 0) return bad();
    }
    if (times < 0) {
      out.push_back(base);
      continue;
    }
    double v = base;
    for (int64_t i = 0; i <= times; ++i) {
      out.push_back(v);
      v += inc;
    }
  }
  return out;
}

core::Result<Script> ParseScript(const std::string& text, const std::string& name) {
  Script script;
  script.name = name;
  script.datasets.emplace_back();  // evals before any load see empty storage
  Compatibility compat = Compatibility::kPrometheus2;
  std::vector<std::string> lines;
  {
    std::istringstream in(text);
    std::string l;
    while (std::getline(in, l)) lines.push_back(l);
  }
  auto fail = [&](size_t i, const std::string& why) {
    return core::Status::Error(name + ":" + std::to_string(i + 1) + ": " + why);
  };
  auto indented = [&](size_t i) {
    return i < lines.size() && !lines[i].empty() && (lines[i][0] == ' ' || lines[i][0] == '\t');
  };
  for (size_t i = 0; i < lines.size();) {
    std::string_view line = Trim(lines[i]);
    if (line.empty() || line[0] == '#') {
      i++;
      continue;
    }
    if (indented(i)) return fail(i, "unexpected indented line");
    const size_t at = i++;
    std::string_view rest = line;
    const std::string_view cmd = NextWord(&rest);
    if (cmd == "clear") {
      script.datasets.emplace_back();
      continue;
    }
    if (cmd == "semantics") {
      if (rest == "prometheus2") {
        compat = Compatibility::kPrometheus2;
      } else if (rest == "prometheus3") {
        compat = Compatibility::kPrometheus3;
      } else {
        return fail(at, "unknown semantics " + std::string(rest));
      }
      continue;
    }
    if (cmd == "load") {
      Dataset ds;
      auto interval = ParseTime(rest);
      if (!interval.ok() || *interval <= 0) return fail(at, "bad load interval");
      ds.interval_ms = *interval;
      ds.interval_text = std::string(rest);
      for (; indented(i); ++i) {
        std::string_view body = Trim(lines[i]);
        if (body.empty() || body[0] == '#') continue;
        size_t pos = 0;
        auto labels = ParseSeriesLabels(body, &pos);
        if (!labels.ok()) return fail(i, labels.status().message());
        LoadedSeries s;
        s.labels_text = std::string(body.substr(0, pos));
        s.values_text = std::string(Trim(body.substr(pos)));
        s.labels = *labels;
        auto values = ExpandValues(s.values_text);
        if (!values.ok()) return fail(i, values.status().message());
        for (size_t k = 0; k < values->size(); ++k) {
          if ((*values)[k])
            s.points.push_back(Point{static_cast<int64_t>(k) * ds.interval_ms, *(*values)[k]});
        }
        ds.series.push_back(std::move(s));
      }
      script.datasets.push_back(std::move(ds));
      continue;
    }
    EvalCase c;
    c.line = static_cast<int>(at + 1);
    c.dataset = script.datasets.size() - 1;
    c.compatibility = compat;
    if (cmd == "eval_fail") {
      c.expect_fail = true;
    } else if (cmd == "eval_ordered") {
      c.ordered = true;
    } else if (cmd != "eval") {
      return fail(at, "unknown command " + std::string(cmd));
    }
    const std::string_view mode = NextWord(&rest);
    if (mode == "instant") {
      if (NextWord(&rest) != "at") return fail(at, "expected 'at'");
      c.t_text = std::string(NextWord(&rest));
      auto t = ParseTime(c.t_text);
      if (!t.ok()) return fail(at, t.status().message());
      c.t_ms = *t;
    } else if (mode == "range") {
      c.range = true;
      int64_t* fields[] = {&c.start_ms, &c.end_ms, &c.step_ms};
      const char* words[] = {"from", "to", "step"};
      for (int k = 0; k < 3; ++k) {
        if (NextWord(&rest) != words[k]) return fail(at, std::string("expected ") + words[k]);
        auto t = ParseTime(NextWord(&rest));
        if (!t.ok()) return fail(at, t.status().message());
        *fields[k] = *t;
      }
      if (c.step_ms <= 0) return fail(at, "step must be positive");
    } else {
      return fail(at, "expected 'instant' or 'range'");
    }
    c.expr = std::string(rest);
    for (; indented(i); ++i) {
      std::string_view body = Trim(lines[i]);
      if (body.empty() || body[0] == '#') continue;
      std::string_view b = body;
      if (ConsumePrefix(&b, "expected_fail_message ")) {
        c.fail_message = std::string(b);
        continue;
      }
      if (ConsumePrefix(&b, "ulps ")) {
        c.max_ulps = std::stoll(std::string(b));
        continue;
      }
      if (ConsumePrefix(&b, "expected_fail_regexp ")) {
        c.fail_regexp = std::string(b);
        continue;
      }
      double scalar;
      if (!c.range && ParseNumber(body, &scalar)) {
        c.scalar = scalar;
        continue;
      }
      size_t pos = 0;
      auto labels = ParseSeriesLabels(body, &pos);
      if (!labels.ok()) return fail(i, labels.status().message());
      const std::string_view values = Trim(body.substr(pos));
      if (c.range) {
        auto expanded = ExpandValues(values);
        if (!expanded.ok()) return fail(i, expanded.status().message());
        c.series.push_back(ExpectedSeries{*labels, *expanded});
      } else {
        double v;
        if (!ParseNumber(values, &v)) return fail(i, "bad value " + std::string(values));
        c.samples.push_back(ExpectedSample{*labels, v});
      }
    }
    if (c.expect_fail && (!c.samples.empty() || !c.series.empty() || c.scalar)) {
      return fail(at, "eval_fail with expected samples");
    }
    script.cases.push_back(std::move(c));
  }
  return script;
}

core::Result<Script> LoadScript(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::Status::Error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  const size_t slash = path.rfind('/');
  return ParseScript(ss.str(), slash == std::string::npos ? path : path.substr(slash + 1));
}

TestStorage BuildStorage(const Dataset& dataset) {
  TestStorage storage;
  for (const LoadedSeries& s : dataset.series) storage.Add(s.labels, s.points);
  return storage;
}

std::string RunCase(const EvalCase& c, const Queryable& storage) {
  auto expr = ParseExpr(c.expr);
  if (!expr.ok()) {
    if (c.expect_fail) {
      if (c.fail_message && *c.fail_message != expr.status().message()) {
        return "expected error \"" + *c.fail_message + "\", got parse error \"" +
               expr.status().message() + "\"";
      }
      return "";
    }
    return "parse error: " + expr.status().message();
  }
  EvalOptions options;
  options.compatibility = c.compatibility;
  std::string error;
  std::optional<Value> value;
  std::optional<Matrix> matrix;
  if (c.range) {
    auto r = EvalRange(**expr, storage, c.start_ms, c.end_ms, c.step_ms, options);
    if (r.ok()) {
      matrix = std::move(r).value();
    } else {
      error = r.status().message();
    }
  } else {
    auto r = EvalInstant(**expr, storage, c.t_ms, options);
    if (r.ok()) {
      value = std::move(r).value();
    } else {
      error = r.status().message();
    }
  }
  if (c.expect_fail) {
    if (error.empty()) return "expected an error, got a result";
    if (c.fail_message && *c.fail_message != error) {
      return "expected error \"" + *c.fail_message + "\", got \"" + error + "\"";
    }
    if (c.fail_regexp && !RE2::PartialMatch(error, *c.fail_regexp)) {
      return "error \"" + error + "\" does not match /" + *c.fail_regexp + "/";
    }
    return "";
  }
  if (!error.empty()) return "unexpected error: " + error;
  if (c.range) return CompareMatrix(c, *matrix);
  if (const auto* s = std::get_if<Scalar>(&*value)) {
    if (c.scalar && WithinUlps(*c.scalar, s->v, c.max_ulps) && c.samples.empty()) return "";
    return "expected " + (c.scalar ? "scalar " + FormatValue(*c.scalar) : std::string("a vector")) +
           ", got scalar " + FormatValue(s->v);
  }
  if (auto* v = std::get_if<Vector>(&*value)) {
    if (c.scalar) return "expected a scalar, got a vector:" + DescribeSamples(*v);
    return CompareVector(c, std::move(*v));
  }
  return "unexpected result type " + std::string(DocumentedType(TypeOf(*value)));
}

}  // namespace smoke::promql::testing
