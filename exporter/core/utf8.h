#pragma once
// UTF-8 runes as Go's unicode/utf8 handles them, which Prometheus's lexer, label values and alert
// templates inherit: an invalid or truncated sequence decodes as (U+FFFD, width 1), surrogates
// and values above U+10FFFF are invalid, and encoding an invalid rune writes U+FFFD.
// Thread-safety: pure functions.

#include <string>
#include <string_view>

namespace smoke::core {

inline constexpr char32_t kRuneError = 0xFFFD;

bool ValidRune(char32_t r);
// utf8.DecodeRuneInString: the rune at the start of `s` and its width; (kRuneError, 1) for an
// invalid sequence, (kRuneError, 0) for an empty string.
char32_t DecodeRune(std::string_view s, int* width);
// utf8.EncodeRune appended to `out`.
void AppendRune(std::string* out, char32_t r);

}  // namespace smoke::core
