#pragma once
// `smoke_exporter rules test FILE...`: runs promtool unit-test files (unit_test_runner.h) with the
// output and exit codes of `promtool test rules`, so CI scripts written for promtool work
// unchanged:
//   Unit Testing:  rules/tests/api.test.yml
//     SUCCESS
//
//   Unit Testing:  rules/tests/broken.test.yml
//     FAILED:                                  (this line and the failures on stderr)
//       alertname: ApiDown, time: 5m,
//           exp:[], ...
// Each failure is followed by an empty line on stdout, and each file by another. Warnings
// ("  WARNING: no file match pattern P") go to stderr. A path that does not exist or is a
// directory stops everything before any file runs, as promtool's argument check does.
// Exit codes: 0 every test passed, 1 any test failed or any file could not be run.
// Thread-safety: reentrant; writes only to the given streams.

#include <ostream>
#include <string>
#include <vector>

#include "exporter/ruler/unit_test_runner.h"

namespace smoke::ruler {

struct RulesTestOptions {
  UnitTestRunOptions run;
  std::string program_name = "smoke_exporter";  // in argument errors, as promtool's
};

inline constexpr int kRulesTestOk = 0;
inline constexpr int kRulesTestFailed = 1;

int RunRulesTest(const std::vector<std::string>& files, const RulesTestOptions& options,
                 std::ostream& out, std::ostream& err);

}  // namespace smoke::ruler
