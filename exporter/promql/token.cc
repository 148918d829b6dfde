#include "exporter/promql/token.h"

#include <cctype>
#include <utility>

#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

struct Spelling {
  ItemType type;
  std::string_view text;
};

// The fixed spellings (Prometheus's ItemTypeStr). Words are also the reserved keywords.
constexpr Spelling kSpellings[] = {
    {ItemType::kLeftParen, "("},
    {ItemType::kRightParen, ")"},
    {ItemType::kLeftBrace, "{"},
    {ItemType::kRightBrace, "}"},
    {ItemType::kLeftBracket, "["},
    {ItemType::kRightBracket, "]"},
    {ItemType::kComma, ","},
    {ItemType::kEql, "="},
    {ItemType::kColon, ":"},
    {ItemType::kSub, "-"},
    {ItemType::kAdd, "+"},
    {ItemType::kMul, "*"},
    {ItemType::kMod, "%"},
    {ItemType::kDiv, "/"},
    {ItemType::kEqlc, "=="},
    {ItemType::kNeq, "!="},
    {ItemType::kLte, "<="},
    {ItemType::kLss, "<"},
    {ItemType::kGte, ">="},
    {ItemType::kGtr, ">"},
    {ItemType::kEqlRegex, "=~"},
    {ItemType::kNeqRegex, "!~"},
    {ItemType::kPow, "^"},
    {ItemType::kAt, "@"},
    {ItemType::kLand, "and"},
    {ItemType::kLor, "or"},
    {ItemType::kLunless, "unless"},
    {ItemType::kAtan2, "atan2"},
    {ItemType::kSum, "sum"},
    {ItemType::kAvg, "avg"},
    {ItemType::kCount, "count"},
    {ItemType::kMin, "min"},
    {ItemType::kMax, "max"},
    {ItemType::kGroup, "group"},
    {ItemType::kStddev, "stddev"},
    {ItemType::kStdvar, "stdvar"},
    {ItemType::kTopk, "topk"},
    {ItemType::kBottomk, "bottomk"},
    {ItemType::kCountValues, "count_values"},
    {ItemType::kQuantile, "quantile"},
    {ItemType::kLimitk, "limitk"},
    {ItemType::kLimitRatio, "limit_ratio"},
    {ItemType::kOffset, "offset"},
    {ItemType::kBy, "by"},
    {ItemType::kWithout, "without"},
    {ItemType::kOn, "on"},
    {ItemType::kIgnoring, "ignoring"},
    {ItemType::kGroupLeft, "group_left"},
    {ItemType::kGroupRight, "group_right"},
    {ItemType::kBool, "bool"},
    {ItemType::kStart, "start"},
    {ItemType::kEnd, "end"},
    {ItemType::kNumber, "inf"},
    {ItemType::kNumber, "nan"},
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != b[i]) return false;
  }
  return true;
}

}  // namespace

bool IsComparisonOperator(ItemType t) {
  switch (t) {
    case ItemType::kEqlc:
    case ItemType::kNeq:
    case ItemType::kLte:
    case ItemType::kLss:
    case ItemType::kGte:
    case ItemType::kGtr:
      return true;
    default:
      return false;
  }
}

bool IsSetOperator(ItemType t) {
  return t == ItemType::kLand || t == ItemType::kLor || t == ItemType::kLunless;
}

bool IsAggregatorWithParam(ItemType t) {
  return t == ItemType::kTopk || t == ItemType::kBottomk || t == ItemType::kCountValues ||
         t == ItemType::kQuantile || t == ItemType::kLimitk || t == ItemType::kLimitRatio;
}

bool IsExperimentalAggregator(ItemType t) {
  return t == ItemType::kLimitk || t == ItemType::kLimitRatio;
}

std::string_view ItemTypeString(ItemType t) {
  if (t == ItemType::kNumber || t == ItemType::kError) return {};
  for (const Spelling& s : kSpellings) {
    if (s.type == t) return s.text;
  }
  return {};
}

bool LookupKeyword(std::string_view word, ItemType* type) {
  for (const Spelling& s : kSpellings) {
    if (s.text.empty() || !std::isalpha(static_cast<unsigned char>(s.text[0]))) continue;
    if (EqualsIgnoreCase(word, s.text)) {
      *type = s.type;
      return true;
    }
  }
  return false;
}

std::string Item::String() const {
  switch (type) {
    case ItemType::kEof:
      return "EOF";
    case ItemType::kError:
      return std::string(val);
    case ItemType::kIdentifier:
    case ItemType::kMetricIdentifier:
      return GoQuote(val);
    default:
      break;
  }
  if (IsKeyword(type)) return "<" + std::string(val) + ">";
  if (IsOperator(type)) return "<op:" + std::string(val) + ">";
  if (IsAggregator(type)) return "<aggr:" + std::string(val) + ">";
  if (val.size() > 10) return GoQuoteTruncated(val, 10) + "...";
  return GoQuote(val);
}

std::string Item::Describe() const {
  if (!ItemTypeString(type).empty()) return String();
  switch (type) {
    case ItemType::kEof:
      return "end of input";
    case ItemType::kError:
      return "error " + String();
    case ItemType::kComment:
      return "comment " + String();
    case ItemType::kIdentifier:
      return "identifier " + String();
    case ItemType::kMetricIdentifier:
      return "metric identifier " + String();
    case ItemType::kString:
      return "string " + String();
    case ItemType::kNumber:
      return "number " + String();
    case ItemType::kDuration:
      return "duration " + String();
    default:
      return String();
  }
}

}  // namespace smoke::promql
