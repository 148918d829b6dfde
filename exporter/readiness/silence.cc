#include "exporter/readiness/silence.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace smoke::readiness {
namespace {

using nlohmann::json;

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

core::Result<std::string> StringField(const json& obj, const char* key, bool required) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return core::Status::Error(std::string("missing \"") + key + "\"");
    return std::string();
  }
  if (!it->is_string()) return core::Status::Error(std::string("\"") + key + "\" is not a string");
  return it->get<std::string>();
}

core::Result<bool> BoolField(const json& obj, const char* key, bool fallback) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return fallback;
  if (!it->is_boolean())
    return core::Status::Error(std::string("\"") + key + "\" is not a boolean");
  return it->get<bool>();
}

}  // namespace

core::Result<int64_t> ParseRfc3339Ms(std::string_view s) {
  const auto bad = [&] {
    return core::Status::Error("invalid RFC 3339 time \"" + std::string(s) + "\"");
  };
  int year, month, day, hour, minute, second;
  if (!Digits(s, 0, 4, &year) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, &month) ||
      s[7] != '-' || !Digits(s, 8, 2, &day) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, &hour) || s[13] != ':' || !Digits(s, 14, 2, &minute) || s[16] != ':' ||
      !Digits(s, 17, 2, &second)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return bad();
  }
  size_t pos = 19;
  int64_t ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100;
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return bad();
  }
  int64_t offset_s = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &om)) {
      return bad();
    }
    offset_s = (oh * 3600 + om * 60) * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const int64_t secs = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return secs * 1000 + ms;
}

bool IsActive(const Silence& silence, int64_t now_ms) {
  return silence.state != "expired" && silence.starts_at_ms <= now_ms &&
         now_ms < silence.ends_at_ms;
}

core::Result<MatcherSet> SilenceMatchers(const Silence& silence) {
  if (silence.matchers.empty()) return core::Status::Error("silence has no matchers");
  MatcherSet set;
  for (const SilenceMatcher& m : silence.matchers) {
    promql::MatchType type;
    if (m.is_regex) {
      type = m.is_equal ? promql::MatchType::kRegexMatch : promql::MatchType::kRegexNoMatch;
    } else {
      type = m.is_equal ? promql::MatchType::kEqual : promql::MatchType::kNotEqual;
    }
    core::Result<promql::LabelMatcher> lm = promql::LabelMatcher::Create(type, m.name, m.value);
    if (!lm.ok()) return lm.status();
    set.push_back(std::move(lm).value());
  }
  return set;
}

bool SilenceMatches(const Silence& silence, const LabelMap& labels) {
  core::Result<MatcherSet> set = SilenceMatchers(silence);
  return set.ok() && MatchesAll(*set, labels);
}

core::Result<std::vector<Silence>> ParseSilences(std::string_view body) {
  const json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return core::Status::Error("the silences answer is not JSON");
  if (!doc.is_array()) return core::Status::Error("the silences answer is not a JSON array");
  std::vector<Silence> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    const json& item = doc[i];
    const auto fail = [&](const core::Status& st) {
      return core::Status::Error("silence #" + std::to_string(i + 1) + ": " + st.message());
    };
    if (!item.is_object()) return fail(core::Status::Error("not an object"));
    Silence s;
    core::Result<std::string> id = StringField(item, "id", true);
    if (!id.ok()) return fail(id.status());
    s.id = *id;
    core::Result<std::string> by = StringField(item, "createdBy", false);
    if (!by.ok()) return fail(by.status());
    s.created_by = *by;
    core::Result<std::string> comment = StringField(item, "comment", false);
    if (!comment.ok()) return fail(comment.status());
    s.comment = *comment;
    if (auto st = item.find("status"); st != item.end() && st->is_object()) {
      core::Result<std::string> state = StringField(*st, "state", false);
      if (!state.ok()) return fail(state.status());
      s.state = *state;
    }
    for (const char* key : {"startsAt", "endsAt"}) {
      core::Result<std::string> text = StringField(item, key, true);
      if (!text.ok()) return fail(text.status());
      core::Result<int64_t> ms = ParseRfc3339Ms(*text);
      if (!ms.ok()) return fail(ms.status());
      (std::string_view(key) == "startsAt" ? s.starts_at_ms : s.ends_at_ms) = *ms;
    }
    auto matchers = item.find("matchers");
    if (matchers == item.end() || !matchers->is_array()) {
      return fail(core::Status::Error("\"matchers\" is not an array"));
    }
    for (const json& m : *matchers) {
      if (!m.is_object()) return fail(core::Status::Error("a matcher is not an object"));
      SilenceMatcher sm;
      core::Result<std::string> name = StringField(m, "name", true);
      if (!name.ok()) return fail(name.status());
      core::Result<std::string> value = StringField(m, "value", true);
      if (!value.ok()) return fail(value.status());
      core::Result<bool> is_regex = BoolField(m, "isRegex", false);
      if (!is_regex.ok()) return fail(is_regex.status());
      core::Result<bool> is_equal = BoolField(m, "isEqual", true);
      if (!is_equal.ok()) return fail(is_equal.status());
      sm.name = *name;
      sm.value = *value;
      sm.is_regex = *is_regex;
      sm.is_equal = *is_equal;
      s.matchers.push_back(std::move(sm));
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace smoke::readiness
