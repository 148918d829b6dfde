#pragma once
// The lexer of Go's text/template (text/template/parse/lex.go, Go 1.19): splits a template into
// text and action tokens, applying the `{{- ` / ` -}}` trim markers and dropping comments.
// Token positions and line numbers feed the parser's error messages, so they follow Go exactly.
// Thread-safety: a Lexer is used by one parse at a time.

#include <string>
#include <string_view>
#include <vector>

namespace smoke::ruler::tmpl {

enum class ItemType {
  kError,  // value is the error text
  kBool,
  kChar,  // printable ASCII character; grab bag for comma etc.
  kCharConstant,
  kComment,
  kComplex,
  kAssign,   // '='
  kDeclare,  // ':='
  kEOF,
  kField,       // .Alphanumeric
  kIdentifier,  // alphanumeric identifier not starting with '.'
  kLeftDelim,
  kLeftParen,
  kNumber,
  kPipe,
  kRawString,
  kRightDelim,
  kRightParen,
  kSpace,
  kString,
  kText,
  kVariable,  // $, $x
  // Keywords appear after all the rest.
  kKeyword,
  kBlock,
  kBreak,
  kContinue,
  kDot,
  kDefine,
  kElse,
  kEnd,
  kIf,
  kNil,
  kRange,
  kTemplate,
  kWith,
};

struct Item {
  ItemType type = ItemType::kError;
  int pos = 0;
  std::string val;
  int line = 0;
  // Go's item.String(), used in "unexpected ... in ..." errors.
  std::string String() const;
};

// Lexes the whole input; the last item is kEOF or kError.
std::vector<Item> Lex(std::string_view input, bool break_ok, bool continue_ok);

}  // namespace smoke::ruler::tmpl
