#pragma once
// The PromQL lexer: input text -> items with byte positions. It follows the state machine of
// Prometheus 2.x's promql/parser/lex.go so that the same inputs produce the same items and the
// same lexical errors ("unexpected character: ...", "unclosed left parenthesis", ...): keywords
// are case-insensitive, inside {...} every word is a label name, after "[" only durations are
// valid, and "#" starts a comment that runs to the end of the line.
// Thread-safety: a Lexer is a mutable cursor; use one per thread.

#include <string_view>

#include "exporter/promql/token.h"

namespace smoke::promql {

class Lexer {
 public:
  // `input` must outlive the lexer and every item it returns (items point into it).
  explicit Lexer(std::string_view input) : input_(input) {}

  // The next item. Comments are returned as kComment items. After kEof or kError every further
  // call returns kEof. An error item's `val` is the message and its `pos` where the bad item
  // starts.
  Item Next();

 private:
  enum class State { kStatements, kAfterLeftBracket, kDone };

  Item LexStatements();
  Item LexInsideBraces();
  Item LexDuration();
  Item LexNumberOrDuration();
  Item LexString(char quote);
  Item LexRawString();
  Item LexKeywordOrIdentifier();
  Item LexIdentifier();
  Item LexComment();

  uint32_t NextRune();
  uint32_t PeekRune();
  void Backup() { pos_ -= width_; }
  bool Accept(std::string_view valid);
  void AcceptRun(std::string_view valid);
  bool ScanNumber();
  bool AcceptRemainingDuration();

  Item Emit(ItemType type);
  Item Error(std::string message);
  void SkipSpaces();

  std::string_view input_;
  size_t pos_ = 0;
  size_t start_ = 0;
  int width_ = 0;
  State state_ = State::kStatements;
  int paren_depth_ = 0;
  bool brace_open_ = false;
  bool bracket_open_ = false;
  bool got_colon_ = false;
  // Error messages are built here so that the item's string_view stays valid until the next call.
  std::string error_;
};

}  // namespace smoke::promql
