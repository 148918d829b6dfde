#include "exporter/tsdb/exposition_parser.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>
#include <unordered_map>

#include "exporter/promql/quote.h"

namespace smoke::tsdb {
namespace {

// Prometheus's value.NormalNaN: the NaN a scrape stores, distinct from the staleness marker.
constexpr uint64_t kNormalNaNBits = 0x7ff8000000000001ULL;

bool IsMetricNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsMetricNameChar(char c) { return IsMetricNameStart(c) || IsDigit(c); }
bool IsLabelNameStart(char c) { return IsMetricNameStart(c) && c != ':'; }
bool IsLabelNameChar(char c) { return IsLabelNameStart(c) || IsDigit(c); }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    int width = 0;
    const uint32_t r = promql::DecodeRune(s, i, &width);
    // A literal U+FFFD is three bytes wide; an invalid byte decodes to it with width 1.
    if (r == promql::kRuneError && width == 1) return false;
    i += static_cast<size_t>(width);
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (x != b[i]) return false;
  }
  return true;
}

// Go's strconv.ParseFloat as promparse calls it: decimal syntax with an optional exponent, or
// inf/infinity/nan in any case; hex floats and '_' separators are refused.
std::optional<std::string> ParseValue(std::string_view s, double* out) {
  if (s.find_first_of("pP_") != std::string_view::npos) return "unsupported character in float";
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity")) {
    *out = negative ? -HUGE_VAL : HUGE_VAL;
    return std::nullopt;
  }
  if (body.size() == s.size() && EqualsIgnoreCase(body, "nan")) {
    *out = std::bit_cast<double>(kNormalNaNBits);
    return std::nullopt;
  }
  // from_chars would accept "inf"/"nan" spellings and a bare exponent differently from Go; check
  // the decimal shape first so that only it reaches from_chars.
  size_t i = 0, digits = 0;
  while (i < body.size() && IsDigit(body[i])) ++i, ++digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && IsDigit(body[i])) ++i, ++digits;
  }
  if (digits == 0) return "invalid syntax";
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '+' || body[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < body.size() && IsDigit(body[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return "invalid syntax";
  }
  if (i != body.size()) return "invalid syntax";
  double v = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports underflow and overflow alike; Go accepts underflow (it rounds to zero or
    // a denormal) and refuses overflow.
    const std::string copy(body);
    v = std::strtod(copy.c_str(), nullptr);
    if (v == HUGE_VAL) return "value out of range";
  } else if (ec != std::errc() || end != body.data() + body.size()) {
    return "invalid syntax";
  }
  *out = negative ? -v : v;
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  core::Result<ParsedExposition> Parse() {
    while (pos_ < text_.size()) {
      line_start_ = pos_;
      SkipBlanks();
      if (AtEol()) {
        NextLine();
        continue;
      }
      core::Status st = Peek() == '#' ? ParseCommentLine() : ParseSampleLine();
      if (!st.ok()) return st;
      NextLine();
    }
    return std::move(out_);
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\n'; }
  bool AtEol() const { return pos_ >= text_.size() || text_[pos_] == '\n'; }
  void SkipBlanks() {
    while (pos_ < text_.size() && IsBlank(text_[pos_])) ++pos_;
  }
  void SkipToEol() {
    while (!AtEol()) ++pos_;
  }
  void NextLine() {
    SkipToEol();
    if (pos_ < text_.size()) ++pos_;  // the '\n'
    ++line_;
  }

  // What stands at `at`, for "got ..." in messages: the next word, or the end of the line.
  std::string Got(size_t at) const {
    if (at >= text_.size()) return "end of input";
    if (text_[at] == '\n') return "end of line";
    size_t end = at;
    while (end < text_.size() && text_[end] != '\n' && !IsBlank(text_[end]) && end - at < 32) {
      ++end;
    }
    if (end == at) end = at + 1;  // a blank: show it
    return promql::GoQuote(text_.substr(at, end - at));
  }

  core::Status ErrorAt(size_t at, const std::string& message) const {
    return core::Status::Error("line " + std::to_string(line_) + ", column " +
                               std::to_string(at - line_start_ + 1) + ": " + message);
  }
  core::Status Expected(size_t at, const std::string& what) const {
    return ErrorAt(at, "expected " + what + ", got " + Got(at));
  }

  std::string_view ReadWhile(bool (*pred)(char)) {
    const size_t start = pos_;
    while (pos_ < text_.size() && pred(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  // `# HELP`, `# TYPE`, or any other comment. As in promlex, HELP/TYPE need a blank after `#`
  // and after the keyword; otherwise the line is an ordinary comment.
  core::Status ParseCommentLine() {
    ++pos_;  // '#'
    if (!IsBlank(Peek())) return core::Status::Ok();
    SkipBlanks();
    const std::string_view rest = text_.substr(pos_);
    const bool help = rest.starts_with("HELP");
    const bool type = rest.starts_with("TYPE");
    if ((!help && !type) || rest.size() < 5 || !IsBlank(rest[4])) return core::Status::Ok();
    const char* keyword = help ? "HELP" : "TYPE";
    pos_ += 4;
    SkipBlanks();
    const size_t name_at = pos_;
    if (!IsMetricNameStart(Peek())) {
      return Expected(pos_, std::string("metric name after ") + keyword);
    }
    const std::string name(ReadWhile(IsMetricNameChar));
    if (!AtEol() && !IsBlank(Peek())) {
      return Expected(pos_, std::string("blank after metric name in ") + keyword);
    }
    // promparse drops exactly one character (the blank) before the text.
    if (!AtEol()) ++pos_;
    const size_t text_at = pos_;
    SkipToEol();
    const std::string_view text = text_.substr(text_at, pos_ - text_at);
    return help ? AddHelp(name, name_at, text, text_at) : AddType(name, name_at, text, text_at);
  }

  ExpositionFamily& FamilyFor(const std::string& name) {
    auto [it, inserted] = family_index_.emplace(name, out_.families.size());
    if (inserted) out_.families.push_back(ExpositionFamily{name, "untyped", ""});
    return out_.families[it->second];
  }

  core::Status AddHelp(const std::string& name, size_t name_at, std::string_view text,
                       size_t text_at) {
    if (!helped_.insert(name).second) {
      return ErrorAt(name_at, "second HELP line for metric name " + promql::GoQuote(name));
    }
    std::string help;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == '\\' || text[i + 1] == 'n')) {
        help += text[i + 1] == 'n' ? '\n' : '\\';
        ++i;
      } else {
        help += text[i];
      }
    }
    if (!IsValidUtf8(help)) return ErrorAt(text_at, "HELP text is not valid UTF-8");
    FamilyFor(name).help = std::move(help);
    current_ = name;
    return core::Status::Ok();
  }

  core::Status AddType(const std::string& name, size_t name_at, std::string_view text,
                       size_t text_at) {
    if (text != "counter" && text != "gauge" && text != "histogram" && text != "summary" &&
        text != "untyped") {
      return ErrorAt(text_at, "invalid metric type " + promql::GoQuote(text) +
                                  " (want counter, gauge, histogram, summary or untyped)");
    }
    if (!typed_.insert(name).second) {
      return ErrorAt(name_at, "second TYPE line for metric name " + promql::GoQuote(name));
    }
    std::vector<std::string> members = {name};
    if (text == "histogram" || text == "summary") {
      members.push_back(name + "_sum");
      members.push_back(name + "_count");
    }
    if (text == "histogram") members.push_back(name + "_bucket");
    for (const std::string& m : members) {
      if (sample_names_.count(m) != 0) {
        return ErrorAt(name_at, "TYPE line for metric name " + promql::GoQuote(name) +
                                    " after samples of its family (" + m + ")");
      }
    }
    FamilyFor(name).type = std::string(text);
    current_ = name;
    return core::Status::Ok();
  }

  // The family a sample belongs to: the declared family whose member it is (a histogram's
  // _bucket/_sum/_count), else its own name.
  void NoteSampleFamily(const std::string& name) {
    sample_names_.insert(name);
    auto belongs = [&](const std::string& family) {
      auto it = family_index_.find(family);
      if (it == family_index_.end()) return false;
      const std::string& type = out_.families[it->second].type;
      if (name == family) return true;
      if ((type != "histogram" && type != "summary") || !name.starts_with(family)) return false;
      const std::string_view suffix = std::string_view(name).substr(family.size());
      return suffix == "_sum" || suffix == "_count" || (type == "histogram" && suffix == "_bucket");
    };
    if (!current_.empty() && belongs(current_)) return;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (name.ends_with(suffix) && belongs(name.substr(0, name.size() - strlen(suffix)))) return;
    }
    FamilyFor(name);
  }

  core::Status ParseSampleLine() {
    if (!IsMetricNameStart(Peek())) return Expected(pos_, "metric name at start of line");
    std::string name(ReadWhile(IsMetricNameChar));
    std::vector<promql::Label> labels;
    labels.push_back({std::string(promql::kMetricNameLabel), name});
    std::set<std::string, std::less<>> seen = {std::string(promql::kMetricNameLabel)};
    SkipBlanks();
    if (Peek() == '{') {
      ++pos_;
      core::Status st = ParseLabels(&labels, &seen);
      if (!st.ok()) return st;
    }
    SkipBlanks();
    const size_t value_at = pos_;
    while (!AtEol() && !IsBlank(Peek()) && Peek() != '{') ++pos_;
    if (pos_ == value_at) return Expected(pos_, "value after metric");
    const std::string_view value_text = text_.substr(value_at, pos_ - value_at);
    double value = 0;
    if (auto err = ParseValue(value_text, &value)) {
      return ErrorAt(value_at, "invalid value " + promql::GoQuote(value_text) + ": " + *err);
    }
    SkipBlanks();
    std::optional<int64_t> timestamp;
    if (!AtEol()) {
      if (!IsDigit(Peek())) return Expected(pos_, "timestamp or end of line");
      const size_t ts_at = pos_;
      const std::string_view digits = ReadWhile(IsDigit);
      int64_t ts = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ts);
      if (ec != std::errc() || end != digits.data() + digits.size()) {
        return ErrorAt(ts_at, "timestamp " + std::string(digits) + " out of range");
      }
      timestamp = ts;
      SkipBlanks();
      if (!AtEol()) return Expected(pos_, "end of line after timestamp");
    }
    NoteSampleFamily(name);
    out_.samples.push_back(ExpositionSample{promql::Labels(std::move(labels)), value, timestamp});
    return core::Status::Ok();
  }

  // After '{' up to and including '}'. Like promparse, a comma after each pair is optional and
  // one trailing comma is allowed.
  core::Status ParseLabels(std::vector<promql::Label>* labels,
                           std::set<std::string, std::less<>>* seen) {
    while (true) {
      SkipBlanks();
      if (Peek() == '}') {
        ++pos_;
        return core::Status::Ok();
      }
      const size_t name_at = pos_;
      if (!IsLabelNameStart(Peek())) return Expected(pos_, "label name or '}'");
      std::string name(ReadWhile(IsLabelNameChar));
      if (!seen->insert(name).second) {
        return ErrorAt(name_at, "duplicate label name " + promql::GoQuote(name));
      }
      SkipBlanks();
      if (Peek() != '=') return Expected(pos_, "'=' after label name");
      ++pos_;
      SkipBlanks();
      if (Peek() != '"') return Expected(pos_, "'\"' to open the label value");
      const size_t value_at = pos_;
      ++pos_;
      std::string value;
      while (true) {
        if (AtEol()) return ErrorAt(value_at, "label value is not terminated before end of line");
        const char c = text_[pos_++];
        if (c == '"') break;
        if (c != '\\') {
          value += c;
          continue;
        }
        if (AtEol()) return ErrorAt(value_at, "label value is not terminated before end of line");
        const char e = text_[pos_++];
        if (e == '"' || e == '\\') {
          value += e;
        } else if (e == 'n') {
          value += '\n';
        } else {  // promparse keeps unknown escapes as they are
          value += '\\';
          value += e;
        }
      }
      if (!IsValidUtf8(value)) {
        return ErrorAt(value_at, "label value of " + promql::GoQuote(name) + " is not valid UTF-8");
      }
      labels->push_back({std::move(name), std::move(value)});
      SkipBlanks();
      if (Peek() == ',') ++pos_;
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
  ParsedExposition out_;
  std::unordered_map<std::string, size_t> family_index_;
  std::set<std::string> helped_, typed_, sample_names_;
  std::string current_;  // the family of the latest HELP/TYPE line
};

}  // namespace

core::Result<ParsedExposition> ParseTextExposition(std::string_view text) {
  return Parser(text).Parse();
}

}  // namespace smoke::tsdb
