#include "exporter/ruler/series_notation.h"

#include <cctype>
#include <cstdint>
#include <limits>
#include <string>

#include "exporter/promql/lexer.h"
#include "exporter/promql/quote.h"
#include "exporter/promql/storage.h"
#include "exporter/promql/token.h"

namespace smoke::ruler {
namespace {

// "L:C: parse error: message", counted as Prometheus's ParseErr counts (bytes, 1-based).
core::Status ParseError(std::string_view text, size_t pos, const std::string& message) {
  int line = 1;
  size_t last_break = std::string_view::npos;
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      last_break = i;
    }
  }
  const size_t col = last_break == std::string_view::npos ? pos + 1 : pos - last_break;
  return core::Status::Error(std::to_string(line) + ":" + std::to_string(col) +
                             ": parse error: " + message);
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlphaNumeric(char c) { return IsAlpha(c) || IsDigit(c); }

// The tokens of a value sequence, as Prometheus's lexer emits them in series-description mode.
struct Token {
  enum class Type { kSpace, kAdd, kSub, kTimes, kBlank, kNumber, kWord, kEof, kError };
  Type type = Type::kEof;
  size_t pos = 0;
  std::string_view val;
  promql::ItemType word_type = promql::ItemType::kIdentifier;  // kWord: what the word lexes as
  std::string error;                                           // kError: the message
};

class ValueLexer {
 public:
  explicit ValueLexer(std::string_view text) : text_(text) {}

  Token Next() {
    Token t;
    t.pos = pos_;
    if (pos_ >= text_.size()) return t;
    const char c = text_[pos_];
    if (IsSpace(c)) {
      t.type = Token::Type::kSpace;
      t.val = text_.substr(pos_, 1);
      while (pos_ < text_.size() && IsSpace(text_[pos_])) ++pos_;
      return t;
    }
    if (c == '+' || c == '-' || c == 'x' || c == '_') {
      t.type = c == '+'   ? Token::Type::kAdd
               : c == '-' ? Token::Type::kSub
               : c == 'x' ? Token::Type::kTimes
                          : Token::Type::kBlank;
      t.val = text_.substr(pos_++, 1);
      return t;
    }
    if (IsDigit(c) || (c == '.' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) {
      return LexNumber(t);
    }
    if (IsAlpha(c)) return LexWord(t);
    int width = 0;
    const uint32_t rune = promql::DecodeRune(text_, pos_, &width);
    t.type = Token::Type::kError;
    t.error = "unexpected character in series sequence: " + promql::GoQuoteRune(rune);
    return t;
  }

 private:
  void AcceptRun(std::string_view valid) {
    while (pos_ < text_.size() && valid.find(text_[pos_]) != std::string_view::npos) ++pos_;
  }
  bool Accept(std::string_view valid) {
    if (pos_ < text_.size() && valid.find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
      return true;
    }
    return false;
  }

  // Hexadecimal is not scanned here: "0x5" is 0 repeated 5 more times.
  Token LexNumber(Token t) {
    constexpr std::string_view kDigits = "0123456789";
    AcceptRun(kDigits);
    if (Accept(".")) AcceptRun(kDigits);
    if (Accept("eE")) {
      Accept("+-");
      AcceptRun(kDigits);
    }
    t.val = text_.substr(t.pos, pos_ - t.pos);
    const bool ok = pos_ >= text_.size() || text_[pos_] == 'x' || !IsAlphaNumeric(text_[pos_]);
    if (!ok) {
      t.type = Token::Type::kError;
      t.error = "bad number syntax: " + promql::GoQuote(t.val);
      return t;
    }
    t.type = Token::Type::kNumber;
    return t;
  }

  Token LexWord(Token t) {
    while (pos_ < text_.size() && (IsAlphaNumeric(text_[pos_]) || text_[pos_] == ':')) ++pos_;
    t.val = text_.substr(t.pos, pos_ - t.pos);
    promql::ItemType type;
    if (promql::LookupKeyword(t.val, &type)) {
      // "Inf" and "NaN" are numbers; every other keyword is only ever unexpected here.
      t.type = type == promql::ItemType::kNumber ? Token::Type::kNumber : Token::Type::kWord;
      t.word_type = type;
    } else {
      t.type = Token::Type::kWord;
      t.word_type = t.val.find(':') == std::string_view::npos ? promql::ItemType::kIdentifier
                                                              : promql::ItemType::kMetricIdentifier;
    }
    return t;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// Prometheus's Item.desc(): `number "1"`, `<op:+>`, `"x"`, `end of input`, ...
std::string Describe(const Token& t) {
  switch (t.type) {
    case Token::Type::kSpace:
    case Token::Type::kTimes:
    case Token::Type::kBlank:
      return promql::GoQuote(t.val);
    case Token::Type::kAdd:
      return "<op:+>";
    case Token::Type::kSub:
      return "<op:->";
    case Token::Type::kNumber:
      return promql::Item{promql::ItemType::kNumber, static_cast<int>(t.pos), t.val}.Describe();
    case Token::Type::kWord:
      return promql::Item{t.word_type, static_cast<int>(t.pos), t.val}.Describe();
    case Token::Type::kEof:
    case Token::Type::kError:
      break;
  }
  return "end of input";
}

// Parses a value list. Prometheus's grammar recovers from errors differently at an item
// boundary and inside an item, which shows in the message: a token that cannot start (or follow)
// an item is "unexpected X", one that breaks an item half-way is "unexpected X in series values".
class ValueParser {
 public:
  explicit ValueParser(std::string_view text) : text_(text), lexer_(text) {}

  core::Result<std::vector<SequenceValue>> Parse() {
    Advance();
    bool at_item_start = true;
    while (status_.ok()) {
      if (tok_.type == Token::Type::kError) return Fail(tok_.pos, tok_.error);
      if (tok_.type == Token::Type::kEof) break;
      if (tok_.type == Token::Type::kSpace) {
        at_item_start = true;
        Advance();
        continue;
      }
      if (!at_item_start) return Fail(tok_.pos, "unexpected " + Describe(tok_));
      ParseItem();
      at_item_start = false;
    }
    if (!status_.ok()) return status_;
    return std::move(out_);
  }

 private:
  void Advance() { tok_ = lexer_.Next(); }

  core::Status Fail(size_t pos, const std::string& message) {
    if (status_.ok()) status_ = ParseError(text_, pos, message);
    return status_;
  }
  // A token that breaks an item half-way.
  void FailInside() {
    if (tok_.type == Token::Type::kError) {
      Fail(tok_.pos, tok_.error);
    } else {
      Fail(tok_.pos, "unexpected " + Describe(tok_) + " in series values");
    }
  }

  void ParseItem() {
    if (tok_.type == Token::Type::kBlank) {
      Advance();
      uint64_t n = 1;
      if (tok_.type == Token::Type::kTimes && !ReadRepetition(&n)) return;
      Append(SequenceValue{0, true}, 0, n);
      return;
    }
    double value = 0;
    if (!ReadValue(&value)) return;
    Advance();
    if (tok_.type == Token::Type::kTimes) {
      uint64_t n = 0;
      if (!ReadRepetition(&n)) return;
      Append(SequenceValue{value, false}, 0, n + 1);  // axn: n+1 copies
      return;
    }
    if (tok_.type == Token::Type::kAdd || tok_.type == Token::Type::kSub) {
      double step = 0;
      if (!ReadSignedNumber(&step)) return;
      Advance();
      if (tok_.type != Token::Type::kTimes) return FailInside();
      uint64_t n = 0;
      if (!ReadRepetition(&n)) return;
      Append(SequenceValue{value, false}, step, n + 1);  // a+bxn: n+1 samples
      return;
    }
    Append(SequenceValue{value, false}, 0, 1);
  }

  // The first part of an item: a number, a signed number or `stale`. Leaves tok_ on it.
  bool ReadValue(double* value) {
    switch (tok_.type) {
      case Token::Type::kNumber:
        return ReadNumber(value);
      case Token::Type::kAdd:
      case Token::Type::kSub:
        return ReadSignedNumber(value);
      case Token::Type::kWord:
        if (tok_.val == "stale") {
          *value = promql::StaleNaN();
          return true;
        }
        if (tok_.word_type == promql::ItemType::kIdentifier) {
          Fail(tok_.pos,
               "unexpected " + Describe(tok_) + " in series values, expected number or \"stale\"");
        } else {
          Fail(tok_.pos, "unexpected " + Describe(tok_));
        }
        return false;
      default:
        Fail(tok_.pos, "unexpected " + Describe(tok_));
        return false;
    }
  }

  bool ReadNumber(double* value) {
    core::Result<double> v = promql::ParseGoNumber(tok_.val);
    if (!v.ok()) {
      Fail(tok_.pos, "error parsing number: " + v.status().message());
      return false;
    }
    *value = *v;
    return true;
  }

  // tok_ is '+' or '-'; reads the number after it and leaves tok_ on that number.
  bool ReadSignedNumber(double* value) {
    const bool negative = tok_.type == Token::Type::kSub;
    Advance();
    if (tok_.type != Token::Type::kNumber) {
      FailInside();
      return false;
    }
    if (!ReadNumber(value)) return false;
    if (negative) *value = -*value;
    return true;
  }

  // tok_ is 'x'; reads the count (strconv.ParseUint(s, 10, 64)) and moves past it.
  bool ReadRepetition(uint64_t* n) {
    Advance();
    if (tok_.type != Token::Type::kNumber) {
      FailInside();
      return false;
    }
    const std::string_view s = tok_.val;
    const char* why = s.empty() ? "invalid syntax" : nullptr;
    uint64_t v = 0;
    for (char c : s) {
      if (!IsDigit(c)) {
        why = "invalid syntax";
        break;
      }
      const uint64_t digit = static_cast<uint64_t>(c - '0');
      if (why == nullptr && v > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
        why = "value out of range";
      }
      if (why == nullptr) v = v * 10 + digit;
    }
    if (why != nullptr) {
      Fail(tok_.pos, "invalid repetition in series values: strconv.ParseUint: parsing " +
                         promql::GoQuote(s) + ": " + why);
      return false;
    }
    *n = v;
    Advance();
    return true;
  }

  // `count` samples starting at `first`, each `step` more than the one before (accumulated as
  // Prometheus accumulates it, so rounding matches).
  void Append(SequenceValue first, double step, uint64_t count) {
    if (count > kMaxSeriesValues - out_.size()) {
      Fail(tok_.pos, "series expands to more than " + std::to_string(kMaxSeriesValues) + " values");
      return;
    }
    for (uint64_t i = 0; i < count; ++i) {
      out_.push_back(first);
      first.value += step;
    }
  }

  std::string_view text_;
  ValueLexer lexer_;
  Token tok_;
  std::vector<SequenceValue> out_;
  core::Status status_;
};

bool IsMetricNameItem(promql::ItemType t) {
  using promql::ItemType;
  return t == ItemType::kIdentifier || t == ItemType::kMetricIdentifier || promql::IsKeyword(t) ||
         promql::IsAggregator(t) || t == ItemType::kLand || t == ItemType::kLor ||
         t == ItemType::kLunless || t == ItemType::kAtan2 || t == ItemType::kStart ||
         t == ItemType::kEnd;
}

}  // namespace

bool SequenceValue::stale() const { return !omitted && promql::IsStaleNaN(value); }

core::Result<std::vector<SequenceValue>> ParseSeriesValues(std::string_view text) {
  return ValueParser(text).Parse();
}

core::Result<promql::Labels> ParseSeriesLabels(std::string_view text) {
  using promql::ItemType;
  promql::Lexer lexer(text);
  auto next = [&lexer] {
    promql::Item it = lexer.Next();
    while (it.type == ItemType::kComment) it = lexer.Next();
    return it;
  };
  auto fail = [&](const promql::Item& it, const std::string& expected) {
    if (it.type == ItemType::kError) {
      return ParseError(text, static_cast<size_t>(it.pos), std::string(it.val));
    }
    std::string message = "unexpected " + it.Describe();
    if (!expected.empty()) message += " in label set, expected " + expected;
    return ParseError(text, static_cast<size_t>(it.pos), message);
  };

  std::vector<promql::Label> labels;
  std::string name;
  promql::Item it = next();
  if (IsMetricNameItem(it.type)) {
    name = std::string(it.val);
    it = next();
  }
  if (it.type == ItemType::kLeftBrace) {
    it = next();
    while (it.type != ItemType::kRightBrace) {
      if (it.type != ItemType::kIdentifier) return fail(it, "identifier or \"}\"");
      std::string label(it.val);
      it = next();
      if (it.type != ItemType::kEql) return fail(it, "\"=\"");
      it = next();
      if (it.type != ItemType::kString) return fail(it, "string");
      core::Result<std::string> value = promql::Unquote(it.val);
      if (!value.ok()) {
        return ParseError(text, static_cast<size_t>(it.pos), value.status().message());
      }
      labels.push_back({std::move(label), std::move(value).value()});
      it = next();
      if (it.type == ItemType::kComma) {
        it = next();
      } else if (it.type != ItemType::kRightBrace) {
        return fail(it, "\",\" or \"}\"");
      }
    }
    it = next();
  }
  if (it.type != ItemType::kEof) return fail(it, "");
  // The name outside the braces wins over a __name__ inside them, as in Prometheus.
  if (!name.empty()) labels.push_back({std::string(promql::kMetricNameLabel), name});
  return promql::Labels(std::move(labels));
}

std::string FormatSeriesValues(const std::vector<SequenceValue>& values) {
  std::string out;
  for (const SequenceValue& v : values) {
    if (!out.empty()) out += ' ';
    if (v.omitted) {
      out += '_';
    } else if (v.stale()) {
      out += "stale";
    } else {
      out += promql::FormatGoFloat(v.value);
    }
  }
  return out;
}

}  // namespace smoke::ruler
