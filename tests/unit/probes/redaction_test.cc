#include "exporter/probes/redaction.h"

#include <gtest/gtest.h>

namespace smoke::probes {
namespace {

TEST(RedactionTest, ReplacesInvalidUtf8AndNeverSplitsACharacter) {
  EXPECT_EQ(SanitizeUtf8("plain", 100), "plain");
  EXPECT_EQ(SanitizeUtf8("caf\xC3\xA9", 100), "caf\xC3\xA9");
  EXPECT_EQ(SanitizeUtf8("a\xFF"
                         "b",
                         100),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(SanitizeUtf8("\xC0\xAF", 100), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(SanitizeUtf8("\xED\xA0\x80", 100),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(SanitizeUtf8("caf\xC3\xA9", 4), "caf");   // é would not fit whole
  EXPECT_EQ(SanitizeUtf8(std::string(5000, 'x'), 2048).size(), 2048u);
}

TEST(RedactionTest, PrintableSnippetEscapesControlCharacters) {
  EXPECT_EQ(PrintableSnippet("+PONG\r\n", 100), "+PONG\\r\\n");
  EXPECT_EQ(PrintableSnippet(std::string("a\0b", 3), 100), "a\\x00b");
  EXPECT_EQ(PrintableSnippet("\x1b[31mred", 100), "\\x1B[31mred");
}

TEST(RedactionTest, MasksEverySecretOccurrence) {
  const SecretMasker masker({"hunter2", "", "hunter2-long"});
  EXPECT_EQ(masker.Mask("pw=hunter2-long and hunter2"), "pw=<redacted> and <redacted>");
  EXPECT_EQ(SecretMasker().Mask("nothing"), "nothing");
}

TEST(RedactionTest, RedactsCredentialHeaders) {
  const HeaderPairs headers = {{"Set-Cookie", "sid=1"},
                               {"Content-Type", "text/plain"},
                               {"X-Auth-Token", "abc"},
                               {"X-Echo", "Bearer tok123"},
                               {"x-custom-key", "from config"}};
  const HeaderPairs out = RedactHeaders(headers, {"X-Custom-Key"}, SecretMasker({"tok123"}));
  const HeaderPairs want = {{"Set-Cookie", "<redacted>"},
                            {"Content-Type", "text/plain"},
                            {"X-Auth-Token", "<redacted>"},
                            {"X-Echo", "Bearer <redacted>"},
                            {"x-custom-key", "<redacted>"}};
  EXPECT_EQ(out, want);
}

TEST(RedactionTest, BodySnippetMasksASecretStraddlingTheCut) {
  const std::string secret = "s3cr3t-value";
  const std::string body = std::string(kBodySnippetBytes - 4, 'x') + secret + "tail";
  const std::string snippet = BodySnippet(body, SecretMasker({secret}));
  EXPECT_EQ(snippet.find("s3cr"), std::string::npos);
  EXPECT_LE(snippet.size(), kBodySnippetBytes);
}

}  // namespace
}  // namespace smoke::probes
