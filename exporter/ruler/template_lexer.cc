#include "exporter/ruler/template_lexer.h"

#include <cstdio>
#include <map>

#include "exporter/ruler/go_strconv.h"

namespace smoke::ruler::tmpl {

namespace {

constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr std::string_view kLeftComment = "/*";
constexpr std::string_view kRightComment = "*/";
constexpr std::string_view kSpaceChars = " \t\r\n";
constexpr int kTrimMarkerLen = 2;  // marker plus space
constexpr char32_t kEof = static_cast<char32_t>(-1);

bool IsSpace(char32_t r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

bool IsLetterOrDigit(char32_t r) {
  if (r < 0x80) {
    return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9');
  }
  // Approximates unicode.IsLetter/IsDigit: printable runes outside the punctuation, symbol and
  // space blocks.
  if (!go::IsPrint(r)) return false;
  if (r <= 0xBF || r == 0xD7 || r == 0xF7) return false;
  if (r >= 0x2000 && r <= 0x2BFF) return false;
  if (r >= 0x3000 && r <= 0x303F) return false;
  if (r >= 0xFF00 && r <= 0xFF20) return false;
  return true;
}

bool IsAlphaNumeric(char32_t r) { return r == '_' || IsLetterOrDigit(r); }

bool HasLeftTrimMarker(std::string_view s) {
  return s.size() >= 2 && s[0] == '-' && IsSpace(static_cast<unsigned char>(s[1]));
}

bool HasRightTrimMarker(std::string_view s) {
  return s.size() >= 2 && IsSpace(static_cast<unsigned char>(s[0])) && s[1] == '-';
}

std::string FormatU(char32_t r) {
  // Go's %#U: U+0041 'A'
  char buf[16];
  std::snprintf(buf, sizeof(buf), "U+%04X", static_cast<unsigned>(r));
  std::string s = buf;
  if (go::IsPrint(r)) {
    s += " '";
    go::AppendRune(&s, r);
    s += "'";
  }
  return s;
}

const std::map<std::string_view, ItemType>& Keywords() {
  static const auto* m = new std::map<std::string_view, ItemType>{
      {".", ItemType::kDot},
      {"block", ItemType::kBlock},
      {"break", ItemType::kBreak},
      {"continue", ItemType::kContinue},
      {"define", ItemType::kDefine},
      {"else", ItemType::kElse},
      {"end", ItemType::kEnd},
      {"if", ItemType::kIf},
      {"range", ItemType::kRange},
      {"nil", ItemType::kNil},
      {"template", ItemType::kTemplate},
      {"with", ItemType::kWith},
  };
  return *m;
}

class Lexer {
 public:
  Lexer(std::string_view input, bool break_ok, bool continue_ok)
      : input_(input), break_ok_(break_ok), continue_ok_(continue_ok) {}

  std::vector<Item> Run() {
    State state = kText;
    while (state != kDone) state = Step(state);
    return std::move(items_);
  }

 private:
  enum State {
    kDone,
    kText,
    kLeftDelimState,
    kComment,
    kRightDelimState,
    kInsideAction,
    kSpace,
    kIdentifier,
    kField,
    kVariable,
    kChar,
    kNumber,
    kQuote,
    kRawQuote,
  };

  State Step(State s) {
    switch (s) {
      case kText:
        return LexText();
      case kLeftDelimState:
        return LexLeftDelim();
      case kComment:
        return LexComment();
      case kRightDelimState:
        return LexRightDelim();
      case kInsideAction:
        return LexInsideAction();
      case kSpace:
        return LexSpace();
      case kIdentifier:
        return LexIdentifier();
      case kField:
        return LexFieldOrVariable(ItemType::kField);
      case kVariable:
        if (AtTerminator()) {
          Emit(ItemType::kVariable);
          return kInsideAction;
        }
        return LexFieldOrVariable(ItemType::kVariable);
      case kChar:
        return LexChar();
      case kNumber:
        return LexNumber();
      case kQuote:
        return LexQuote();
      case kRawQuote:
        return LexRawQuote();
      case kDone:
        break;
    }
    return kDone;
  }

  char32_t Next() {
    if (pos_ >= input_.size()) {
      at_eof_ = true;
      return kEof;
    }
    int w;
    char32_t r = go::DecodeRune(input_.substr(pos_), &w);
    pos_ += static_cast<size_t>(w);
    if (r == '\n') line_++;
    return r;
  }

  void Backup() {
    if (!at_eof_ && pos_ > 0) {
      // Step back one rune (UTF-8 continuation bytes are 10xxxxxx).
      size_t p = pos_ - 1;
      while (p > 0 && (static_cast<unsigned char>(input_[p]) & 0xC0) == 0x80) --p;
      if (input_[p] == '\n') line_--;
      pos_ = p;
    }
  }

  char32_t Peek() {
    char32_t r = Next();
    Backup();
    return r;
  }

  void Emit(ItemType t) {
    items_.push_back(Item{t, static_cast<int>(start_),
                          std::string(input_.substr(start_, pos_ - start_)), start_line_});
    start_ = pos_;
    start_line_ = line_;
  }

  void Ignore() {
    for (size_t i = start_; i < pos_; ++i) {
      if (input_[i] == '\n') line_++;
    }
    start_ = pos_;
    start_line_ = line_;
  }

  bool Accept(std::string_view valid) {
    char32_t r = Next();
    if (r != kEof && r < 0x80 && valid.find(static_cast<char>(r)) != std::string_view::npos) {
      return true;
    }
    Backup();
    return false;
  }

  void AcceptRun(std::string_view valid) {
    while (Accept(valid)) {
    }
  }

  State Errorf(std::string msg) {
    items_.push_back(Item{ItemType::kError, static_cast<int>(start_), std::move(msg), start_line_});
    return kDone;
  }

  int CountNewlines(size_t from, size_t to) const {
    int n = 0;
    for (size_t i = from; i < to; ++i) n += input_[i] == '\n';
    return n;
  }

  State LexText() {
    size_t x = input_.find(kLeftDelim, pos_);
    if (x != std::string_view::npos) {
      size_t ldn = kLeftDelim.size();
      pos_ = x;
      size_t trim_length = 0;
      if (HasLeftTrimMarker(input_.substr(pos_ + ldn))) {
        std::string_view before = input_.substr(start_, pos_ - start_);
        size_t keep = before.find_last_not_of(kSpaceChars);
        trim_length = keep == std::string_view::npos ? before.size() : before.size() - keep - 1;
      }
      pos_ -= trim_length;
      if (pos_ > start_) {
        line_ += CountNewlines(start_, pos_);
        Emit(ItemType::kText);
      }
      pos_ += trim_length;
      Ignore();
      return kLeftDelimState;
    }
    pos_ = input_.size();
    if (pos_ > start_) {
      line_ += CountNewlines(start_, pos_);
      Emit(ItemType::kText);
    }
    Emit(ItemType::kEOF);
    return kDone;
  }

  // Whether the lexer is at a right delimiter, possibly preceded by a trim marker.
  bool AtRightDelim(bool* trim_spaces) const {
    std::string_view rest = input_.substr(pos_);
    if (HasRightTrimMarker(rest) && rest.substr(kTrimMarkerLen).substr(0, 2) == kRightDelim) {
      *trim_spaces = true;
      return true;
    }
    *trim_spaces = false;
    return rest.substr(0, 2) == kRightDelim;
  }

  size_t LeftTrimLength(std::string_view s) const {
    size_t k = s.find_first_not_of(kSpaceChars);
    return k == std::string_view::npos ? s.size() : k;
  }

  State LexLeftDelim() {
    pos_ += kLeftDelim.size();
    bool trim_space = HasLeftTrimMarker(input_.substr(pos_));
    size_t after_marker = trim_space ? kTrimMarkerLen : 0;
    if (input_.substr(pos_ + after_marker).substr(0, 2) == kLeftComment) {
      pos_ += after_marker;
      Ignore();
      return kComment;
    }
    Emit(ItemType::kLeftDelim);
    pos_ += after_marker;
    Ignore();
    paren_depth_ = 0;
    return kInsideAction;
  }

  State LexComment() {
    pos_ += kLeftComment.size();
    size_t i = input_.find(kRightComment, pos_);
    if (i == std::string_view::npos) return Errorf("unclosed comment");
    pos_ = i + kRightComment.size();
    bool trim_space;
    if (!AtRightDelim(&trim_space)) return Errorf("comment ends before closing delimiter");
    if (trim_space) pos_ += kTrimMarkerLen;
    pos_ += kRightDelim.size();
    if (trim_space) pos_ += LeftTrimLength(input_.substr(pos_));
    Ignore();
    return kText;
  }

  State LexRightDelim() {
    bool trim_space = HasRightTrimMarker(input_.substr(pos_));
    if (trim_space) {
      pos_ += kTrimMarkerLen;
      Ignore();
    }
    pos_ += kRightDelim.size();
    Emit(ItemType::kRightDelim);
    if (trim_space) {
      pos_ += LeftTrimLength(input_.substr(pos_));
      Ignore();
    }
    return kText;
  }

  State LexInsideAction() {
    bool trim;
    if (AtRightDelim(&trim)) {
      if (paren_depth_ == 0) return kRightDelimState;
      return Errorf("unclosed left paren");
    }
    char32_t r = Next();
    if (r == kEof) return Errorf("unclosed action");
    if (IsSpace(r)) {
      Backup();  // Put space back in case we have " -}}".
      return kSpace;
    }
    switch (r) {
      case '=':
        Emit(ItemType::kAssign);
        return kInsideAction;
      case ':':
        if (Next() != '=') return Errorf("expected :=");
        Emit(ItemType::kDeclare);
        return kInsideAction;
      case '|':
        Emit(ItemType::kPipe);
        return kInsideAction;
      case '"':
        return kQuote;
      case '`':
        return kRawQuote;
      case '$':
        return kVariable;
      case '\'':
        return kChar;
      case '.':
        if (pos_ < input_.size()) {
          char c = input_[pos_];
          if (c < '0' || c > '9') return kField;
        }
        Backup();
        return kNumber;
      case '(':
        Emit(ItemType::kLeftParen);
        paren_depth_++;
        return kInsideAction;
      case ')':
        Emit(ItemType::kRightParen);
        paren_depth_--;
        if (paren_depth_ < 0) return Errorf("unexpected right paren " + FormatU(r));
        return kInsideAction;
      default:
        break;
    }
    if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
      Backup();
      return kNumber;
    }
    if (IsAlphaNumeric(r)) {
      Backup();
      return kIdentifier;
    }
    if (r < 0x80 && r >= 0x20 && r < 0x7F) {
      Emit(ItemType::kChar);
      return kInsideAction;
    }
    return Errorf("unrecognized character in action: " + FormatU(r));
  }

  State LexSpace() {
    int num_spaces = 0;
    while (IsSpace(Peek())) {
      Next();
      num_spaces++;
    }
    std::string_view before = input_.substr(pos_ - 1);
    if (HasRightTrimMarker(before) && before.substr(kTrimMarkerLen).substr(0, 2) == kRightDelim) {
      Backup();  // Before the space.
      if (num_spaces == 1) return kRightDelimState;
    }
    Emit(ItemType::kSpace);
    return kInsideAction;
  }

  bool AtTerminator() {
    char32_t r = Peek();
    if (IsSpace(r)) return true;
    switch (r) {
      case kEof:
      case '.':
      case ',':
      case '|':
      case ':':
      case ')':
      case '(':
        return true;
      default:
        break;
    }
    return input_.substr(pos_).substr(0, 2) == kRightDelim;
  }

  State LexIdentifier() {
    for (;;) {
      char32_t r = Next();
      if (IsAlphaNumeric(r)) continue;
      Backup();
      std::string_view word = input_.substr(start_, pos_ - start_);
      if (!AtTerminator()) return Errorf("bad character " + FormatU(r));
      auto it = Keywords().find(word);
      if (it != Keywords().end() && it->second > ItemType::kKeyword) {
        ItemType t = it->second;
        if ((t == ItemType::kBreak && !break_ok_) || (t == ItemType::kContinue && !continue_ok_)) {
          Emit(ItemType::kIdentifier);
        } else {
          Emit(t);
        }
      } else if (word[0] == '.') {
        Emit(ItemType::kField);
      } else if (word == "true" || word == "false") {
        Emit(ItemType::kBool);
      } else {
        Emit(ItemType::kIdentifier);
      }
      return kInsideAction;
    }
  }

  State LexFieldOrVariable(ItemType typ) {
    if (AtTerminator()) {
      Emit(typ == ItemType::kVariable ? ItemType::kVariable : ItemType::kDot);
      return kInsideAction;
    }
    char32_t r;
    for (;;) {
      r = Next();
      if (!IsAlphaNumeric(r)) {
        Backup();
        break;
      }
    }
    if (!AtTerminator()) return Errorf("bad character " + FormatU(r));
    Emit(typ);
    return kInsideAction;
  }

  State LexChar() {
    for (;;) {
      char32_t r = Next();
      if (r == '\\') {
        char32_t r2 = Next();
        if (r2 != kEof && r2 != '\n') continue;
        return Errorf("unterminated character constant");
      }
      if (r == kEof || r == '\n') return Errorf("unterminated character constant");
      if (r == '\'') break;
    }
    Emit(ItemType::kCharConstant);
    return kInsideAction;
  }

  bool ScanNumber() {
    Accept("+-");
    std::string_view digits = "0123456789_";
    if (Accept("0")) {
      if (Accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (Accept("oO")) {
        digits = "01234567_";
      } else if (Accept("bB")) {
        digits = "01_";
      }
    }
    AcceptRun(digits);
    if (Accept(".")) AcceptRun(digits);
    if (digits.size() == 10 + 1 && Accept("eE")) {
      Accept("+-");
      AcceptRun("0123456789_");
    }
    if (digits.size() == 16 + 6 + 1 && Accept("pP")) {
      Accept("+-");
      AcceptRun("0123456789_");
    }
    Accept("i");
    if (IsAlphaNumeric(Peek())) {
      Next();
      return false;
    }
    return true;
  }

  State LexNumber() {
    if (!ScanNumber()) {
      return Errorf("bad number syntax: " + go::Quote(input_.substr(start_, pos_ - start_)));
    }
    char32_t sign = Peek();
    if (sign == '+' || sign == '-') {
      if (!ScanNumber() || input_[pos_ - 1] != 'i') {
        return Errorf("bad number syntax: " + go::Quote(input_.substr(start_, pos_ - start_)));
      }
      Emit(ItemType::kComplex);
    } else {
      Emit(ItemType::kNumber);
    }
    return kInsideAction;
  }

  State LexQuote() {
    for (;;) {
      char32_t r = Next();
      if (r == '\\') {
        char32_t r2 = Next();
        if (r2 != kEof && r2 != '\n') continue;
        return Errorf("unterminated quoted string");
      }
      if (r == kEof || r == '\n') return Errorf("unterminated quoted string");
      if (r == '"') break;
    }
    Emit(ItemType::kString);
    return kInsideAction;
  }

  State LexRawQuote() {
    for (;;) {
      char32_t r = Next();
      if (r == kEof) return Errorf("unterminated raw quoted string");
      if (r == '`') break;
    }
    Emit(ItemType::kRawString);
    return kInsideAction;
  }

  std::string_view input_;
  bool break_ok_;
  bool continue_ok_;
  size_t pos_ = 0;
  size_t start_ = 0;
  bool at_eof_ = false;
  int paren_depth_ = 0;
  int line_ = 1;
  int start_line_ = 1;
  std::vector<Item> items_;
};

}  // namespace

std::string Item::String() const {
  if (type == ItemType::kEOF) return "EOF";
  if (type == ItemType::kError) return val;
  if (type > ItemType::kKeyword) return "<" + val + ">";
  if (val.size() > 10) {
    // %.10q: the first ten runes, quoted.
    std::string_view s = val;
    size_t n = 0;
    for (int i = 0; i < 10 && n < s.size(); ++i) {
      int w;
      go::DecodeRune(s.substr(n), &w);
      n += static_cast<size_t>(w);
    }
    return go::Quote(s.substr(0, n)) + "...";
  }
  return go::Quote(val);
}

std::vector<Item> Lex(std::string_view input, bool break_ok, bool continue_ok) {
  return Lexer(input, break_ok, continue_ok).Run();
}

}  // namespace smoke::ruler::tmpl
