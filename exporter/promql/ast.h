#pragma once
// The PromQL syntax tree, shaped like prometheus/promql/parser/ast.go: every node knows its value
// type and the byte range of the input it came from. Nodes own their children (unique_ptr), so a
// tree is a value that can be moved but not shared; Clone() makes a deep copy.
// Thread-safety: a tree is immutable once parsed; concurrent readers are safe, writers are not.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporter/core/clock.h"
#include "exporter/promql/matcher.h"
#include "exporter/promql/token.h"

namespace smoke::promql {

struct Function;

enum class ValueType { kNone, kVector, kScalar, kMatrix, kString };

// "none", "vector", "scalar", "matrix", "string" (Prometheus's ValueType strings).
std::string_view ValueTypeName(ValueType t);
// The documentation's terms: "instant vector", "range vector", "scalar", "string", "none".
std::string_view DocumentedType(ValueType t);

// Byte offsets into the parsed input, [start, end).
struct PositionRange {
  int start = 0;
  int end = 0;
};

enum class NodeKind {
  kNumberLiteral,
  kStringLiteral,
  kVectorSelector,
  kMatrixSelector,
  kSubquery,
  kParen,
  kUnary,
  kBinary,
  kAggregate,
  kCall,
};

// Base of every node. Nodes are created by the parser and not copyable (use Clone()); a parsed
// tree is only read afterwards, so concurrent readers are safe.
class Expr {
 public:
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  NodeKind kind() const { return kind_; }
  virtual ValueType Type() const = 0;
  virtual PositionRange Range() const = 0;
  virtual std::unique_ptr<Expr> Clone() const = 0;

  // The node as T, or nullptr if it is another kind. T::kKind names the kind.
  template <typename T>
  const T* As() const {
    return kind_ == T::kKind ? static_cast<const T*>(this) : nullptr;
  }
  template <typename T>
  T* As() {
    return kind_ == T::kKind ? static_cast<T*>(this) : nullptr;
  }

 protected:
  explicit Expr(NodeKind kind) : kind_(kind) {}

 private:
  NodeKind kind_;
};

using ExprPtr = std::unique_ptr<Expr>;

// The @ modifier's start() / end() forms.
enum class AtModifier { kNone, kStart, kEnd };

struct NumberLiteral final : Expr {
  static constexpr NodeKind kKind = NodeKind::kNumberLiteral;
  NumberLiteral() : Expr(kKind) {}
  ValueType Type() const override { return ValueType::kScalar; }
  PositionRange Range() const override { return pos; }
  ExprPtr Clone() const override;

  double value = 0;
  PositionRange pos;
};

struct StringLiteral final : Expr {
  static constexpr NodeKind kKind = NodeKind::kStringLiteral;
  StringLiteral() : Expr(kKind) {}
  ValueType Type() const override { return ValueType::kString; }
  PositionRange Range() const override { return pos; }
  ExprPtr Clone() const override;

  std::string value;  // unquoted
  PositionRange pos;
};

struct VectorSelector final : Expr {
  static constexpr NodeKind kKind = NodeKind::kVectorSelector;
  VectorSelector() : Expr(kKind) {}
  ValueType Type() const override { return ValueType::kVector; }
  PositionRange Range() const override { return pos; }
  ExprPtr Clone() const override;

  // The metric name written before the braces, if any; it is also the last matcher
  // (__name__="name"), as in Prometheus.
  std::string name;
  std::vector<LabelMatcher> matchers;
  core::Duration original_offset{0};    // "offset 5m" / "offset -5m"
  std::optional<int64_t> timestamp_ms;  // "@ 123.456"
  AtModifier at = AtModifier::kNone;    // "@ start()" / "@ end()"
  PositionRange pos;
};

struct MatrixSelector final : Expr {
  static constexpr NodeKind kKind = NodeKind::kMatrixSelector;
  MatrixSelector() : Expr(kKind) {}
  ValueType Type() const override { return ValueType::kMatrix; }
  PositionRange Range() const override { return {vector_selector->pos.start, end_pos}; }
  ExprPtr Clone() const override;

  // Offset and @ of a range selector live on its vector selector, as in Prometheus.
  std::unique_ptr<VectorSelector> vector_selector;
  core::Duration range{0};
  int end_pos = 0;
};

struct SubqueryExpr final : Expr {
  static constexpr NodeKind kKind = NodeKind::kSubquery;
  SubqueryExpr() : Expr(kKind) {}
  ValueType Type() const override { return ValueType::kMatrix; }
  PositionRange Range() const override { return {expr->Range().start, end_pos}; }
  ExprPtr Clone() const override;

  ExprPtr expr;
  core::Duration range{0};
  core::Duration step{0};  // zero: the default (the global evaluation interval)
  core::Duration original_offset{0};
  std::optional<int64_t> timestamp_ms;
  AtModifier at = AtModifier::kNone;
  int end_pos = 0;
};

struct ParenExpr final : Expr {
  static constexpr NodeKind kKind = NodeKind::kParen;
  ParenExpr() : Expr(kKind) {}
  ValueType Type() const override { return expr->Type(); }
  PositionRange Range() const override { return pos; }
  ExprPtr Clone() const override;

  ExprPtr expr;
  PositionRange pos;
};

struct UnaryExpr final : Expr {
  static constexpr NodeKind kKind = NodeKind::kUnary;
  UnaryExpr() : Expr(kKind) {}
  ValueType Type() const override { return expr->Type(); }
  PositionRange Range() const override { return {start_pos, expr->Range().end}; }
  ExprPtr Clone() const override;

  ItemType op = ItemType::kSub;  // kAdd or kSub
  ExprPtr expr;
  int start_pos = 0;
};

enum class Cardinality { kOneToOne, kManyToOne, kOneToMany, kManyToMany };

// How the two sides of a binary operation between vectors are matched.
struct VectorMatching {
  Cardinality card = Cardinality::kOneToOne;
  std::vector<std::string> matching_labels;  // on (...) or ignoring (...)
  bool on = false;                           // true for on, false for ignoring
  std::vector<std::string> include;          // group_left (...) / group_right (...)
};

struct BinaryExpr final : Expr {
  static constexpr NodeKind kKind = NodeKind::kBinary;
  BinaryExpr() : Expr(kKind) {}
  ValueType Type() const override;
  PositionRange Range() const override { return {lhs->Range().start, rhs->Range().end}; }
  ExprPtr Clone() const override;

  ItemType op = ItemType::kAdd;
  ExprPtr lhs;
  ExprPtr rhs;
  bool return_bool = false;
  // Absent when one side is a scalar (the type checker drops it, as Prometheus does).
  std::optional<VectorMatching> matching;
};

struct AggregateExpr final : Expr {
  static constexpr NodeKind kKind = NodeKind::kAggregate;
  AggregateExpr() : Expr(kKind) {}
  ValueType Type() const override { return ValueType::kVector; }
  PositionRange Range() const override { return pos; }
  ExprPtr Clone() const override;

  ItemType op = ItemType::kSum;
  ExprPtr expr;
  ExprPtr param;  // topk/bottomk/quantile/count_values/limitk/limit_ratio only
  std::vector<std::string> grouping;
  bool without = false;
  PositionRange pos;
};

struct Call final : Expr {
  static constexpr NodeKind kKind = NodeKind::kCall;
  Call() : Expr(kKind) {}
  ValueType Type() const override;
  PositionRange Range() const override { return pos; }
  ExprPtr Clone() const override;

  const Function* func = nullptr;  // points into the static function table
  std::vector<ExprPtr> args;
  PositionRange pos;
};

// Structural equality, ignoring positions: same node kinds, operators, values, matchers (in
// any order), modifiers and children. NaN literals compare equal to each other.
bool Equal(const Expr& a, const Expr& b);

}  // namespace smoke::promql
