#include "exporter/config/json_expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace smoke::config {
namespace {

using Type = JsonScalar::Type;

TEST(JsonExpressionTest, ParsesEveryOperator) {
  struct Case {
    const char* text;
    JsonOp op;
    size_t values;
  } cases[] = {
      {"$.status == \"healthy\"", JsonOp::kEq, 1},
      {"$.status != null", JsonOp::kNe, 1},
      {"$.count < 10", JsonOp::kLt, 1},
      {"$.count<=10", JsonOp::kLe, 1},
      {"$.ratio > -0.5", JsonOp::kGt, 1},
      {"$.ratio >= 1e3", JsonOp::kGe, 1},
      {"$.dependencies exists", JsonOp::kExists, 0},
      {"$.error absent", JsonOp::kAbsent, 0},
      {"$.status in [\"healthy\", \"ok\"]", JsonOp::kAnyOf, 2},
      {"$.version =~ \"^1\\.\"", JsonOp::kMatches, 0},
      {"  $['key with space'][0] == true  ", JsonOp::kEq, 1},
  };
  for (const Case& c : cases) {
    core::Result<JsonExpression> got = ParseJsonExpression(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().message();
    EXPECT_EQ(got->op, c.op) << c.text;
    EXPECT_EQ(got->values.size(), c.values) << c.text;
  }
}

TEST(JsonExpressionTest, DecodesJsonScalars) {
  core::Result<JsonExpression> got =
      ParseJsonExpression(R"($.a in ["x\"y\u00e9", -1.5e2, true, false, null])");
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(got->values.size(), 5u);
  EXPECT_EQ(got->values[0].type, Type::kString);
  EXPECT_EQ(got->values[0].string_value, "x\"y\xC3\xA9");
  EXPECT_EQ(got->values[1].type, Type::kNumber);
  EXPECT_DOUBLE_EQ(got->values[1].number_value, -150);
  EXPECT_TRUE(got->values[2].bool_value);
  EXPECT_EQ(got->values[3].type, Type::kBool);
  EXPECT_FALSE(got->values[3].bool_value);
  EXPECT_EQ(got->values[4].type, Type::kNull);
}

TEST(JsonExpressionTest, KeepsRegexEscapesForRe2) {
  core::Result<JsonExpression> got = ParseJsonExpression(R"($.v =~ "\bv\d+\.\"x\"")");
  ASSERT_TRUE(got.ok()) << got.status().message();
  EXPECT_EQ(got->pattern, R"(\bv\d+\."x")");
}

TEST(JsonExpressionTest, SaysWhatWasExpectedWhere) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"$.a", "expected an operator (==, !=, <, <=, >, >=, =~, in, exists, absent) at column 4"},
      {"$.a ==", "expected a JSON value (a \"string\", a number, true, false or null) at column 7"},
      {"$.a == 01",
       "expected a JSON value (a \"string\", a number, true, false or null) at column 8"},
      {"$.a == ok",
       "expected a JSON value (a \"string\", a number, true, false or null) at column 8"},
      {"$.a > \"1\"", "expected a number after \">\" at column 7"},
      {"$.a in 1", "expected '[' to start the list after \"in\" at column 8"},
      {"$.a in [1 2]", "expected ',' or ']' at column 11"},
      {"$.a =~ x", "expected a \"quoted\" regular expression after \"=~\" at column 8"},
      {"$.a =~ \"[\"", "invalid regular expression: missing ]: ["},
      {"$.a exists now", "expected the end of the expression at column 12"},
      {"status == 1", "invalid JSON path \"status\" at column 1: expected '$' at the start"},
      // Found by fuzzing: these became inf, printed as "inf", which does not parse again.
      {"$.a >= 1e3081", "number out of range at column 8 (beyond a double's ±1.8e308)"},
      {"$.a in [1, -2e400]", "number out of range at column 12 (beyond a double's ±1.8e308)"},
  };
  for (const Case& c : cases) {
    core::Result<JsonExpression> got = ParseJsonExpression(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_EQ(got.status().message(),
              "invalid json assertion \"" + std::string(c.text) + "\": " + c.error);
  }
}

TEST(JsonExpressionTest, FormatsBackToAnEquivalentExpression) {
  for (const char* text : {"$.a == \"x\\\"y\"", "$.a in [1.5, true, null]", "$.a exists",
                           "$.v =~ \"^1\\.\\d\"", "$.n <= -2"}) {
    core::Result<JsonExpression> first = ParseJsonExpression(text);
    ASSERT_TRUE(first.ok()) << text;
    const std::string formatted =
        FormatJsonExpression(first->path, first->op, first->values, first->pattern);
    EXPECT_EQ(formatted, text);
  }
}

}  // namespace
}  // namespace smoke::config
