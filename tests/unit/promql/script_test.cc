// Runs every evaluation script in tests/testdata/promql/*.test (the format is described in
// script_runner.h) against the engine. promtool_check_test.cc checks the same expectations
// against Prometheus itself.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/unit/promql/script_runner.h"

namespace smoke::promql::testing {
namespace {

std::vector<std::string> ScriptFiles() {
  std::vector<std::string> out;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(SMOKE_TESTDATA_DIR) + "/promql")) {
    if (e.path().extension() == ".test") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class ScriptTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ScriptTest, EvaluatesAsExpected) {
  auto script = LoadScript(GetParam());
  ASSERT_TRUE(script.ok()) << script.status().message();
  ASSERT_FALSE(script->cases.empty());
  std::vector<TestStorage> storages;
  for (const Dataset& d : script->datasets) storages.push_back(BuildStorage(d));
  for (const EvalCase& c : script->cases) {
    const std::string diff = RunCase(c, storages[c.dataset]);
    EXPECT_EQ(diff, "") << script->name << ":" << c.line << ": " << c.expr;
  }
}

INSTANTIATE_TEST_SUITE_P(Scripts, ScriptTest, ::testing::ValuesIn(ScriptFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = std::filesystem::path(info.param).stem().string();
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

TEST(ScriptTest, CountsAtLeastThreeHundredCases) {
  size_t cases = 0;
  for (const std::string& f : ScriptFiles()) {
    auto script = LoadScript(f);
    ASSERT_TRUE(script.ok()) << script.status().message();
    cases += script->cases.size();
  }
  EXPECT_GE(cases, 300u);
}

TEST(ScriptFormatTest, ExpandsPromtoolNotation) {
  auto v = ExpandValues("1+2x2 _ _x2 5-1x1 3x1 stale");
  ASSERT_TRUE(v.ok()) << v.status().message();
  ASSERT_EQ(v->size(), 11u);
  EXPECT_EQ(*(*v)[0], 1);
  EXPECT_EQ(*(*v)[2], 5);
  EXPECT_FALSE((*v)[3].has_value());
  EXPECT_FALSE((*v)[5].has_value());
  EXPECT_EQ(*(*v)[6], 5);
  EXPECT_EQ(*(*v)[7], 4);
  EXPECT_EQ(*(*v)[9], 3);
  EXPECT_TRUE(IsStaleNaN(*(*v)[10]));
}

TEST(ScriptFormatTest, RejectsUnknownCommands) {
  EXPECT_FALSE(ParseScript("evaluate instant at 0 x\n", "t").ok());
  EXPECT_FALSE(ParseScript("load 1m\n  x 1+\n", "t").ok());
}

}  // namespace
}  // namespace smoke::promql::testing
