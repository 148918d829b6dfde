#include "exporter/core/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace smoke::core {
namespace {

struct DecodeCase {
  std::string input;
  char32_t rune;
  int width;
};

TEST(Utf8Test, DecodesAsGoDoes) {
  const DecodeCase cases[] = {
      {"", kRuneError, 0},
      {"a", U'a', 1},
      {"\xc3\xa9x", U'\u00e9', 2},
      {"\xe2\x82\xac", U'\u20ac', 3},
      {"\xf0\x9f\x94\xa5", U'\U0001f525', 4},
      {"\xe2\x82", kRuneError, 1},          // truncated
      {"\xc0\xaf", kRuneError, 1},          // overlong '/'
      {"\xed\xa0\x80", kRuneError, 1},      // surrogate U+D800
      {"\xf4\x90\x80\x80", kRuneError, 1},  // above U+10FFFF
      {"\x80", kRuneError, 1},              // lone continuation byte
      {"\xef\xbf\xbd", kRuneError, 3},      // U+FFFD itself is valid, width 3
  };
  for (const DecodeCase& c : cases) {
    int width = -1;
    EXPECT_EQ(DecodeRune(c.input, &width), c.rune) << testing::PrintToString(c.input);
    EXPECT_EQ(width, c.width) << testing::PrintToString(c.input);
  }
}

TEST(Utf8Test, EncodesEveryWidthAndReplacesInvalidRunes) {
  std::string out;
  for (char32_t r : {U'a', U'\u00e9', U'\u20ac', U'\U0001f525'}) AppendRune(&out, r);
  EXPECT_EQ(out, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\xa5");
  out.clear();
  AppendRune(&out, 0xD800);
  AppendRune(&out, 0x110000);
  EXPECT_EQ(out, "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_FALSE(ValidRune(0xDFFF));
  EXPECT_TRUE(ValidRune(0x10FFFF));
}

}  // namespace
}  // namespace smoke::core
