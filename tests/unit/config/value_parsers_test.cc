// The small value languages of the config: ${VAR} expansion, targets, byte sizes, status ranges,
// escape sequences, "did you mean".

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "exporter/config/assertion_parser.h"
#include "exporter/config/byte_size.h"
#include "exporter/config/did_you_mean.h"
#include "exporter/config/env_expander.h"
#include "exporter/config/target.h"
#include "exporter/config/tcp_parser.h"

namespace smoke::config {
namespace {

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(EnvExpanderTest, ExpandsReferencesDefaultsAndDollarEscapes) {
  const EnvLookup env = Env({{"HOST", "db"}, {"EMPTY", ""}});
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"${HOST}:5432", "db:5432"},
      {"${PORT:-5432}", "5432"},
      {"${EMPTY:-x}", "x"},
      {"${HOST:-x}", "db"},
      {"$$HOST", "$HOST"},
      {"$.status", "$.status"},
      {"^ok$", "^ok$"},
      {"a$", "a$"},
      {"${PORT:-}", ""},
  };
  for (const Case& c : cases) {
    core::Result<std::string> got = ExpandEnv(c.in, env);
    ASSERT_TRUE(got.ok()) << c.in << ": " << got.status().message();
    EXPECT_EQ(*got, c.out) << c.in;
  }
}

TEST(EnvExpanderTest, RejectsUnsetAndMalformedReferences) {
  const EnvLookup env = Env({});
  EXPECT_EQ(ExpandEnv("${TOKEN}", env).status().message(),
            "environment variable \"TOKEN\" is not set (use ${TOKEN:-default} to give a default)");
  EXPECT_EQ(ExpandEnv("a${B", env).status().message(),
            "unterminated \"${\" in \"a${B\" (write $$ for a literal $)");
  EXPECT_EQ(ExpandEnv("${1X}", env).status().message(),
            "invalid environment variable reference \"${1X}\" (names match "
            "[A-Za-z_][A-Za-z0-9_]*)");
}

TEST(TargetTest, AcceptsHttpUrlsAndHostPorts) {
  for (const char* url : {"http://127.0.0.1:8004/health", "https://example.test",
                          "HTTP://example.test?x=1", "http://[::1]:8080/", "http://h:65535#f"}) {
    EXPECT_EQ(HttpTargetError(url), std::nullopt) << url;
  }
  for (const char* t : {"127.0.0.1:6379", "redis.internal:1", "[::1]:5432", "[fe80::1%eth0]:22"}) {
    EXPECT_EQ(TcpTargetError(t), std::nullopt) << t;
  }
}

TEST(TargetTest, ExplainsBadTargets) {
  EXPECT_EQ(HttpTargetError("example.test/health"),
            "target \"example.test/health\" must be an http:// or https:// URL");
  EXPECT_EQ(HttpTargetError("http:///health"), "target \"http:///health\" has no host");
  EXPECT_EQ(HttpTargetError("http://h:0/"),
            "target \"http://h:0/\" has an invalid port \"0\" (expected 1-65535)");
  EXPECT_EQ(HttpTargetError("http://u:p@h/"),
            "target URL must not contain credentials; use basic_auth with password_file or "
            "password_env");
  EXPECT_EQ(TcpTargetError("tcp://h:1"),
            "tcp target \"tcp://h:1\" must be host:port or [ipv6]:port (without a scheme)");
  EXPECT_EQ(TcpTargetError("[::1]"), "tcp target \"[::1]\" must be host:port or [ipv6]:port");
  EXPECT_EQ(TcpTargetError(":80"), "tcp target \":80\" has no host");
  EXPECT_EQ(TcpTargetError("::1:80"),
            "tcp target \"::1:80\" has an IPv6 address without brackets (write [address]:port)");
}

TEST(ByteSizeTest, ParsesBinaryAndDecimalUnits) {
  EXPECT_EQ(ParseByteSize("1048576"), 1048576);
  EXPECT_EQ(ParseByteSize("512KiB"), 512 * 1024);
  EXPECT_EQ(ParseByteSize("4MiB"), 4 * 1024 * 1024);
  EXPECT_EQ(ParseByteSize("1GiB"), int64_t{1} << 30);
  EXPECT_EQ(ParseByteSize("1KB"), 1000);
  EXPECT_EQ(ParseByteSize("1MB"), 1000000);
  for (const char* bad : {"", "4 MiB", "4mib", "1.5MiB", "MiB", "-1", "99999999999999999999"}) {
    EXPECT_EQ(ParseByteSize(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(FormatByteSize(4 * 1024 * 1024), "4MiB");
  EXPECT_EQ(FormatByteSize(1000), "1KB");
  EXPECT_EQ(FormatByteSize(1500), "1500");
}

TEST(StatusRangeTest, ParsesCodesClassesAndRanges) {
  EXPECT_EQ(*ParseStatusRange("204"), std::make_pair(204, 204));
  EXPECT_EQ(*ParseStatusRange("2xx"), std::make_pair(200, 299));
  EXPECT_EQ(*ParseStatusRange("5XX"), std::make_pair(500, 599));
  EXPECT_EQ(*ParseStatusRange("200-399"), std::make_pair(200, 399));
  for (const char* bad : {"20", "2x9", "6xx", "099", "abc", "300-200", "200-", "1000"}) {
    EXPECT_FALSE(ParseStatusRange(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatStatusRange({200, 299}), "2xx");
  EXPECT_EQ(FormatStatusRange({200, 204}), "200-204");
  EXPECT_EQ(FormatStatusRange({418, 418}), "418");
}

TEST(EscapesTest, DecodesTheDocumentedEscapes) {
  EXPECT_EQ(*DecodeEscapes(R"(PING\r\n)"), "PING\r\n");
  EXPECT_EQ(*DecodeEscapes(R"(a\tb\\c\x41\0)"), std::string("a\tb\\cA\0", 7));
  EXPECT_EQ(DecodeEscapes(R"(\q)").status().message(),
            R"(invalid escape "\q" (supported: \r \n \t \0 \\ \xHH))");
  EXPECT_FALSE(DecodeEscapes(R"(\x4)").ok());
  EXPECT_FALSE(DecodeEscapes("end\\").ok());
  const std::string raw("a\r\n\t\\\x01", 6);
  EXPECT_EQ(*DecodeEscapes(EncodeEscapes(raw)), raw);
}

TEST(DidYouMeanTest, SuggestsOnlyCloseMatches) {
  const std::vector<std::string> keys = {"interval", "timeout", "target"};
  EXPECT_EQ(ClosestMatch("intervall", keys), "interval");
  EXPECT_EQ(ClosestMatch("timout", keys), "timeout");
  EXPECT_EQ(ClosestMatch("retries", keys), std::nullopt);
  EXPECT_EQ(DidYouMean("targte", keys), " \xE2\x80\x94 did you mean \"target\"?");
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

}  // namespace
}  // namespace smoke::config
