#include "exporter/ruler/rules_test_command.h"

#include <filesystem>
#include <system_error>

namespace smoke::ruler {
namespace {

// filepath.Base: the last element, trailing slashes ignored ("/tmp/" -> "tmp").
std::string GoBase(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.empty()) return ".";
  if (path == "/") return path;
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// promtool's arguments must be existing files (kingpin's ExistingFiles); "" if `path` is one.
std::string CheckExistingFile(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) return "path '" + path + "' does not exist";
  if (std::filesystem::is_directory(st)) return "'" + GoBase(path) + "' is a directory";
  return "";
}

}  // namespace

int RunRulesTest(const std::vector<std::string>& files, const RulesTestOptions& options,
                 std::ostream& out, std::ostream& err) {
  for (const std::string& path : files) {
    if (std::string problem = CheckExistingFile(path); !problem.empty()) {
      err << options.program_name << ": error: " << problem << ", try --help\n";
      return kRulesTestFailed;
    }
  }
  bool failed = false;
  for (const std::string& path : files) {
    out << "Unit Testing:  " << path << "\n";
    out.flush();
    const UnitTestFileResult result = RunUnitTestFile(path, options.run);
    for (const std::string& w : result.warnings) err << "  WARNING: " << w << "\n";
    if (result.ok()) {
      err.flush();
      out << "  SUCCESS\n";
    } else {
      failed = true;
      // promtool writes the failures to stderr and an empty line after each to stdout.
      err << "  FAILED:\n";
      for (const UnitTestFailure& f : result.failures) {
        err << f.message << "\n";
        err.flush();
        out << "\n";
        out.flush();
      }
    }
    out << "\n";
    out.flush();
  }
  return failed ? kRulesTestFailed : kRulesTestOk;
}

}  // namespace smoke::ruler
