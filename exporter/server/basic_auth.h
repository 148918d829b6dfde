#pragma once
// HTTP basic authentication against bcrypt hashes (the web config's basic_auth_users), as
// Prometheus's exporter-toolkit does it. bcrypt is slow on purpose (tens of milliseconds at cost
// 10), so a successful check is remembered per user as a salted SHA-256 of the credentials (never
// the password itself): a later request with the same password is accepted after a constant-time
// comparison of digests instead of another bcrypt run, and a wrong password always pays the full
// bcrypt cost.
// Thread-safety: Check() may be called from any number of threads.

#include <map>
#include <mutex>
#include <string>

namespace smoke::server {

class BasicAuth {
 public:
  explicit BasicAuth(std::map<std::string, std::string> users);

  // True if `authorization` ("Basic base64(user:password)") names a configured user with the
  // right password.
  bool Check(const std::string& authorization) const;

 private:
  std::string Digest(const std::string& user, const std::string& password) const;

  const std::map<std::string, std::string> users_;  // user -> bcrypt hash
  std::string salt_;                                // random per instance
  mutable std::mutex mu_;
  mutable std::map<std::string, std::string> verified_;  // user -> Digest(user, password)
};

}  // namespace smoke::server
