#include "exporter/core/json_path.h"

#include <gtest/gtest.h>

namespace smoke::core {
namespace {

TEST(JsonPathTest, ParsesKeysIndexesAndQuotedKeys) {
  Result<JsonPath> p = ParseJsonPath("$.dependencies.database");
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->size(), 2u);
  EXPECT_EQ((*p)[1].key, "database");

  p = ParseJsonPath("$.items[-1]['a b']");
  ASSERT_TRUE(p.ok()) << p.status().message();
  ASSERT_EQ(p->size(), 3u);
  EXPECT_EQ((*p)[1].kind, JsonPathSegment::Kind::kIndex);
  EXPECT_EQ((*p)[1].index, -1);
  EXPECT_EQ((*p)[2].key, "a b");
  EXPECT_EQ(FormatJsonPath(*p), "$.items[-1]['a b']");
  EXPECT_TRUE(ParseJsonPath("$")->empty());
}

TEST(JsonPathTest, ErrorsNameTheColumnAndWhatWasExpected) {
  EXPECT_EQ(ParseJsonPath("status").status().message(),
            "invalid JSON path \"status\" at column 1: expected '$' at the start");
  EXPECT_EQ(ParseJsonPath("$.a..b").status().message(),
            "invalid JSON path \"$.a..b\" at column 5: expected a key name after '.'");
  EXPECT_EQ(ParseJsonPath("$.a[x]").status().message(),
            "invalid JSON path \"$.a[x]\" at column 5: expected an array index or a quoted key "
            "inside '[ ]'");
  EXPECT_EQ(ParseJsonPath("$.a[0").status().message(),
            "invalid JSON path \"$.a[0\" at column 6: expected ']'");
}

}  // namespace
}  // namespace smoke::core
