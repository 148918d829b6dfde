// Differential test against real Prometheus (promtool 2.42, what CI runs): every template in
// tests/testdata/templates/promtool_cases.yaml becomes the annotation of an alerting rule whose
// series carries the case's value and labels; our expansion becomes the expected annotation of a
// `promtool test rules` unit test. promtool passing proves the outputs are byte-identical, errors
// included. The parse-error cases are checked against `promtool check rules` messages.
// Without /usr/bin/promtool the test fails in CI (env CI set) and is skipped elsewhere.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "exporter/promql/engine.h"
#include "exporter/promql/parser.h"
#include "exporter/ruler/go_strconv.h"
#include "exporter/ruler/template.h"
#include "exporter/tsdb/memory_storage.h"
#include "tests/support/shell.h"
#include "tests/support/temp_dir.h"

namespace smoke::ruler {
namespace {

constexpr const char* kPromtool = "/usr/bin/promtool";
constexpr const char* kExternalURL = "http://prom.example:9090/prefix";

struct Case {
  std::string tmpl;
  std::string value;  // as promtool's series notation writes it
  std::map<std::string, std::string> labels;
};

std::string CasesPath() {
  return std::string(SMOKE_TESTDATA_DIR) + "/templates/promtool_cases.yaml";
}

std::vector<Case> LoadCases() {
  YAML::Node root = YAML::LoadFile(CasesPath());
  std::vector<Case> cases;
  for (const YAML::Node& n : root["cases"]) {
    Case c;
    c.tmpl = n["template"].as<std::string>();
    c.value = n["value"] ? n["value"].as<std::string>() : "1";
    if (n["labels"]) c.labels = n["labels"].as<std::map<std::string, std::string>>();
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<std::string> LoadParseErrors() {
  YAML::Node root = YAML::LoadFile(CasesPath());
  return root["parse_errors"].as<std::vector<std::string>>();
}

bool RequirePromtool() {
  if (std::filesystem::exists(kPromtool)) return true;
  if (std::getenv("CI") != nullptr) {
    ADD_FAILURE() << kPromtool << " is required in CI";
  } else {
    std::cerr << kPromtool << " not found (Debian package 'prometheus'): not compared\n";
  }
  return false;
}

void EmitMap(YAML::Emitter& out, const std::map<std::string, std::string>& m) {
  out << YAML::BeginMap;
  for (const auto& [k, v] : m) out << YAML::Key << k << YAML::Value << YAML::DoubleQuoted << v;
  out << YAML::EndMap;
}

std::string Selector(const std::map<std::string, std::string>& labels) {
  std::string s = "tmpl_value{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (!first) s += ",";
    first = false;
    s += k + "=" + go::Quote(v);
  }
  return s + "}";
}

TEST(TemplatePromtoolTest, ExpansionsAreByteIdenticalToPrometheus) {
  if (!RequirePromtool()) GTEST_SKIP();
  const std::vector<Case> cases = LoadCases();
  ASSERT_GE(cases.size(), 60u);

  // The series the rules alert on, also queryable by the `query` template function.
  tsdb::MemoryStorage storage;
  std::vector<std::map<std::string, std::string>> series_labels;
  for (size_t i = 0; i < cases.size(); ++i) {
    std::map<std::string, std::string> labels = cases[i].labels;
    labels["case"] = std::to_string(i);
    series_labels.push_back(labels);
    std::vector<promql::Label> ls{{"__name__", "tmpl_value"}};
    for (const auto& [k, v] : labels) ls.push_back({k, v});
    go::ParseFloatResult value = go::ParseFloat(cases[i].value);
    ASSERT_TRUE(value.error.empty()) << cases[i].value;
    ASSERT_TRUE(storage.Append(promql::Labels(ls), 0, value.value).ok());
  }
  promql::EvalOptions eval_options;
  eval_options.compatibility = promql::Compatibility::kPrometheus2;
  TemplateQueryFunc query = [&](const std::string& expr) -> core::Result<promql::Vector> {
    auto parsed = promql::ParseExpr(expr);
    if (!parsed.ok()) return parsed.status();
    auto v = promql::EvalInstant(**parsed, storage, 0, eval_options);
    if (!v.ok()) return v.status();
    if (!std::holds_alternative<promql::Vector>(*v)) return core::Status::Error("not a vector");
    return std::get<promql::Vector>(*v);
  };

  YAML::Emitter rules;
  rules << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
  rules << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "templates";
  rules << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
  YAML::Emitter tests;
  tests << YAML::BeginMap << YAML::Key << "rule_files" << YAML::Value << YAML::BeginSeq
        << "rules.yml" << YAML::EndSeq;
  tests << YAML::Key << "evaluation_interval" << YAML::Value << "1m";
  tests << YAML::Key << "tests" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  tests << YAML::Key << "interval" << YAML::Value << "1m";
  tests << YAML::Key << "external_labels" << YAML::Value;
  EmitMap(tests, {{"cluster", "eu-1"}});
  tests << YAML::Key << "external_url" << YAML::Value << kExternalURL;
  tests << YAML::Key << "input_series" << YAML::Value << YAML::BeginSeq;
  for (size_t i = 0; i < cases.size(); ++i) {
    tests << YAML::BeginMap << YAML::Key << "series" << YAML::Value << YAML::DoubleQuoted
          << Selector(series_labels[i]) << YAML::Key << "values" << YAML::Value
          << YAML::DoubleQuoted << cases[i].value << YAML::EndMap;
  }
  tests << YAML::EndSeq << YAML::Key << "alert_rule_test" << YAML::Value << YAML::BeginSeq;

  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string alert = "T" + std::to_string(i);
    rules << YAML::BeginMap << YAML::Key << "alert" << YAML::Value << alert;
    rules << YAML::Key << "expr" << YAML::Value << YAML::DoubleQuoted
          << "tmpl_value{case=\"" + std::to_string(i) + "\"}";
    rules << YAML::Key << "annotations" << YAML::Value;
    EmitMap(rules, {{"a", cases[i].tmpl}});
    rules << YAML::EndMap;

    TemplateData data;
    data.labels = series_labels[i];
    data.labels["__name__"] = "tmpl_value";  // the alert's sample keeps its metric name
    data.value = go::ParseFloat(cases[i].value).value;
    data.external_labels = {{"cluster", "eu-1"}};
    data.external_url = kExternalURL;
    const std::string expanded = ExpandTemplate("__alert_" + alert, cases[i].tmpl, data, 0, query);

    std::map<std::string, std::string> exp_labels = series_labels[i];
    tests << YAML::BeginMap << YAML::Key << "eval_time" << YAML::Value << "0m";
    tests << YAML::Key << "alertname" << YAML::Value << alert;
    tests << YAML::Key << "exp_alerts" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
    tests << YAML::Key << "exp_labels" << YAML::Value;
    EmitMap(tests, exp_labels);
    tests << YAML::Key << "exp_annotations" << YAML::Value;
    EmitMap(tests, {{"a", expanded}});
    tests << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  }
  rules << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  tests << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  ASSERT_TRUE(rules.good()) << rules.GetLastError();
  ASSERT_TRUE(tests.good()) << tests.GetLastError();

  testing::TempDir dir;
  dir.Write("rules.yml", rules.c_str());
  const std::string test_file = dir.Write("test.yml", tests.c_str());
  int status = -1;
  const std::string out = testing::Shell("cd " + testing::ShellQuote(dir.path().string()) + " && " +
                                             kPromtool + " test rules test.yml 2>&1",
                                         &status);
  EXPECT_EQ(status, 0) << "promtool disagrees with our expansions (exp = ours, got = "
                          "Prometheus):\n"
                       << out;
}

TEST(TemplatePromtoolTest, ParseErrorsMatchPromtoolCheckRules) {
  if (!RequirePromtool()) GTEST_SKIP();
  const std::vector<std::string> bad = LoadParseErrors();
  ASSERT_GE(bad.size(), 10u);
  // One rule per template: promtool reports one error per rule.
  YAML::Emitter rules;
  rules << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq;
  rules << YAML::BeginMap << YAML::Key << "name" << YAML::Value << "bad";
  rules << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
  for (size_t i = 0; i < bad.size(); ++i) {
    rules << YAML::BeginMap << YAML::Key << "alert" << YAML::Value << "B" + std::to_string(i);
    rules << YAML::Key << "expr" << YAML::Value << "up";
    rules << YAML::Key << "annotations" << YAML::Value;
    EmitMap(rules, {{"a", bad[i]}});
    rules << YAML::EndMap;
  }
  rules << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  testing::TempDir dir;
  const std::string path = dir.Write("bad.yml", rules.c_str());
  int status = -1;
  const std::string out = testing::Shell(
      std::string(kPromtool) + " check rules " + testing::ShellQuote(path) + " 2>&1", &status);
  EXPECT_NE(status, 0);

  // Lines read: <path>: group "bad", rule N, "BN": annotation "a": <error>
  std::map<std::string, std::string> promtool_errors;
  const std::regex line_re(R"re(rule \d+, "(B\d+)": annotation "a": (.*))re");
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, line_re)) promtool_errors[m[1]] = m[2];
  }
  for (size_t i = 0; i < bad.size(); ++i) {
    const std::string alert = "B" + std::to_string(i);
    core::Status ours = CheckTemplate("__alert_" + alert, bad[i]);
    if (!promtool_errors.count(alert)) {
      ADD_FAILURE() << "promtool accepts " << bad[i] << "\n" << out;
      continue;
    }
    EXPECT_EQ(ours.ToString(), promtool_errors[alert]) << "template: " << bad[i];
  }
}

}  // namespace
}  // namespace smoke::ruler
