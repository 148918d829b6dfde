#include "exporter/clients/cert_time.h"

#include <gtest/gtest.h>

namespace smoke::clients {
namespace {

TEST(CertTimeTest, ParsesTheDatesLibcurlPrints) {
  struct Case {
    const char* text;
    std::optional<int64_t> want;
  };
  const Case cases[] = {
      {"Jan  1 00:00:00 2030 GMT", 1893456000},  // OpenSSL pads the day with a space
      {"Dec 22 02:32:45 2026 GMT", 1797906765},
      {"Feb 29 12:00:00 2028 GMT", 1835438400},
      {"Jun 15 08:30:00.123 2027 GMT", 1813048200},  // fractional seconds
      {" Mar  9 23:59:59 2031 GMT\n", 1930867199},
      {"2030-01-01 00:00:00 GMT", 1893456000},
      {"Jan 1 00:00:00 1970 GMT", 0},
      {"Foo  1 00:00:00 2030 GMT", std::nullopt},
      {"Jan 32 00:00:00 2030 GMT", std::nullopt},
      {"Jan  1 00:00:00 2030", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& tc : cases) EXPECT_EQ(ParseCertificateTime(tc.text), tc.want) << tc.text;
}

}  // namespace
}  // namespace smoke::clients
