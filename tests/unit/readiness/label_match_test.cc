// block_on matchers as users write them (Alertmanager's route/amtool syntax) and the matching
// semantics shared with silences: anchored regexes, absent labels read as "", negations.

#include "exporter/readiness/label_match.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace smoke::readiness {
namespace {

using ::testing::HasSubstr;

struct MatchCase {
  const char* set;
  LabelMap labels;
  bool matches;
};

class MatcherSetMatchTest : public ::testing::TestWithParam<MatchCase> {};

TEST_P(MatcherSetMatchTest, MatchesAsAlertmanagerDoes) {
  const MatchCase& c = GetParam();
  core::Result<MatcherSet> set = ParseMatcherSet(c.set);
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(MatchesAll(*set, c.labels), c.matches) << c.set;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MatcherSetMatchTest,
    ::testing::Values(
        MatchCase{"severity=critical", {{"severity", "critical"}}, true},
        MatchCase{"severity=critical", {{"severity", "critical2"}}, false},
        MatchCase{R"(severity="critical")", {{"severity", "critical"}}, true},
        MatchCase{"gate=release", {}, false},
        // Regexes are anchored at both ends.
        MatchCase{"severity=~crit", {{"severity", "critical"}}, false},
        MatchCase{"severity=~crit.*", {{"severity", "critical"}}, true},
        MatchCase{R"(severity=~"page|critical")", {{"severity", "critical"}}, true},
        MatchCase{R"(severity=~"page|critical")", {{"severity", "xcritical"}}, false},
        // An absent label is "": != matches it, =~ ".*" matches it, =~ ".+" does not.
        MatchCase{"env!=prod", {}, true}, MatchCase{"env!=prod", {{"env", "prod"}}, false},
        MatchCase{"env=~.*", {}, true}, MatchCase{"env=~.+", {}, false},
        MatchCase{"env!~dev|test", {{"env", "prod"}}, true},
        MatchCase{"env!~dev|test", {{"env", "dev"}}, false},
        // Sets are ANDed; braces and quoted commas are fine.
        MatchCase{R"({team="db", severity=~"a{1,2}"})", {{"team", "db"}, {"severity", "aa"}}, true},
        MatchCase{"team=db, severity=critical", {{"team", "db"}, {"severity", "warning"}}, false},
        MatchCase{R"(msg="say \"hi\"")", {{"msg", "say \"hi\""}}, true},
        MatchCase{R"(path=~"\d+")", {{"path", "42"}}, true}));

struct BadMatcher {
  const char* text;
  const char* error;
};

class BadMatcherTest : public ::testing::TestWithParam<BadMatcher> {};

TEST_P(BadMatcherTest, IsRejectedWithAClearMessage) {
  core::Result<MatcherSet> set = ParseMatcherSet(GetParam().text);
  ASSERT_FALSE(set.ok());
  EXPECT_THAT(set.status().message(), HasSubstr(GetParam().error));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadMatcherTest,
    ::testing::Values(BadMatcher{"severity", "missing operator in \"severity\""},
                      BadMatcher{"1a=b", "invalid label name \"1a\""},
                      BadMatcher{R"(a="b)", "unterminated quoted value"},
                      BadMatcher{"a=~(b", "invalid regular expression in \"a=~(b\": missing )"},
                      BadMatcher{"", "empty matcher set"}, BadMatcher{"{}", "empty matcher set"},
                      BadMatcher{"{a=b", "missing closing }"},
                      BadMatcher{"a=b,,c=d", "empty matcher"}));

TEST(MatcherSetTest, FormatsBackAsWritten) {
  core::Result<MatcherSet> set = ParseMatcherSet(R"(gate=release, severity=~"crit.*")");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(FormatMatcherSet(*set), R"(gate="release", severity=~"crit.*")");
}

}  // namespace
}  // namespace smoke::readiness
