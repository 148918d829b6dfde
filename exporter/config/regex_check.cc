#include "exporter/config/regex_check.h"

#include <re2/re2.h>

#include "exporter/config/yaml_reader.h"

namespace smoke::config {

std::optional<std::string> RegexError(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);  // the error is returned to the user, not logged by RE2
  RE2 re(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (re.ok()) return std::nullopt;
  return re.error();
}

std::optional<std::string> ReadRegex(const YamlNode& node, const std::string& what,
                                     Diagnostics& diag) {
  std::optional<std::string> pattern = ReadString(node, what, diag);
  if (!pattern) return std::nullopt;
  if (std::optional<std::string> error = RegexError(*pattern)) {
    diag.Error(node.mark, "invalid regular expression for " + what + ": " + *error);
    return std::nullopt;
  }
  return pattern;
}

}  // namespace smoke::config
