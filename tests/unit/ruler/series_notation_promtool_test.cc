// Differential test: the same series strings through our parser and through Prometheus 2.42's
// (`promtool test rules`). Valid strings must expand to the same samples (checked by querying the
// series at every step), invalid ones must be rejected by both with the same message at the same
// position. promtool comes from the Debian package `prometheus`; without it the test fails in CI
// (env CI set) and is skipped elsewhere.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "exporter/promql/quote.h"
#include "exporter/ruler/series_notation.h"
#include "tests/support/shell.h"
#include "tests/support/temp_dir.h"

namespace smoke::ruler {
namespace {

constexpr const char* kPromtool = "/usr/bin/promtool";

#define SKIP_OR_FAIL_WITHOUT_PROMTOOL()                                                    \
  if (access(kPromtool, X_OK) != 0) {                                                      \
    if (std::getenv("CI") != nullptr) FAIL() << kPromtool << " is required in CI";         \
    GTEST_SKIP() << kPromtool << " not found (Debian package 'prometheus'): not compared"; \
  }

// A YAML single-quoted scalar.
std::string YamlQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string YamlFloat(double v) {
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  return promql::FormatGoFloat(v);
}

// Runs promtool on `test_file` (in `dir`, next to an empty rule file); returns its output.
std::string RunPromtool(const testing::TempDir& dir, const std::string& test_file, int* status) {
  dir.Write("empty.rules.yml", "groups: []\n");
  const std::string path = dir.Write("series.test.yml", test_file);
  return testing::Shell("cd " + testing::ShellQuote(dir.path().string()) + " && " + kPromtool +
                            " test rules series.test.yml 2>&1",
                        status);
}

TEST(SeriesNotationPromtoolTest, ValidStringsExpandToTheSameSamples) {
  SKIP_OR_FAIL_WITHOUT_PROMTOOL();
  // NaN is left out: promtool cannot compare an expected NaN.
  const std::vector<std::string> inputs = {
      "1",
      "1 2 3",
      "0+10x3",
      "-2+4x3",
      "1-2x4",
      "1x4",
      "5x0",
      "1 _x3 stale",
      "_ 7",
      "_x0 4",
      "_ _ 2",
      "+3 -3 .5 1.5e3 1e-3",
      "Inf -inf +INF",
      "010 08 0.10",
      "0x2",
      "1e3x1",
      "1.5+0.5x2",
      "1 stale 2",
      "inf+1x1",
      "1x2 _x1 3-1x1",
      "  1\t2  ",
      "0+0.1x10",
  };
  // Samples 10m apart, more than the 5m lookback: at step i the query `m` sees sample i or,
  // if it is missing or stale, nothing.
  std::string file = "rule_files: [empty.rules.yml]\ntests:\n";
  for (size_t c = 0; c < inputs.size(); ++c) {
    core::Result<std::vector<SequenceValue>> values = ParseSeriesValues(inputs[c]);
    ASSERT_TRUE(values.ok()) << inputs[c] << ": " << values.status().message();
    file +=
        "- name: " + YamlQuote(inputs[c]) +
        "\n  interval: 10m\n  input_series:\n  - series: m\n    values: " + YamlQuote(inputs[c]) +
        "\n  promql_expr_test:\n";
    for (size_t i = 0; i <= values->size(); ++i) {
      file += "  - expr: m\n    eval_time: " + std::to_string(i * 10) + "m\n    exp_samples:";
      if (i < values->size() && !(*values)[i].omitted && !(*values)[i].stale()) {
        file += "\n    - labels: m\n      value: " + YamlFloat((*values)[i].value) + "\n";
      } else {
        file += " []\n";
      }
    }
  }
  testing::TempDir dir;
  int status = 0;
  const std::string out = RunPromtool(dir, file, &status);
  EXPECT_EQ(status, 0) << "promtool expands differently:\n" << out;
}

TEST(SeriesNotationPromtoolTest, InvalidStringsAreRejectedByBothWithTheSameMessage) {
  SKIP_OR_FAIL_WITHOUT_PROMTOOL();
  const std::vector<std::string> inputs = {
      "1+2",   "1 x3",    "foo",        "1x",      "1x1.5",   "{{schema:1}}",
      "1a",    "stalex2", "STALE",      "_ x3",    "1 2 + 3", "sum",
      "1x2x3", "-",       "1,2",        "10+-1x2", "1_",      "__",
      "_+1x2", "1e",      "1 \xc3\xa9", "1 by",
  };
  testing::TempDir dir;
  for (const std::string& input : inputs) {
    core::Result<std::vector<SequenceValue>> ours = ParseSeriesValues(input);
    ASSERT_FALSE(ours.ok()) << "we accept \"" << input << "\"";
    int status = 0;
    const std::string out =
        RunPromtool(dir,
                    "rule_files: [empty.rules.yml]\ntests:\n- interval: 1m\n  input_series:\n"
                    "  - series: m\n    values: " +
                        YamlQuote(input) + "\n",
                    &status);
    EXPECT_NE(status, 0) << "promtool accepts \"" << input << "\"";
    // promtool parses "m " + values, so its columns on line 1 are 2 further right.
    const std::string& message = ours.status().message();
    const size_t colon = message.find(':');
    const size_t second = message.find(':', colon + 1);
    ASSERT_NE(second, std::string::npos) << message;
    const int col = std::stoi(message.substr(colon + 1, second - colon - 1));
    const std::string theirs = "1:" + std::to_string(col + 2) + message.substr(second);
    EXPECT_NE(out.find(theirs), std::string::npos)
        << "\"" << input << "\": we say\n  " << theirs << "\npromtool says\n"
        << out;
  }
}

}  // namespace
}  // namespace smoke::ruler
