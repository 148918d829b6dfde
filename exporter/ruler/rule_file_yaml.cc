#include "exporter/ruler/rule_file_yaml.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "exporter/config/did_you_mean.h"
#include "exporter/config/yaml_reader.h"
#include "exporter/promql/duration.h"
#include "exporter/promql/quote.h"

namespace smoke::ruler {
namespace {

using config::Diagnostics;
using config::Mark;
using config::YamlEntry;
using config::YamlNode;
using config::YamlNodePtr;

}  // namespace

YamlNodePtr ParseFirstYamlDocument(const std::string& text, Diagnostics& diag) {
  // Go's YAML decoder rejects invalid UTF-8; yaml-cpp would pass the bytes on into names.
  Mark at{1, 1};
  for (size_t i = 0; i < text.size();) {
    int width = 0;
    if (promql::DecodeRune(text, i, &width) == promql::kRuneError && width <= 1) {
      diag.Error(at, "invalid UTF-8 in the file");
      return nullptr;
    }
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
    i += static_cast<size_t>(width);
  }
  config::YamlParseOptions how;
  how.single_document = false;  // later documents are ignored, as Prometheus's decoder does
  how.go_messages = true;
  how.subject = "file";
  return config::ParseYamlWith(text, how, diag);
}

void YamlFieldReader::Error(Mark at, const std::string& context, const std::string& message) {
  diag_.Error(at, context.empty() ? message : context + ": " + message);
}

void YamlFieldReader::Warning(Mark at, const std::string& context, const std::string& message) {
  diag_.Warning(at, context.empty() ? message : context + ": " + message);
}

void YamlFieldReader::TypeError(const YamlNode& node, const std::string& type,
                                const std::string& what, const std::string& context) {
  Error(node.mark, context, "expected " + type + " for " + what + ", got " + node.Describe());
}

void YamlFieldReader::CheckKeys(const YamlNode& map, const std::vector<std::string>& allowed,
                                const std::string& context,
                                const std::map<std::string, std::string>& hints) {
  for (const YamlEntry& e : map.entries) {
    if (std::find(allowed.begin(), allowed.end(), e.key) != allowed.end()) continue;
    std::string message = "unknown key " + config::Quote(e.key) +
                          " (expected one of: " + config::JoinNames(allowed) + ")";
    auto hint = hints.find(e.key);
    message +=
        hint != hints.end() ? " \xE2\x80\x94 " + hint->second : config::DidYouMean(e.key, allowed);
    Error(e.key_mark, context, message);
  }
}

std::optional<std::string> YamlFieldReader::String(const YamlNode& node, const std::string& what,
                                                   const std::string& context) {
  if (node.IsNull()) return std::string();
  if (!node.IsScalar()) {
    TypeError(node, "a string", what, context);
    return std::nullopt;
  }
  return node.scalar;
}

std::optional<core::Duration> YamlFieldReader::Duration(const YamlNode& node,
                                                        const std::string& what,
                                                        const std::string& context, bool* set) {
  if (set) *set = false;
  if (node.IsNull()) return core::Duration(0);
  if (!node.IsScalar()) {
    TypeError(node, "a duration (e.g. 5m, 1h30m)", what, context);
    return std::nullopt;
  }
  core::Result<core::Duration> d = promql::ParseModelDuration(node.scalar);
  if (!d.ok()) {
    Error(node.mark, context, "invalid " + what + ": " + d.status().message());
    return std::nullopt;
  }
  if (set) *set = true;
  return *d;
}

std::optional<int64_t> YamlFieldReader::Int(const YamlNode& node, const std::string& what,
                                            const std::string& context) {
  if (node.IsNull()) return 0;
  if (node.IsScalar()) {
    const std::string& s = node.scalar;
    const size_t digits = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    const bool valid = s.size() > digits && std::all_of(s.begin() + digits, s.end(), [](char c) {
                         return c >= '0' && c <= '9';
                       });
    if (valid) {
      errno = 0;
      const long long v = std::strtoll(s.c_str(), nullptr, 10);
      if (errno == 0) return static_cast<int64_t>(v);
    }
  }
  TypeError(node, "an integer", what, context);
  return std::nullopt;
}

std::optional<double> YamlFieldReader::Float(const YamlNode& node, const std::string& what,
                                             const std::string& context) {
  if (node.IsNull()) return 0.0;
  if (node.IsScalar()) {
    std::string s = node.scalar;
    const bool negative = !s.empty() && s[0] == '-';
    const std::string unsigned_part =
        (!s.empty() && (s[0] == '-' || s[0] == '+')) ? s.substr(1) : s;
    if (unsigned_part == ".inf" || unsigned_part == ".Inf" || unsigned_part == ".INF") {
      return negative ? -HUGE_VAL : HUGE_VAL;
    }
    if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::nan("");
    // strtod alone would also take "inf", "nan" and hexadecimal, which YAML does not.
    const bool plain =
        !unsigned_part.empty() &&
        std::all_of(unsigned_part.begin(), unsigned_part.end(), [](char c) {
          return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
        });
    if (plain) {
      errno = 0;
      char* end = nullptr;
      const double v = std::strtod(s.c_str(), &end);
      if (errno == 0 && end == s.c_str() + s.size()) return v;
    }
  }
  TypeError(node, "a number", what, context);
  return std::nullopt;
}

std::optional<bool> YamlFieldReader::Bool(const YamlNode& node, const std::string& what,
                                          const std::string& context) {
  if (node.IsNull()) return false;
  if (node.IsScalar()) {
    const std::string& s = node.scalar;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  TypeError(node, "true or false", what, context);
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlFieldReader::Strings(const YamlNode& node,
                                                                 const std::string& what,
                                                                 const std::string& context) {
  std::vector<std::string> out;
  if (node.IsNull()) return out;
  if (!node.IsSequence()) {
    TypeError(node, "a sequence of strings", what, context);
    return std::nullopt;
  }
  bool ok = true;
  for (const config::YamlNodePtr& item : node.items) {
    std::optional<std::string> s = String(*item, "an item of " + what, context);
    if (s) {
      out.push_back(std::move(*s));
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace smoke::ruler
