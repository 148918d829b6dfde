#include "exporter/probes/json_path_eval.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>

#include "tests/unit/probes/probe_test_util.h"

namespace smoke::probes {
namespace {

using config::JsonOp;
using namespace testutil;  // NOLINT: test builders

constexpr char kDoc[] = R"({
  "status": "ok", "count": 3, "ratio": 0.25, "enabled": true, "gone": null,
  "dependencies": {"database": "healthy", "cache": "degraded"},
  "items": [{"id": 1}, {"id": 2}, {"id": 3, "tags": ["a", "b"]}],
  "key with space": "yes", "version": "2.4.1"
})";

nlohmann::json Doc() {
  nlohmann::json doc;
  std::string error;
  EXPECT_TRUE(ParseJsonBody(kDoc, &doc, &error)) << error;
  return doc;
}

const nlohmann::json* Resolve(const nlohmann::json& doc, const std::string& path) {
  core::Result<core::JsonPath> parsed = core::ParseJsonPath(path);
  EXPECT_TRUE(parsed.ok()) << path;
  return parsed.ok() ? ResolveJsonPath(doc, parsed.value()) : nullptr;
}

TEST(JsonPathEvalTest, ResolvesKeysIndexesAndNegativeIndexes) {
  const nlohmann::json doc = Doc();
  struct Case {
    const char* path;
    const char* want;  // JSON text, or nullptr for "not found"
  };
  const Case cases[] = {
      {"$", nullptr},  // checked separately: the whole document
      {"$.status", R"("ok")"},
      {"$.dependencies.database", R"("healthy")"},
      {"$.items[0].id", "1"},
      {"$.items[-1].id", "3"},
      {"$.items[-1].tags[-2]", R"("a")"},
      {"$.items[3]", nullptr},
      {"$.items[-4]", nullptr},
      {"$['key with space']", R"("yes")"},
      {"$.gone", "null"},
      {"$.missing", nullptr},
      {"$.status.deeper", nullptr},    // key on a string
      {"$.dependencies[0]", nullptr},  // index on an object
      {"$.items.id", nullptr},         // key on an array
  };
  for (const Case& tc : cases) {
    if (std::string(tc.path) == "$") continue;
    const nlohmann::json* v = Resolve(doc, tc.path);
    if (tc.want == nullptr) {
      EXPECT_EQ(v, nullptr) << tc.path;
    } else {
      ASSERT_NE(v, nullptr) << tc.path;
      EXPECT_EQ(JsonValueText(*v), tc.want) << tc.path;
    }
  }
  EXPECT_EQ(Resolve(doc, "$"), &doc);
}

TEST(JsonPathEvalTest, ReportsShortParseErrors) {
  nlohmann::json doc;
  std::string error;
  EXPECT_FALSE(ParseJsonBody("<html>502 Bad Gateway</html>", &doc, &error));
  EXPECT_NE(error.find("syntax error"), std::string::npos) << error;
  EXPECT_EQ(error.find("[json.exception"), std::string::npos) << error;
  EXPECT_FALSE(ParseJsonBody("", &doc, &error));
  EXPECT_FALSE(ParseJsonBody(R"({"a":1)", &doc, &error));
  EXPECT_FALSE(ParseJsonBody(std::string(100000, '['), &doc, &error));
  EXPECT_NE(error.find("nested deeper"), std::string::npos) << error;
  EXPECT_TRUE(ParseJsonBody(R"({"s":"[[[[[[["})", &doc, &error)) << error;
}

TEST(JsonPathEvalTest, AppliesOperatorsWithStrictTypes) {
  const nlohmann::json doc = Doc();
  const RE2 semver(R"(^2\.\d+\.\d+$)");
  const RE2 digits(R"(^\d+$)");
  struct Case {
    const char* path;
    JsonOp op;
    std::vector<config::JsonScalar> operands;
    const RE2* pattern;
    bool passed;
    const char* actual;
  };
  const Case cases[] = {
      {"$.status", JsonOp::kEq, {JString("ok")}, nullptr, true, R"("ok")"},
      {"$.status", JsonOp::kEq, {JString("OK")}, nullptr, false, R"("ok")"},
      {"$.count", JsonOp::kEq, {JNumber(3)}, nullptr, true, "3"},
      {"$.count", JsonOp::kEq, {JString("3")}, nullptr, false, "3"},  // strictly typed
      {"$.ratio", JsonOp::kEq, {JNumber(0.25)}, nullptr, true, "0.25"},
      {"$.enabled", JsonOp::kEq, {JBool(true)}, nullptr, true, "true"},
      {"$.enabled", JsonOp::kEq, {JBool(false)}, nullptr, false, "true"},
      {"$.gone", JsonOp::kEq, {JNull()}, nullptr, true, "null"},
      {"$.missing", JsonOp::kEq, {JNull()}, nullptr, false, "path not found"},
      {"$.status", JsonOp::kNe, {JString("down")}, nullptr, true, R"("ok")"},
      {"$.status", JsonOp::kNe, {JString("ok")}, nullptr, false, R"("ok")"},
      {"$.missing", JsonOp::kNe, {JString("ok")}, nullptr, false, "path not found"},
      {"$.count", JsonOp::kLt, {JNumber(5)}, nullptr, true, "3"},
      {"$.count", JsonOp::kLt, {JNumber(3)}, nullptr, false, "3"},
      {"$.count", JsonOp::kLe, {JNumber(3)}, nullptr, true, "3"},
      {"$.count", JsonOp::kGt, {JNumber(2.5)}, nullptr, true, "3"},
      {"$.count", JsonOp::kGe, {JNumber(4)}, nullptr, false, "3"},
      {"$.status", JsonOp::kGt, {JNumber(1)}, nullptr, false, R"("ok" (not a number))"},
      {"$.version", JsonOp::kGe, {JString("2.0")}, nullptr, true, R"("2.4.1")"},
      {"$.status", JsonOp::kExists, {}, nullptr, true, R"("ok")"},
      {"$.gone", JsonOp::kExists, {}, nullptr, true, "null"},  // null exists
      {"$.missing", JsonOp::kExists, {}, nullptr, false, "path not found"},
      {"$.missing", JsonOp::kAbsent, {}, nullptr, true, "path not found"},
      {"$.dependencies",
       JsonOp::kAbsent,
       {},
       nullptr,
       false,
       R"({"cache":"degraded","database":"healthy"})"},
      {"$.dependencies.cache",
       JsonOp::kAnyOf,
       {JString("healthy"), JString("degraded")},
       nullptr,
       true,
       R"("degraded")"},
      {"$.dependencies.cache",
       JsonOp::kAnyOf,
       {JString("healthy"), JString("ok")},
       nullptr,
       false,
       R"("degraded")"},
      {"$.count", JsonOp::kAnyOf, {JNumber(1), JNumber(3)}, nullptr, true, "3"},
      {"$.version", JsonOp::kMatches, {}, &semver, true, R"("2.4.1")"},
      {"$.status", JsonOp::kMatches, {}, &semver, false, R"("ok")"},
      {"$.count", JsonOp::kMatches, {}, &digits, true, "3"},  // non-strings match their text
      {"$.missing", JsonOp::kMatches, {}, &digits, false, "path not found"},
  };
  for (const Case& tc : cases) {
    const JsonCheckResult r = CheckJsonValue(Resolve(doc, tc.path), tc.op, tc.operands, tc.pattern);
    EXPECT_EQ(r.passed, tc.passed) << tc.path << " op " << static_cast<int>(tc.op);
    EXPECT_EQ(r.actual, tc.actual) << tc.path << " op " << static_cast<int>(tc.op);
  }
}

TEST(JsonPathEvalTest, DescribesChecksTheWayTheyAreWritten) {
  EXPECT_EQ(DescribeJsonCheck("$.db", JsonOp::kEq, {JString("healthy")}, ""),
            R"($.db == "healthy")");
  EXPECT_EQ(DescribeJsonCheck("$.n", JsonOp::kLe, {JNumber(0.5)}, ""), "$.n <= 0.5");
  EXPECT_EQ(DescribeJsonCheck("$.n", JsonOp::kGt, {JNumber(100)}, ""), "$.n > 100");
  EXPECT_EQ(DescribeJsonCheck("$.a", JsonOp::kExists, {}, ""), "$.a exists");
  EXPECT_EQ(DescribeJsonCheck("$.a", JsonOp::kAbsent, {}, ""), "$.a absent");
  EXPECT_EQ(DescribeJsonCheck("$.s", JsonOp::kAnyOf, {JString("ok"), JNull(), JBool(false)}, ""),
            R"($.s in ["ok", null, false])");
  EXPECT_EQ(DescribeJsonCheck("$.v", JsonOp::kMatches, {}, R"(^2\.)"), R"($.v =~ "^2\\.")");
  EXPECT_EQ(DescribeJsonCheck("$.s", JsonOp::kNe, {JString("a\"b")}, ""), R"($.s != "a\"b")");
}

TEST(JsonPathEvalTest, CapsLongValues) {
  const nlohmann::json big = std::string(1000, 'x');
  const std::string text = JsonValueText(big, 50);
  EXPECT_EQ(text.size(), 53u);
  EXPECT_EQ(text.substr(50), "...");
}

}  // namespace
}  // namespace smoke::probes
