#include "exporter/probes/redaction.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

namespace smoke::probes {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not valid (overlong
// forms, surrogates and code points above U+10FFFF are invalid, as in RFC 3629).
size_t ValidSequenceLength(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

template <typename Emit>
std::string Sanitize(std::string_view text, size_t max_bytes, Emit emit_ascii) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  size_t i = 0;
  while (i < text.size()) {
    const size_t len = ValidSequenceLength(text, i);
    std::string piece;
    if (len == 0) {
      piece = kReplacement;
      i += 1;
    } else if (len == 1) {
      piece = emit_ascii(text[i]);
      i += 1;
    } else {
      piece = std::string(text.substr(i, len));
      i += len;
    }
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
  }
  return out;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string SanitizeUtf8(std::string_view text, size_t max_bytes) {
  return Sanitize(text, max_bytes, [](char c) { return std::string(1, c); });
}

std::string PrintableSnippet(std::string_view text, size_t max_bytes) {
  return Sanitize(text, max_bytes, [](char c) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') return std::string("\\n");
    if (c == '\r') return std::string("\\r");
    if (c == '\t') return std::string("\\t");
    if (u < 0x20 || u == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", u);
      return std::string(buf);
    }
    return std::string(1, c);
  });
}

SecretMasker::SecretMasker(std::vector<std::string> secrets) {
  for (std::string& s : secrets) {
    if (s.empty()) continue;
    longest_ = std::max(longest_, s.size());
    secrets_.push_back(std::move(s));
  }
  // Longest first, so a secret containing another is masked whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

std::string SecretMasker::Mask(std::string text) const {
  for (const std::string& secret : secrets_) {
    size_t pos = 0;
    while ((pos = text.find(secret, pos)) != std::string::npos) {
      text.replace(pos, secret.size(), kRedacted);
      pos += kRedacted.size();
    }
  }
  return text;
}

bool IsCredentialHeader(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "authorization" || lower == "proxy-authorization" || lower == "cookie" ||
      lower == "set-cookie") {
    return true;
  }
  // Same words the config loader treats as credential-bearing header names.
  static constexpr std::array<std::string_view, 6> kWords = {"token",   "secret", "password",
                                                             "api-key", "apikey", "api_key"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view w) { return lower.find(w) != std::string::npos; });
}

HeaderPairs RedactHeaders(const HeaderPairs& headers, const std::vector<std::string>& extra_names,
                          const SecretMasker& masker) {
  constexpr size_t kMaxValueBytes = 512;
  HeaderPairs out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) {
    const bool secret =
        IsCredentialHeader(name) ||
        std::any_of(extra_names.begin(), extra_names.end(),
                    [&name = name](const std::string& n) { return EqualsIgnoreCase(n, name); });
    out.emplace_back(
        PrintableSnippet(name, 256),
        secret ? std::string(kRedacted) : PrintableSnippet(masker.Mask(value), kMaxValueBytes));
  }
  return out;
}

std::string BodySnippet(std::string_view body, const SecretMasker& masker) {
  // Mask a little beyond the cut so a secret straddling it is not left half visible.
  const size_t take = std::min(body.size(), kBodySnippetBytes + masker.longest());
  return SanitizeUtf8(masker.Mask(std::string(body.substr(0, take))), kBodySnippetBytes);
}

}  // namespace smoke::probes
