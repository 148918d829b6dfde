#pragma once
// HTTP basic authentication against bcrypt hashes (the web config's basic_auth_users), as
// Prometheus's exporter-toolkit does it. bcrypt is slow on purpose (tens of milliseconds at cost
// 10), so a successful check is remembered per user: a later request with the same password is
// accepted after a constant-time comparison instead of another bcrypt run, and a wrong password
// always pays the full bcrypt cost.
// Thread-safety: Check() may be called from any number of threads.

#include <map>
#include <mutex>
#include <string>

namespace smoke::server {

class BasicAuth {
 public:
  explicit BasicAuth(std::map<std::string, std::string> users) : users_(std::move(users)) {}

  // True if `authorization` ("Basic base64(user:password)") names a configured user with the
  // right password.
  bool Check(const std::string& authorization) const;

 private:
  const std::map<std::string, std::string> users_;  // user -> bcrypt hash
  mutable std::mutex mu_;
  mutable std::map<std::string, std::string> verified_;  // user -> the password that matched
};

}  // namespace smoke::server
