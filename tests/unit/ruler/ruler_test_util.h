#pragma once
// Builders for rule specs and a query helper shared by the rule engine's tests.

#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "exporter/promql/engine.h"
#include "exporter/promql/parser.h"
#include "exporter/ruler/rule_file.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::ruler::test_util {

inline RuleSpec Spec(std::string expr) {
  RuleSpec spec;
  spec.expr = std::move(expr);
  auto parsed = promql::ParseExpr(spec.expr);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  if (parsed.ok()) spec.parsed = std::shared_ptr<const promql::Expr>(std::move(parsed).value());
  return spec;
}

inline RuleSpec AlertSpec(std::string name, std::string expr, core::Duration for_duration = {},
                          StringPairs labels = {}, StringPairs annotations = {}) {
  RuleSpec spec = Spec(std::move(expr));
  spec.alert = std::move(name);
  spec.for_duration = for_duration;
  spec.labels = std::move(labels);
  spec.annotations = std::move(annotations);
  return spec;
}

inline RuleSpec RecordSpec(std::string name, std::string expr, StringPairs labels = {}) {
  RuleSpec spec = Spec(std::move(expr));
  spec.record = std::move(name);
  spec.labels = std::move(labels);
  return spec;
}

// The instant vector `expr` evaluates to at t_ms; fails the test on error or another type.
inline promql::Vector QueryVector(const tsdb::MemoryStorage& storage, const std::string& expr,
                                  int64_t t_ms) {
  auto parsed = promql::ParseExpr(expr);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  if (!parsed.ok()) return {};
  auto value = promql::EvalInstant(**parsed, storage, t_ms);
  EXPECT_TRUE(value.ok()) << value.status().message();
  if (!value.ok()) return {};
  auto* vec = std::get_if<promql::Vector>(&value.value());
  EXPECT_NE(vec, nullptr) << expr << " is not a vector";
  return vec != nullptr ? *vec : promql::Vector{};
}

inline constexpr int64_t kMinuteMs = 60'000;

}  // namespace smoke::ruler::test_util
