#pragma once
// Making what a target sent safe to keep as evidence: valid UTF-8, capped, with credentials
// masked. Targets are not trusted: a response can echo our Authorization header back, carry
// session cookies, or contain arbitrary bytes that would break JSON output and log lines.
// Thread-safety: free functions are pure; a SecretMasker is immutable after construction.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smoke::probes {

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kRedacted = "<redacted>";
// Evidence keeps this much of a body (blackbox_exporter's debug output keeps none; 2 KiB shows a
// JSON error document or an HTML error page title without flooding the history).
inline constexpr size_t kBodySnippetBytes = 2048;

// `text` with every invalid UTF-8 byte replaced by U+FFFD, cut to at most `max_bytes` bytes of
// output without splitting a character.
std::string SanitizeUtf8(std::string_view text, size_t max_bytes);

// Like SanitizeUtf8, but control characters other than \n, \r, \t become their \xNN escape, for
// one-line human text (assertion "actual" values, messages).
std::string PrintableSnippet(std::string_view text, size_t max_bytes);

// Replaces every occurrence of each configured secret value with "<redacted>".
class SecretMasker {
 public:
  SecretMasker() = default;
  // Empty values are ignored (they would match everywhere).
  explicit SecretMasker(std::vector<std::string> secrets);

  std::string Mask(std::string text) const;
  bool empty() const { return secrets_.empty(); }
  size_t longest() const { return longest_; }

 private:
  std::vector<std::string> secrets_;
  size_t longest_ = 0;
};

// True for headers whose values are credentials: Set-Cookie, Cookie, Authorization,
// Proxy-Authorization, and any name containing token, secret, password or api-key (X-Auth-Token,
// X-Api-Key, ...), compared case-insensitively.
bool IsCredentialHeader(std::string_view name);

// Response headers as evidence: credential headers and `extra_names` (e.g. the names of headers
// we sent with a secret value, in case the target echoes them) get "<redacted>" values; every
// other value is masked, sanitised and capped.
HeaderPairs RedactHeaders(const HeaderPairs& headers, const std::vector<std::string>& extra_names,
                          const SecretMasker& masker);

// The body as evidence: the first kBodySnippetBytes, secrets masked, valid UTF-8.
std::string BodySnippet(std::string_view body, const SecretMasker& masker);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace smoke::probes
