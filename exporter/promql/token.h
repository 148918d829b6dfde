#pragma once
// Lexical items of PromQL, modelled on prometheus/promql/parser/lex.go: the item types are grouped
// between range markers (operators, aggregators, keywords) so that a class test is a comparison.
// Thread-safety: plain values and pure functions; safe to use from any thread.

#include <string>
#include <string_view>

namespace smoke::promql {

enum class ItemType {
  kError,
  kEof,
  kComment,
  kIdentifier,
  kMetricIdentifier,
  kLeftParen,
  kRightParen,
  kLeftBrace,
  kRightBrace,
  kLeftBracket,
  kRightBracket,
  kComma,
  kEql,  // "=" inside label matchers
  kColon,
  kString,
  kNumber,
  kDuration,

  kOperatorsStart,
  kAdd,
  kDiv,
  kEqlc,  // "=="
  kEqlRegex,
  kGte,
  kGtr,
  kLand,
  kLor,
  kLss,
  kLte,
  kLunless,
  kMod,
  kMul,
  kNeq,
  kNeqRegex,
  kPow,
  kSub,
  kAt,
  kAtan2,
  kOperatorsEnd,

  kAggregatorsStart,
  kAvg,
  kBottomk,
  kCount,
  kCountValues,
  kGroup,
  kMax,
  kMin,
  kQuantile,
  kStddev,
  kStdvar,
  kSum,
  kTopk,
  kLimitk,
  kLimitRatio,
  kAggregatorsEnd,

  kKeywordsStart,
  kBool,
  kBy,
  kGroupLeft,
  kGroupRight,
  kIgnoring,
  kOffset,
  kOn,
  kWithout,
  kKeywordsEnd,

  // The @ modifier's preprocessors start() and end().
  kStart,
  kEnd,
};

inline bool IsOperator(ItemType t) {
  return t > ItemType::kOperatorsStart && t < ItemType::kOperatorsEnd;
}
inline bool IsAggregator(ItemType t) {
  return t > ItemType::kAggregatorsStart && t < ItemType::kAggregatorsEnd;
}
inline bool IsKeyword(ItemType t) {
  return t > ItemType::kKeywordsStart && t < ItemType::kKeywordsEnd;
}
bool IsComparisonOperator(ItemType t);
bool IsSetOperator(ItemType t);
// topk, bottomk, quantile, count_values, limitk and limit_ratio take a parameter before the vector.
bool IsAggregatorWithParam(ItemType t);
// limitk and limit_ratio, which Prometheus gates behind promql-experimental-functions.
bool IsExperimentalAggregator(ItemType t);

// The canonical spelling of an item type ("+", "sum", "group_left", "(" ...); empty for types
// without one (identifiers, numbers, strings, durations, EOF, errors).
std::string_view ItemTypeString(ItemType t);

// Looks up a keyword, aggregator or word operator case-insensitively, as the lexer does. "inf"
// and "nan" are numbers. Returns false if `word` is not reserved.
bool LookupKeyword(std::string_view word, ItemType* type);

// One lexed item: its type, byte offset in the input and the exact input text.
struct Item {
  ItemType type = ItemType::kEof;
  int pos = 0;
  std::string_view val;

  int end() const { return pos + static_cast<int>(val.size()); }
  // As Prometheus's Item.String(): `"foo"`, `<op:+>`, `<aggr:sum>`, `<by>`, ...
  std::string String() const;
  // As Prometheus's Item.desc(), used in "unexpected ..." errors: `identifier "foo"`,
  // `end of input`, `<op:+>`, `"("`, `number "1"`.
  std::string Describe() const;
};

}  // namespace smoke::promql
