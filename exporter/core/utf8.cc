#include "exporter/core/utf8.h"

namespace smoke::core {

bool ValidRune(char32_t r) { return r <= 0x10FFFF && !(r >= 0xD800 && r <= 0xDFFF); }

char32_t DecodeRune(std::string_view s, int* width) {
  if (s.empty()) {
    *width = 0;
    return kRuneError;
  }
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) {
    *width = 1;
    return b0;
  }
  int n;
  char32_t r;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    n = 2, r = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    n = 3, r = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    n = 4, r = b0 & 0x07, min = 0x10000;
  } else {
    *width = 1;
    return kRuneError;
  }
  if (static_cast<int>(s.size()) < n) {
    *width = 1;
    return kRuneError;
  }
  for (int i = 1; i < n; ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) != 0x80) {
      *width = 1;
      return kRuneError;
    }
    r = (r << 6) | (b & 0x3F);
  }
  if (r < min || !ValidRune(r)) {
    *width = 1;
    return kRuneError;
  }
  *width = n;
  return r;
}

void AppendRune(std::string* out, char32_t r) {
  if (!ValidRune(r)) r = kRuneError;
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

}  // namespace smoke::core
