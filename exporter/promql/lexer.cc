#include "exporter/promql/lexer.h"

#include <string>

#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

constexpr uint32_t kEofRune = 0xFFFFFFFF;
constexpr std::string_view kDigits = "0123456789";

bool IsSpace(uint32_t r) { return r == ' ' || r == '\t' || r == '\n' || r == '\r'; }
bool IsDigit(uint32_t r) { return r >= '0' && r <= '9'; }
bool IsAlpha(uint32_t r) { return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'); }
bool IsAlphaNumeric(uint32_t r) { return IsAlpha(r) || IsDigit(r); }
bool IsEndOfLine(uint32_t r) { return r == '\r' || r == '\n'; }

bool Contains(std::string_view set, uint32_t r) {
  return r < 0x80 && set.find(static_cast<char>(r)) != std::string_view::npos;
}

}  // namespace

uint32_t Lexer::NextRune() {
  if (pos_ >= input_.size()) {
    width_ = 0;
    return kEofRune;
  }
  uint32_t r = DecodeRune(input_, pos_, &width_);
  pos_ += width_;
  return r;
}

uint32_t Lexer::PeekRune() {
  uint32_t r = NextRune();
  Backup();
  return r;
}

bool Lexer::Accept(std::string_view valid) {
  if (Contains(valid, NextRune())) return true;
  Backup();
  return false;
}

void Lexer::AcceptRun(std::string_view valid) {
  while (Contains(valid, NextRune())) {
  }
  Backup();
}

Item Lexer::Emit(ItemType type) {
  Item item{type, static_cast<int>(start_), input_.substr(start_, pos_ - start_)};
  start_ = pos_;
  return item;
}

Item Lexer::Error(std::string message) {
  error_ = std::move(message);
  state_ = State::kDone;
  return Item{ItemType::kError, static_cast<int>(start_), error_};
}

void Lexer::SkipSpaces() {
  while (IsSpace(PeekRune())) NextRune();
  start_ = pos_;
}

Item Lexer::Next() {
  switch (state_) {
    case State::kDone:
      start_ = input_.size();
      return Item{ItemType::kEof, static_cast<int>(input_.size()), {}};
    case State::kAfterLeftBracket:
      state_ = State::kStatements;
      return LexDuration();
    case State::kStatements:
      break;
  }
  if (brace_open_) return LexInsideBraces();
  while (pos_ < input_.size() && IsSpace(static_cast<unsigned char>(input_[pos_]))) ++pos_;
  start_ = pos_;
  return LexStatements();
}

Item Lexer::LexComment() {
  pos_ += 1;  // '#'
  for (uint32_t r = NextRune(); !IsEndOfLine(r) && r != kEofRune;) r = NextRune();
  Backup();
  return Emit(ItemType::kComment);
}

Item Lexer::LexStatements() {
  if (input_.substr(pos_).starts_with("#")) return LexComment();
  const uint32_t r = NextRune();
  switch (r) {
    case kEofRune:
      if (paren_depth_ != 0) return Error("unclosed left parenthesis");
      if (bracket_open_) return Error("unclosed left bracket");
      state_ = State::kDone;
      return Emit(ItemType::kEof);
    case ',':
      return Emit(ItemType::kComma);
    case '*':
      return Emit(ItemType::kMul);
    case '/':
      return Emit(ItemType::kDiv);
    case '%':
      return Emit(ItemType::kMod);
    case '+':
      return Emit(ItemType::kAdd);
    case '-':
      return Emit(ItemType::kSub);
    case '^':
      return Emit(ItemType::kPow);
    case '@':
      return Emit(ItemType::kAt);
    case '=': {
      const uint32_t t = PeekRune();
      if (t == '=') {
        NextRune();
        return Emit(ItemType::kEqlc);
      }
      if (t == '~') return Error("unexpected character after '=': " + GoQuoteRune(t));
      return Emit(ItemType::kEql);
    }
    case '!': {
      const uint32_t t = NextRune();
      if (t != '=') return Error("unexpected character after '!': " + GoQuoteRune(t));
      return Emit(ItemType::kNeq);
    }
    case '<':
      if (PeekRune() == '=') {
        NextRune();
        return Emit(ItemType::kLte);
      }
      return Emit(ItemType::kLss);
    case '>':
      if (PeekRune() == '=') {
        NextRune();
        return Emit(ItemType::kGte);
      }
      return Emit(ItemType::kGtr);
    case '"':
    case '\'':
      return LexString(static_cast<char>(r));
    case '`':
      return LexRawString();
    case '(':
      ++paren_depth_;
      return Emit(ItemType::kLeftParen);
    case ')': {
      Item item = Emit(ItemType::kRightParen);
      if (--paren_depth_ < 0) return Error("unexpected right parenthesis ')'");
      return item;
    }
    case '{':
      brace_open_ = true;
      return Emit(ItemType::kLeftBrace);
    case '[': {
      if (bracket_open_) return Error("unexpected left bracket '['");
      got_colon_ = false;
      Item item = Emit(ItemType::kLeftBracket);
      SkipSpaces();
      bracket_open_ = true;
      state_ = State::kAfterLeftBracket;
      return item;
    }
    case ']':
      if (!bracket_open_) return Error("unexpected right bracket ']'");
      bracket_open_ = false;
      return Emit(ItemType::kRightBracket);
    default:
      break;
  }
  if (IsDigit(r) || (r == '.' && IsDigit(PeekRune()))) {
    Backup();
    return LexNumberOrDuration();
  }
  if (IsAlpha(r) || r == ':') {
    if (!bracket_open_) {
      Backup();
      return LexKeywordOrIdentifier();
    }
    // Prometheus 2.x turned any letter here into a colon ("foo[5m x 1m]" was a subquery); later
    // versions reject it, and so do we.
    if (r != ':') return Error("unexpected character: " + GoQuoteRune(r) + ", expected ':'");
    if (got_colon_) return Error("unexpected colon ':'");
    got_colon_ = true;
    return Emit(ItemType::kColon);
  }
  return Error("unexpected character: " + GoQuoteRune(r));
}

Item Lexer::LexInsideBraces() {
  for (;;) {
    if (input_.substr(pos_).starts_with("#")) {
      LexComment();
      continue;
    }
    const uint32_t r = NextRune();
    switch (r) {
      case kEofRune:
        return Error("unexpected end of input inside braces");
      case ' ':
      case '\t':
      case '\n':
      case '\r':
        while (IsSpace(PeekRune())) NextRune();
        start_ = pos_;
        continue;
      case ',':
        return Emit(ItemType::kComma);
      case '"':
      case '\'':
        return LexString(static_cast<char>(r));
      case '`':
        return LexRawString();
      case '=':
        if (NextRune() == '~') return Emit(ItemType::kEqlRegex);
        Backup();
        return Emit(ItemType::kEql);
      case '!': {
        const uint32_t nr = NextRune();
        if (nr == '~') return Emit(ItemType::kNeqRegex);
        if (nr == '=') return Emit(ItemType::kNeq);
        return Error("unexpected character after '!' inside braces: " + GoQuoteRune(nr));
      }
      case '{':
        return Error("unexpected left brace '{'");
      case '}':
        brace_open_ = false;
        return Emit(ItemType::kRightBrace);
      default:
        break;
    }
    if (IsAlpha(r)) {
      Backup();
      return LexIdentifier();
    }
    return Error("unexpected character inside braces: " + GoQuoteRune(r));
  }
}

Item Lexer::LexIdentifier() {
  while (IsAlphaNumeric(NextRune())) {
  }
  Backup();
  return Emit(ItemType::kIdentifier);
}

Item Lexer::LexKeywordOrIdentifier() {
  for (uint32_t r = NextRune(); IsAlphaNumeric(r) || r == ':'; r = NextRune()) {
  }
  Backup();
  const std::string_view word = input_.substr(start_, pos_ - start_);
  ItemType type;
  if (LookupKeyword(word, &type)) return Emit(type);
  if (word.find(':') == std::string_view::npos) return Emit(ItemType::kIdentifier);
  return Emit(ItemType::kMetricIdentifier);
}

Item Lexer::LexString(char quote) {
  for (;;) {
    const uint32_t r = NextRune();
    if (r == '\\') {
      // lexEscape: the escaped character has to be valid; the value is decoded by Unquote.
      uint32_t ch = NextRune();
      int n = 0;
      uint32_t base = 0;
      uint32_t max = 0;
      switch (ch) {
        case 'a':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
        case 'v':
        case '\\':
          continue;
        case '0':
        case '1':
        case '2':
        case '3':
        case '4':
        case '5':
        case '6':
        case '7':
          n = 3, base = 8, max = 255;
          break;
        case 'x':
          ch = NextRune(), n = 2, base = 16, max = 255;
          break;
        case 'u':
          ch = NextRune(), n = 4, base = 16, max = 0x10FFFF;
          break;
        case 'U':
          ch = NextRune(), n = 8, base = 16, max = 0x10FFFF;
          break;
        case kEofRune:
          return Error("escape sequence not terminated");
        default:
          if (ch == static_cast<uint32_t>(quote)) continue;
          return Error("unknown escape sequence " + GoRuneDescription(ch));
      }
      uint32_t x = 0;
      for (; n > 0; --n) {
        uint32_t d = 16;
        if (ch >= '0' && ch <= '9') d = ch - '0';
        if (ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
        if (d >= base) {
          if (ch == kEofRune) return Error("escape sequence not terminated");
          return Error("illegal character " + GoRuneDescription(ch) + " in escape sequence");
        }
        x = x * base + d;
        if (n > 1) ch = NextRune();
      }
      if (x > max || (x >= 0xD800 && x < 0xE000)) {
        return Error("escape sequence is an invalid Unicode code point");
      }
      continue;
    }
    if (r == kRuneError && width_ == 1) return Error("invalid UTF-8 rune");
    if (r == kEofRune || r == '\n') return Error("unterminated quoted string");
    if (r == static_cast<uint32_t>(quote)) return Emit(ItemType::kString);
  }
}

Item Lexer::LexRawString() {
  for (;;) {
    const uint32_t r = NextRune();
    if (r == kRuneError && width_ == 1) return Error("invalid UTF-8 rune");
    if (r == kEofRune) return Error("unterminated raw string");
    if (r == '`') return Emit(ItemType::kString);
  }
}

bool Lexer::ScanNumber() {
  std::string_view digits = kDigits;
  if (Accept("0") && Accept("xX")) digits = "0123456789abcdefABCDEF";
  AcceptRun(digits);
  if (Accept(".")) AcceptRun(digits);
  if (Accept("eE")) {
    Accept("+-");
    AcceptRun(kDigits);
  }
  return !IsAlphaNumeric(PeekRune());
}

bool Lexer::AcceptRemainingDuration() {
  if (!Accept("smhdwy")) return false;
  Accept("s");  // "ms"; impossible units like "hs" are rejected when the duration is parsed.
  while (Accept(kDigits)) {
    AcceptRun(kDigits);
    if (!Accept("smhdw")) return false;
    Accept("s");
  }
  return !IsAlphaNumeric(NextRune());
}

Item Lexer::LexNumberOrDuration() {
  if (ScanNumber()) return Emit(ItemType::kNumber);
  if (AcceptRemainingDuration()) {
    Backup();
    return Emit(ItemType::kDuration);
  }
  return Error("bad number or duration syntax: " + GoQuote(input_.substr(start_, pos_ - start_)));
}

Item Lexer::LexDuration() {
  if (ScanNumber()) return Error("missing unit character in duration");
  if (!AcceptRemainingDuration()) {
    return Error("bad duration syntax: " + GoQuote(input_.substr(start_, pos_ - start_)));
  }
  Backup();
  return Emit(ItemType::kDuration);
}

}  // namespace smoke::promql
