#include "exporter/probes/redis_info.h"

#include <charconv>
#include <cstdlib>

namespace smoke::probes {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  return s;
}

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// "db12" -> 12; nullopt for anything else.
std::optional<int64_t> DbIndex(std::string_view name) {
  if (name.size() < 3 || name.substr(0, 2) != "db") return std::nullopt;
  return ParseInt(name.substr(2));
}

}  // namespace

std::optional<RedisKeyspaceDb> ParseKeyspaceValue(int64_t db, std::string_view value) {
  RedisKeyspaceDb out;
  out.db = db;
  bool has_keys = false;
  while (!value.empty()) {
    const size_t comma = value.find(',');
    const std::string_view pair = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = pair.substr(0, eq);
    int64_t* slot = name == "keys"      ? &out.keys
                    : name == "expires" ? &out.expires
                    : name == "avg_ttl" ? &out.avg_ttl
                                        : nullptr;
    if (slot == nullptr) continue;
    std::optional<int64_t> v = ParseInt(pair.substr(eq + 1));
    if (!v) return std::nullopt;
    *slot = *v;
    has_keys = has_keys || name == "keys";
  }
  if (!has_keys) return std::nullopt;
  return out;
}

RedisInfo RedisInfo::Parse(std::string_view text) {
  RedisInfo info;
  std::string section;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) continue;
    if (line[0] == '#') {
      section = std::string(Trim(line.substr(1)));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = line.substr(colon + 1);
    if (std::optional<int64_t> db = DbIndex(name)) {
      if (std::optional<RedisKeyspaceDb> entry = ParseKeyspaceValue(*db, value)) {
        info.keyspace_.push_back(*entry);
      }
    }
    // Redis never repeats a field; if a proxy did, the first occurrence wins.
    info.fields_.emplace(std::string(name), Field{std::string(value), section});
  }
  return info;
}

std::optional<std::string> RedisInfo::Get(std::string_view field) const {
  auto it = fields_.find(field);
  if (it == fields_.end()) return std::nullopt;
  return it->second.value;
}

std::optional<double> RedisInfo::Number(std::string_view field) const {
  auto it = fields_.find(field);
  if (it == fields_.end() || it->second.value.empty()) return std::nullopt;
  const std::string& s = it->second.value;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

std::string RedisInfo::SectionOf(std::string_view field) const {
  auto it = fields_.find(field);
  return it == fields_.end() ? "" : it->second.section;
}

const RedisKeyspaceDb* RedisInfo::Db(int64_t db) const {
  for (const RedisKeyspaceDb& entry : keyspace_) {
    if (entry.db == db) return &entry;
  }
  return nullptr;
}

std::optional<double> RedisInfo::HitRatio() const {
  const std::optional<double> hits = Number("keyspace_hits");
  const std::optional<double> misses = Number("keyspace_misses");
  if (!hits || !misses || *hits + *misses <= 0) return std::nullopt;
  return *hits / (*hits + *misses);
}

}  // namespace smoke::probes
