#include "exporter/config/env_expander.h"

#include <cctype>
#include <cstdlib>

namespace smoke::config {
namespace {

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  if (!std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_') return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

core::Result<std::string> ExpandEnv(std::string_view text, const EnvLookup& getenv) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '$' || i + 1 >= text.size()) {
      out += text[i++];
      continue;
    }
    if (text[i + 1] == '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (text[i + 1] != '{') {
      out += text[i++];
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return core::Status::Error("unterminated \"${\" in \"" + std::string(text) +
                                 "\" (write $$ for a literal $)");
    }
    const std::string_view inner = text.substr(i + 2, close - i - 2);
    const size_t sep = inner.find(":-");
    const std::string_view name = inner.substr(0, sep);
    if (!IsValidName(name)) {
      return core::Status::Error("invalid environment variable reference \"${" +
                                 std::string(inner) + "}\" (names match [A-Za-z_][A-Za-z0-9_]*)");
    }
    std::optional<std::string> value = getenv ? getenv(std::string(name)) : std::nullopt;
    if (sep != std::string_view::npos) {
      // Shell semantics of ":-": the default also replaces an empty value.
      if (!value || value->empty()) value = std::string(inner.substr(sep + 2));
    } else if (!value) {
      return core::Status::Error("environment variable \"" + std::string(name) +
                                 "\" is not set (use ${" + std::string(name) +
                                 ":-default} to give a default)");
    }
    out += *value;
    i = close + 1;
  }
  return out;
}

}  // namespace smoke::config
