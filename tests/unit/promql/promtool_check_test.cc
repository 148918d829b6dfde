// Verifies the expectations of tests/testdata/promql/*.test against real Prometheus: every case
// that promtool can express (Prometheus 2 semantics, an instant vector or scalar result) is turned
// into a `promtool test rules` file and promtool's verdict is compared with the file. promtool is
// installed in CI from the Debian package `prometheus`; without it the test is skipped.

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "exporter/promql/quote.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/promql/promtool_converter.h"

namespace smoke::promql::testing {
namespace {

constexpr const char* kPromtool = "/usr/bin/promtool";

bool SameSamples(std::vector<ExpectedSample> a, std::vector<ExpectedSample> b, bool* exact) {
  auto by_labels = [](const ExpectedSample& x, const ExpectedSample& y) {
    return x.labels < y.labels;
  };
  std::sort(a.begin(), a.end(), by_labels);
  std::sort(b.begin(), b.end(), by_labels);
  if (a.size() != b.size()) return false;
  *exact = true;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].labels != b[i].labels) return false;
    if (SameValue(a[i].value, b[i].value)) continue;
    // promtool loads series in random (Go map) order, so sums over several series can differ in
    // the last bits from run to run; accept that, but count it.
    const double scale = std::max(std::fabs(a[i].value), std::fabs(b[i].value));
    if (!(std::fabs(a[i].value - b[i].value) <= 1e-12 * scale)) return false;
    *exact = false;
  }
  return true;
}

std::string Describe(const std::vector<ExpectedSample>& v) {
  std::string out;
  for (const auto& s : v) out += " " + s.labels.ToString() + " " + FormatGoFloat(s.value);
  return out.empty() ? " (none)" : out;
}

TEST(PromtoolCheckTest, ScriptExpectationsAgreeWithPrometheus) {
  if (access(kPromtool, X_OK) != 0) {
    GTEST_SKIP() << kPromtool << " not found (install the Debian package 'prometheus'): the "
                 << "expectations in tests/testdata/promql/*.test are not verified against "
                 << "Prometheus in this run";
  }
  smoke::testing::TempDir dir;
  size_t verified = 0, approximate = 0, unverifiable = 0, files = 0;
  std::vector<std::string> scripts;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(SMOKE_TESTDATA_DIR) + "/promql")) {
    if (e.path().extension() == ".test") scripts.push_back(e.path().string());
  }
  std::sort(scripts.begin(), scripts.end());
  for (const std::string& path : scripts) {
    auto script = LoadScript(path);
    ASSERT_TRUE(script.ok()) << script.status().message();
    for (size_t d = 0; d < script->datasets.size(); ++d) {
      std::vector<PromtoolCase> cases;
      for (const EvalCase& c : script->cases) {
        if (c.dataset != d) continue;
        std::vector<PromtoolCase> pc = ToPromtoolCases(c);
        if (pc.empty()) unverifiable++;
        cases.insert(cases.end(), pc.begin(), pc.end());
      }
      if (cases.empty()) continue;
      const std::string name =
          std::filesystem::path(path).stem().string() + "_" + std::to_string(d) + ".yml";
      const std::string file = dir.Write(name, ToPromtoolYaml(script->datasets[d], cases));
      files++;
      smoke::testing::Subprocess promtool({kPromtool, "test", "rules", file}, dir.path().string());
      const auto status = promtool.Wait(std::chrono::seconds(60));
      ASSERT_TRUE(status.has_value()) << "promtool hung on " << file;
      const std::string output = promtool.Stdout() + promtool.Stderr();
      auto failures = ParsePromtoolOutput(output);
      ASSERT_TRUE(failures.ok()) << failures.status().message() << "\n" << output;
      if (*status != 0 && failures->empty()) {
        ADD_FAILURE() << "promtool rejected " << name << ":\n" << output;
        continue;
      }
      std::map<std::pair<std::string, std::string>, const PromtoolFailure*> by_case;
      for (const PromtoolFailure& f : *failures) by_case[{f.expr, f.time_text}] = &f;
      for (const PromtoolCase& c : cases) {
        const std::string where = script->name + ":" + std::to_string(c.source->line) + " at " +
                                  c.time_text + ": " + c.source->expr;
        auto it = by_case.find({c.source->expr, c.time_text});
        if (it == by_case.end()) {
          // promtool found exactly the expected samples.
          EXPECT_FALSE(c.expect_fail) << where << ": Prometheus does not fail";
          if (!c.expect_fail) verified++;
          continue;
        }
        const PromtoolFailure& f = *it->second;
        if (c.expect_fail) {
          ASSERT_TRUE(f.error.has_value())
              << where << ": Prometheus does not fail, it returns" << Describe(f.got);
          // A message naming two series depends on the order promtool's storage returns them
          // in, which it randomises; such cases carry a regexp for this check.
          if (c.source->fail_regexp) {
            EXPECT_TRUE(RE2::PartialMatch(*f.error, *c.source->fail_regexp))
                << where << ": Prometheus fails with: " << *f.error;
          } else if (c.source->fail_message) {
            EXPECT_EQ(*f.error, *c.source->fail_message) << where;
          }
          verified++;
          continue;
        }
        if (f.error) {
          ADD_FAILURE() << where << ": Prometheus fails with: " << *f.error;
          continue;
        }
        bool exact = false;
        if (SameSamples(c.samples, f.got, &exact)) {
          (exact ? verified : approximate)++;
        } else {
          ADD_FAILURE() << where << "\n  file says:" << Describe(c.samples)
                        << "\n  Prometheus:" << Describe(f.got);
        }
      }
    }
  }
  std::cout << "[ promtool ] " << files << " promtool runs; " << verified
            << " evaluations verified exactly, " << approximate
            << " within 1e-12 (summation order), " << unverifiable
            << " cases not expressible in promtool\n";
}

}  // namespace
}  // namespace smoke::promql::testing
