#include "exporter/server/basic_auth.h"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>
#include <optional>

namespace smoke::server {
namespace {

std::optional<std::string> DecodeBase64(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

// Compares without an early exit, so the time taken does not tell how much of a guess was right.
bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  const std::string& longer = a.size() >= b.size() ? a : b;
  for (size_t i = 0; i < longer.size(); ++i) {
    const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= x ^ y;
  }
  return diff == 0;
}

bool BcryptMatches(const std::string& password, const std::string& hash) {
  auto data = std::make_unique<crypt_data>();  // about 32 KB: not on the stack
  std::memset(data.get(), 0, sizeof(crypt_data));
  const char* result = crypt_r(password.c_str(), hash.c_str(), data.get());
  return result != nullptr && result[0] != '*' && ConstantTimeEquals(result, hash);
}

}  // namespace

BasicAuth::BasicAuth(std::map<std::string, std::string> users)
    : users_(std::move(users)), salt_(32, '\0') {
  // Without random bytes the digests are still unique per password, just not per process.
  (void)RAND_bytes(reinterpret_cast<unsigned char*>(salt_.data()), static_cast<int>(salt_.size()));
}

std::string BasicAuth::Digest(const std::string& user, const std::string& password) const {
  const std::string input = salt_ + user + '\0' + password + '\0' + users_.at(user);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(input.data(), input.size(), md, &len, EVP_sha256(), nullptr) != 1) return "";
  return std::string(reinterpret_cast<const char*>(md), len);
}

bool BasicAuth::Check(const std::string& authorization) const {
  constexpr std::string_view kScheme = "Basic ";
  if (authorization.size() <= kScheme.size() ||
      strncasecmp(authorization.c_str(), kScheme.data(), kScheme.size()) != 0) {
    return false;
  }
  std::optional<std::string> decoded = DecodeBase64(std::string_view(authorization).substr(6));
  if (!decoded) return false;
  const size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  const std::string user = decoded->substr(0, colon);
  const std::string password = decoded->substr(colon + 1);
  auto hash = users_.find(user);
  if (hash == users_.end()) {
    // As slow as a known user, so that response times do not reveal which users exist.
    (void)BcryptMatches(password, "$2b$10$invalidinvalidinvalidinOOOOOOOOOOOOOOOOOOOOOOOOOOOOOO");
    return false;
  }
  const std::string digest = Digest(user, password);
  if (!digest.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    auto known = verified_.find(user);
    if (known != verified_.end() && known->second.size() == digest.size() &&
        CRYPTO_memcmp(known->second.data(), digest.data(), digest.size()) == 0) {
      return true;
    }
  }
  if (!BcryptMatches(password, hash->second)) return false;
  if (!digest.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    verified_[user] = digest;
  }
  return true;
}

}  // namespace smoke::server
