#include "exporter/core/json_path.h"

#include <cctype>

namespace smoke::core {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

Status ErrorAt(std::string_view path, size_t i, std::string_view expected) {
  return Status::Error("invalid JSON path \"" + std::string(path) + "\" at column " +
                       std::to_string(i + 1) + ": expected " + std::string(expected));
}

}  // namespace

Result<JsonPath> ParseJsonPath(std::string_view path) {
  JsonPath out;
  if (path.empty() || path[0] != '$') return ErrorAt(path, 0, "'$' at the start");
  size_t i = 1;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      size_t start = i;
      while (i < path.size() && IsIdentChar(path[i])) ++i;
      if (i == start) return ErrorAt(path, i, "a key name after '.'");
      out.push_back({JsonPathSegment::Kind::kKey, std::string(path.substr(start, i - start)), 0});
    } else if (path[i] == '[') {
      ++i;
      if (i < path.size() && (path[i] == '\'' || path[i] == '"')) {
        const char quote = path[i++];
        std::string key;
        while (i < path.size() && path[i] != quote) {
          if (path[i] == '\\' && i + 1 < path.size()) ++i;
          key += path[i++];
        }
        if (i >= path.size()) return ErrorAt(path, i, std::string("closing ") + quote);
        ++i;
        out.push_back({JsonPathSegment::Kind::kKey, key, 0});
      } else {
        size_t start = i;
        if (i < path.size() && path[i] == '-') ++i;
        while (i < path.size() && std::isdigit(static_cast<unsigned char>(path[i]))) ++i;
        std::string_view digits = path.substr(start, i - start);
        if (digits.empty() || digits == "-" || digits.size() > 12) {
          return ErrorAt(path, start, "an array index or a quoted key inside '[ ]'");
        }
        out.push_back({JsonPathSegment::Kind::kIndex, "", std::stoll(std::string(digits))});
      }
      if (i >= path.size() || path[i] != ']') return ErrorAt(path, i, "']'");
      ++i;
    } else {
      return ErrorAt(path, i, "'.' or '['");
    }
  }
  return out;
}

std::string FormatJsonPath(const JsonPath& path) {
  std::string out = "$";
  for (const JsonPathSegment& s : path) {
    if (s.kind == JsonPathSegment::Kind::kIndex) {
      out += "[" + std::to_string(s.index) + "]";
      continue;
    }
    bool plain = !s.key.empty();
    for (char c : s.key) plain = plain && IsIdentChar(c);
    if (plain) {
      out += "." + s.key;
    } else {
      out += "['";
      for (char c : s.key) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
      }
      out += "']";
    }
  }
  return out;
}

}  // namespace smoke::core
