// Every label and annotation template of the real-world rule corpus (rules that Prometheus 2.42's
// `promtool check rules` accepts) must parse, and must expand without an error for an alert with
// typical labels; templates that run PromQL (`query`) are parse-checked only.
// The corpus is a copy of ../shared/reference/rule-corpus in tests/testdata/rule-corpus
// (SMOKE_RULE_CORPUS overrides it).

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "exporter/ruler/template.h"

namespace smoke::ruler {
namespace {

std::string CorpusDir() {
  if (const char* dir = std::getenv("SMOKE_RULE_CORPUS")) return dir;
  return std::string(SMOKE_TESTDATA_DIR) + "/rule-corpus";
}

// Alerts whose templates fail in Prometheus too; promtool_cases.yaml holds the same text, so the
// differential test proves the error is Prometheus's.
//   RunningOutOfCiliumClusterIdentities: `{{value}}` calls value() without its *sample argument.
const char* const kFailInPrometheus[] = {
    "alert RunningOutOfCiliumClusterIdentities, annotations.description"};

struct CorpusTemplate {
  std::string where;  // file, alert and key, for failure messages
  std::string alert;
  std::string text;
};

std::vector<CorpusTemplate> LoadTemplates(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string ext = e.path().extension().string();
    if (e.is_regular_file() && (ext == ".yml" || ext == ".yaml")) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<CorpusTemplate> out;
  for (const std::string& file : files) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(file);
    } catch (const YAML::Exception& e) {
      ADD_FAILURE() << file << ": " << e.what();
      continue;
    }
    if (!root["groups"]) continue;
    for (const YAML::Node& group : root["groups"]) {
      if (!group["rules"]) continue;
      for (const YAML::Node& rule : group["rules"]) {
        if (!rule["alert"]) continue;
        const std::string alert = rule["alert"].as<std::string>();
        for (const char* section : {"labels", "annotations"}) {
          if (!rule[section]) continue;
          for (const auto& kv : rule[section]) {
            out.push_back(
                {file + ": alert " + alert + ", " + section + "." + kv.first.as<std::string>(),
                 alert, kv.second.as<std::string>()});
          }
        }
      }
    }
  }
  return out;
}

TEST(TemplateCorpusTest, EveryRealWorldTemplateParsesAndExpands) {
  const std::string dir = CorpusDir();
  if (!std::filesystem::is_directory(dir)) {
    if (std::getenv("CI") != nullptr) FAIL() << "rule corpus not found at " << dir;
    GTEST_SKIP() << "rule corpus not found at " << dir << " (set SMOKE_RULE_CORPUS)";
  }
  const std::vector<CorpusTemplate> templates = LoadTemplates(dir);
  ASSERT_GT(templates.size(), 3000u) << "the corpus should hold thousands of templates";

  TemplateData data;
  data.labels = {{"instance", "10.0.0.1:9100"}, {"job", "node"},
                 {"namespace", "default"},      {"pod", "api-0"},
                 {"severity", "warning"},       {"cluster", "eu-1"}};
  data.value = 0.4213;
  data.external_url = "http://prometheus.example:9090";
  int expanded = 0;
  for (const CorpusTemplate& t : templates) {
    const std::string name = "__alert_" + t.alert;
    core::Status parsed = CheckTemplate(name, t.text);
    EXPECT_TRUE(parsed.ok()) << t.where << ": " << parsed.message() << "\n" << t.text;
    if (!parsed.ok() || t.text.find("query") != std::string::npos) continue;
    const std::string out = ExpandTemplate(name, t.text, data, 1700000000000);
    if (std::any_of(std::begin(kFailInPrometheus), std::end(kFailInPrometheus),
                    [&](const char* w) { return t.where.find(w) != std::string::npos; })) {
      EXPECT_NE(out.find("<error expanding template"), std::string::npos) << t.where;
      continue;
    }
    EXPECT_EQ(out.find("<error expanding template"), std::string::npos) << t.where << ": " << out;
    ++expanded;
  }
  EXPECT_GT(expanded, 3000);
}

}  // namespace
}  // namespace smoke::ruler
