#include "exporter/config/yaml_reader.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "exporter/config/did_you_mean.h"
#include "exporter/core/duration.h"

namespace smoke::config {
namespace {

// Reports "expected <type> for <what>, got <...>"; skips nodes whose error is already reported.
void TypeError(const YamlNode& node, std::string_view type, const std::string& what,
               Diagnostics& diag) {
  if (node.poisoned) return;
  diag.Error(node.mark,
             "expected " + std::string(type) + " for " + what + ", got " + node.Describe());
}

// Scalar text, or nullopt after reporting a non-scalar (or staying quiet for a poisoned one).
std::optional<std::string> ScalarText(const YamlNode& node, std::string_view type,
                                      const std::string& what, Diagnostics& diag) {
  if (node.poisoned) return std::nullopt;
  if (!node.IsScalar()) {
    TypeError(node, type, what, diag);
    return std::nullopt;
  }
  return node.scalar;
}

}  // namespace

std::string Quote(std::string_view key) { return "\"" + std::string(key) + "\""; }

std::optional<std::string> ReadString(const YamlNode& node, const std::string& what,
                                      Diagnostics& diag) {
  return ScalarText(node, "a string", what, diag);
}

std::optional<core::Duration> ReadDuration(const YamlNode& node, const std::string& what,
                                           Diagnostics& diag) {
  constexpr std::string_view kType = "a duration (e.g. 15s, 1m30s)";
  std::optional<std::string> text = ScalarText(node, kType, what, diag);
  if (!text) return std::nullopt;
  core::Result<core::Duration> d = core::ParseDuration(*text);
  if (!d.ok()) {
    TypeError(node, kType, what, diag);
    return std::nullopt;
  }
  if (d->count() <= 0) {
    diag.Error(node.mark, what + " must be greater than 0, got " + node.Describe());
    return std::nullopt;
  }
  return *d;
}

std::optional<int64_t> ReadInt(const YamlNode& node, const std::string& what, Diagnostics& diag) {
  std::optional<std::string> text = ScalarText(node, "an integer", what, diag);
  if (!text) return std::nullopt;
  const std::string& s = *text;
  size_t digits_start = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  bool valid = s.size() > digits_start && std::all_of(s.begin() + digits_start, s.end(),
                                                      [](char c) { return c >= '0' && c <= '9'; });
  if (valid) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    if (errno == 0) return static_cast<int64_t>(v);
  }
  TypeError(node, "an integer", what, diag);
  return std::nullopt;
}

std::optional<double> ReadNumber(const YamlNode& node, const std::string& what, Diagnostics& diag) {
  std::optional<std::string> text = ScalarText(node, "a number", what, diag);
  if (!text) return std::nullopt;
  const std::string& s = *text;
  // strtod alone would accept "inf", "nan" and hex floats, none of which belong in a config.
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
  });
  if (plain) {
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (errno == 0 && end == s.c_str() + s.size()) return v;
  }
  TypeError(node, "a number", what, diag);
  return std::nullopt;
}

std::optional<bool> ReadBool(const YamlNode& node, const std::string& what, Diagnostics& diag) {
  std::optional<std::string> text = ScalarText(node, "true or false", what, diag);
  if (!text) return std::nullopt;
  if (*text == "true" || *text == "True" || *text == "TRUE") return true;
  if (*text == "false" || *text == "False" || *text == "FALSE") return false;
  TypeError(node, "true or false", what, diag);
  return std::nullopt;
}

std::optional<std::string> ReadEnum(const YamlNode& node, const std::string& what,
                                    const std::vector<std::string>& allowed, Diagnostics& diag) {
  std::optional<std::string> text = ScalarText(node, "a string", what, diag);
  if (!text) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *text) != allowed.end()) return text;
  diag.Error(node.mark, "invalid value " + node.Describe() + " for " + what +
                            " (expected one of: " + JoinNames(allowed) + ")" +
                            DidYouMean(*text, allowed));
  return std::nullopt;
}

bool CheckMap(const YamlNode& node, const std::string& what, Diagnostics& diag) {
  if (node.IsMap() || node.IsNull()) return true;
  TypeError(node, "a mapping", what, diag);
  return false;
}

bool CheckSequence(const YamlNode& node, const std::string& what, Diagnostics& diag) {
  if (node.IsSequence() || node.IsNull()) return true;
  TypeError(node, "a sequence", what, diag);
  return false;
}

MapReader::MapReader(const YamlNode& node, std::string what, std::vector<std::string> allowed,
                     Diagnostics& diag, const std::map<std::string, std::string>& hints)
    : node_(node), diag_(diag) {
  std::sort(allowed.begin(), allowed.end());
  for (const YamlEntry& e : node_.entries) {
    if (std::binary_search(allowed.begin(), allowed.end(), e.key)) continue;
    std::string message = "unknown key " + Quote(e.key) + " in " + what +
                          " (expected one of: " + JoinNames(allowed) + ")";
    auto hint = hints.find(e.key);
    message += hint != hints.end() ? " \xE2\x80\x94 " + hint->second : DidYouMean(e.key, allowed);
    diag_.Error(e.key_mark, message);
  }
}

const YamlNode* MapReader::Get(std::string_view key) const {
  const YamlEntry* e = node_.Find(key);
  return e ? e->value.get() : nullptr;
}

Mark MapReader::KeyMark(std::string_view key) const {
  const YamlEntry* e = node_.Find(key);
  return e ? e->key_mark : node_.mark;
}

Mark MapReader::ValueMark(std::string_view key) const {
  const YamlNode* v = Get(key);
  return v ? v->mark : node_.mark;
}

std::optional<std::string> MapReader::String(std::string_view key) const {
  const YamlNode* v = Get(key);
  return v ? ReadString(*v, Quote(key), diag_) : std::nullopt;
}

std::optional<core::Duration> MapReader::Duration(std::string_view key) const {
  const YamlNode* v = Get(key);
  return v ? ReadDuration(*v, Quote(key), diag_) : std::nullopt;
}

std::optional<int64_t> MapReader::Int(std::string_view key) const {
  const YamlNode* v = Get(key);
  return v ? ReadInt(*v, Quote(key), diag_) : std::nullopt;
}

std::optional<double> MapReader::Number(std::string_view key) const {
  const YamlNode* v = Get(key);
  return v ? ReadNumber(*v, Quote(key), diag_) : std::nullopt;
}

std::optional<bool> MapReader::Bool(std::string_view key) const {
  const YamlNode* v = Get(key);
  return v ? ReadBool(*v, Quote(key), diag_) : std::nullopt;
}

std::optional<std::string> MapReader::Enum(std::string_view key,
                                           const std::vector<std::string>& allowed) const {
  const YamlNode* v = Get(key);
  return v ? ReadEnum(*v, Quote(key), allowed, diag_) : std::nullopt;
}

const YamlNode* MapReader::Map(std::string_view key) const {
  const YamlNode* v = Get(key);
  if (v == nullptr || !CheckMap(*v, Quote(key), diag_) || v->IsNull()) return nullptr;
  return v;
}

const YamlNode* MapReader::Sequence(std::string_view key) const {
  const YamlNode* v = Get(key);
  if (v == nullptr || !CheckSequence(*v, Quote(key), diag_) || v->IsNull()) return nullptr;
  return v;
}

}  // namespace smoke::config
