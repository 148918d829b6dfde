// Every expression of the real-world rule corpus (tests/testdata/promql/corpus_exprs.txt, about
// 2,300 rules) must evaluate without crashing, over empty storage and over a small synthetic
// storage holding series for the expression's own selectors. Errors are allowed only of the kinds
// Prometheus gives for such data (duplicate label sets after dropping names, ambiguous matching).
// Where promtool is installed, a sample of the corpus (every expression with
// SMOKE_CORPUS_PROMTOOL_ALL=1) is also evaluated by Prometheus over the same synthetic data and
// the results must agree.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "exporter/promql/engine.h"
#include "exporter/promql/parser.h"
#include "exporter/promql/quote.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/promql/promtool_converter.h"
#include "tests/unit/promql/script_runner.h"
#include "tests/unit/promql/corpus_reader.h"

namespace smoke::promql {
namespace {

constexpr int64_t kMinute = 60'000;

void CollectSelectors(const Expr& e, std::vector<const VectorSelector*>* out) {
  switch (e.kind()) {
    case NodeKind::kVectorSelector:
      out->push_back(e.As<VectorSelector>());
      return;
    case NodeKind::kMatrixSelector:
      out->push_back(e.As<MatrixSelector>()->vector_selector.get());
      return;
    case NodeKind::kSubquery:
      CollectSelectors(*e.As<SubqueryExpr>()->expr, out);
      return;
    case NodeKind::kParen:
      CollectSelectors(*e.As<ParenExpr>()->expr, out);
      return;
    case NodeKind::kUnary:
      CollectSelectors(*e.As<UnaryExpr>()->expr, out);
      return;
    case NodeKind::kBinary:
      CollectSelectors(*e.As<BinaryExpr>()->lhs, out);
      CollectSelectors(*e.As<BinaryExpr>()->rhs, out);
      return;
    case NodeKind::kAggregate:
      if (e.As<AggregateExpr>()->param) CollectSelectors(*e.As<AggregateExpr>()->param, out);
      CollectSelectors(*e.As<AggregateExpr>()->expr, out);
      return;
    case NodeKind::kCall:
      for (const ExprPtr& a : e.As<Call>()->args) CollectSelectors(*a, out);
      return;
    default:
      return;
  }
}

bool IsMetricName(const std::string& s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// A value for a label that satisfies the matcher, if one is easy to find (a valid metric name for
// __name__).
std::string ValueFor(const LabelMatcher& m) {
  if (m.type() == MatchType::kEqual) return m.value();
  if (m.type() != MatchType::kRegexMatch) return "";
  std::string first = m.value().substr(0, m.value().find('|'));
  std::vector<std::string> candidates = {first};
  for (const char* wildcard : {".*", ".+"}) {
    std::string c = first;
    for (size_t at; (at = c.find(wildcard)) != std::string::npos;) c.replace(at, 2, "x");
    candidates.push_back(c);
  }
  for (const char* c : {"x", "1", "200", "500", "5xx", "api", "true"}) candidates.push_back(c);
  for (const std::string& c : candidates) {
    if (m.Matches(c) && (m.name() != kMetricNameLabel || IsMetricName(c))) return c;
  }
  return "";
}

// Two instances of every selected series over an hour at 1m: a counter for names ending in
// _total/_count/_sum/_bucket (with buckets for _bucket), a wavy gauge otherwise.
testing::TestStorage SyntheticStorage(const Expr& expr) {
  std::vector<const VectorSelector*> selectors;
  CollectSelectors(expr, &selectors);
  std::map<Labels, std::vector<Point>> series;
  for (const VectorSelector* vs : selectors) {
    std::vector<Label> base;
    for (const LabelMatcher& m : vs->matchers) {
      std::string v = ValueFor(m);
      if (!v.empty()) base.push_back({m.name(), v});
    }
    Labels labels(base);
    const std::string name(labels.Get(kMetricNameLabel));
    if (name.empty()) continue;
    const bool bucket = name.size() > 7 && name.ends_with("_bucket");
    const bool counter =
        bucket || name.ends_with("_total") || name.ends_with("_count") || name.ends_with("_sum");
    const std::vector<std::string> les =
        bucket ? std::vector<std::string>{"0.1", "1", "10", "+Inf"} : std::vector<std::string>{""};
    for (const char* instance : {"a", "b"}) {
      for (size_t li = 0; li < les.size(); ++li) {
        Labels l =
            labels.Set("instance", labels.Has("instance") ? labels.Get("instance") : instance)
                .Set("job", labels.Has("job") ? labels.Get("job") : "job")
                .Set("le", les[li]);
        std::vector<Point> points;
        for (int i = 0; i <= 60; ++i) {
          const double v = counter ? (li + 1) * i * (instance[0] == 'a' ? 1.0 : 2.5)
                                   : (i % 7) + (instance[0] == 'a' ? 0.5 : 3);
          points.push_back({i * kMinute, v});
        }
        series[l] = std::move(points);
      }
    }
  }
  testing::TestStorage storage;
  for (auto& [labels, points] : series) storage.Add(labels, std::move(points));
  return storage;
}

bool AllowedError(const std::string& message) {
  for (const char* allowed :
       {"vector cannot contain metrics with the same labelset",
        "found duplicate series for the match group", "multiple matches for labels"}) {
    if (message.find(allowed) != std::string::npos) return true;
  }
  return false;
}

TEST(CorpusEvalTest, EveryCorpusExpressionEvaluates) {
  const std::vector<CorpusExpr> corpus = LoadCorpus();
  ASSERT_GT(corpus.size(), 2000u);
  size_t with_data = 0, errors = 0;
  for (const CorpusExpr& c : corpus) {
    auto expr = ParseExpr(c.expr);
    ASSERT_TRUE(expr.ok()) << c.source << ": " << expr.status().message();
    testing::TestStorage empty;
    auto on_empty = EvalInstant(**expr, empty, 60 * kMinute);
    EXPECT_TRUE(on_empty.ok()) << c.source << ": " << on_empty.status().message();

    testing::TestStorage storage = SyntheticStorage(**expr);
    auto v = EvalInstant(**expr, storage, 60 * kMinute);
    if (!v.ok()) {
      errors++;
      EXPECT_TRUE(AllowedError(v.status().message()))
          << c.source << ": " << c.expr << "\n  " << v.status().message();
      continue;
    }
    if (const auto* vec = std::get_if<Vector>(&*v); vec != nullptr && !vec->empty()) with_data++;
  }
  std::cout << "[ corpus ] " << corpus.size() << " expressions; " << with_data
            << " non-empty results over synthetic data, " << errors << " evaluation errors\n";
  // The synthetic data must exercise most expressions, not just produce empty results.
  EXPECT_GT(with_data, corpus.size() / 3) << errors << " errors";
}

TEST(CorpusEvalTest, CorpusExpressionsEvaluateAsRangeQueries) {
  const std::vector<CorpusExpr> corpus = LoadCorpus();
  for (size_t i = 0; i < corpus.size(); i += 10) {
    auto expr = ParseExpr(corpus[i].expr);
    ASSERT_TRUE(expr.ok());
    testing::TestStorage storage = SyntheticStorage(**expr);
    auto m = EvalRange(**expr, storage, 30 * kMinute, 60 * kMinute, 5 * kMinute);
    if (!m.ok()) {
      EXPECT_TRUE(AllowedError(m.status().message()))
          << corpus[i].source << ": " << m.status().message();
    }
  }
}

// YAML double-quoted scalar: keeps newlines, unlike a single-quoted one.
std::string YamlDoubleQuote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string SeriesText(const Labels& labels) {
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

TEST(CorpusPromtoolTest, PrometheusAgreesOnSyntheticData) {
  constexpr const char* kPromtool = "/usr/bin/promtool";
  if (access(kPromtool, X_OK) != 0) {
    GTEST_SKIP() << kPromtool << " not found (install the Debian package 'prometheus'): corpus "
                 << "results are not compared with Prometheus in this run";
  }
  const char* all_env = std::getenv("SMOKE_CORPUS_PROMTOOL_ALL");
  const size_t stride = all_env != nullptr && std::string(all_env) == "1" ? 1 : 10;
  const std::vector<CorpusExpr> corpus = LoadCorpus();
  std::map<std::string, core::Result<Value>> mine;
  std::string yaml = "rule_files: []\nevaluation_interval: 1m\ntests:\n";
  const auto all_names = LabelMatcher::Create(MatchType::kRegexMatch, "__name__", ".+");
  ASSERT_TRUE(all_names.ok());
  for (size_t i = 0; i < corpus.size(); i += stride) {
    const std::string& text = corpus[i].expr;
    if (mine.count(text) > 0) continue;
    auto expr = ParseExpr(text);
    ASSERT_TRUE(expr.ok());
    testing::TestStorage storage = SyntheticStorage(**expr);
    EvalOptions options;
    options.compatibility = Compatibility::kPrometheus2;
    mine.emplace(text, EvalInstant(**expr, storage, 60 * kMinute, options));
    yaml += "- interval: 1m\n  input_series:\n";
    const auto series = storage.Select({*all_names}, 0, 60 * kMinute);
    if (series.empty()) yaml += "  - series: 'placeholder'\n    values: ''\n";
    for (const SeriesView& s : series) {
      std::string values;
      for (const Point& p : s.points) values += FormatGoFloat(p.v) + " ";
      yaml += "  - series: " + YamlDoubleQuote(SeriesText(s.labels)) + "\n    values: \"" + values +
              "\"\n";
    }
    yaml += "  promql_expr_test:\n  - expr: " + YamlDoubleQuote(text) + "\n    eval_time: 1h\n";
  }
  smoke::testing::TempDir dir;
  const std::string file = dir.Write("corpus.yml", yaml);
  smoke::testing::Subprocess promtool({kPromtool, "test", "rules", file}, dir.path().string());
  const auto status = promtool.Wait(std::chrono::seconds(300));
  ASSERT_TRUE(status.has_value()) << "promtool hung";
  const std::string output = promtool.Stdout() + promtool.Stderr();
  auto failures = testing::ParsePromtoolOutput(output);
  ASSERT_TRUE(failures.ok()) << failures.status().message();
  std::map<std::string, const testing::PromtoolFailure*> prometheus;
  for (const auto& f : *failures) prometheus[f.expr] = &f;

  size_t exact = 0, approximate = 0;
  for (const auto& [text, result] : mine) {
    auto it = prometheus.find(text);
    const testing::PromtoolFailure* p = it == prometheus.end() ? nullptr : it->second;
    if (!result.ok()) {
      ASSERT_TRUE(p != nullptr && p->error.has_value())
          << text << "\n  engine fails with " << result.status().message()
          << "\n  Prometheus does not";
      // Messages naming series depend on storage order; compare what precedes the series.
      const std::string& ours = result.status().message();
      EXPECT_EQ(p->error->substr(0, p->error->find('[')), ours.substr(0, ours.find('['))) << text;
      exact++;
      continue;
    }
    ASSERT_FALSE(p != nullptr && p->error.has_value())
        << text << "\n  Prometheus fails with " << *p->error;
    std::vector<testing::ExpectedSample> got;
    if (const auto* vec = std::get_if<Vector>(&*result)) {
      for (const Sample& s : *vec) got.push_back({s.labels, s.v});
    } else if (const auto* sc = std::get_if<Scalar>(&*result)) {
      got.push_back({Labels(), sc->v});
    }
    std::vector<testing::ExpectedSample> want =
        p == nullptr ? std::vector<testing::ExpectedSample>{} : p->got;
    auto by_labels = [](const auto& a, const auto& b) { return a.labels < b.labels; };
    std::sort(got.begin(), got.end(), by_labels);
    std::sort(want.begin(), want.end(), by_labels);
    bool same = got.size() == want.size(), is_exact = true;
    for (size_t k = 0; same && k < got.size(); ++k) {
      same = got[k].labels == want[k].labels;
      if (!same || testing::SameValue(got[k].value, want[k].value)) continue;
      const double scale = std::max(std::fabs(got[k].value), std::fabs(want[k].value));
      same = std::fabs(got[k].value - want[k].value) <= 1e-12 * scale;  // summation order
      is_exact = false;
    }
    if (!same) {
      std::string g, w;
      for (const auto& x : got) g += " " + x.labels.ToString() + " " + FormatGoFloat(x.value);
      for (const auto& x : want) w += " " + x.labels.ToString() + " " + FormatGoFloat(x.value);
      ADD_FAILURE() << text << "\n  engine:" << g << "\n  Prometheus:" << w;
      continue;
    }
    (is_exact ? exact : approximate)++;
  }
  std::cout << "[ corpus ] " << mine.size() << " expressions compared with Prometheus: " << exact
            << " identical, " << approximate << " within 1e-12 (summation order)\n";
}

}  // namespace
}  // namespace smoke::promql
