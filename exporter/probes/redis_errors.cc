#include "exporter/probes/redis_errors.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace smoke::probes {
namespace {

bool ContainsNoCase(std::string_view haystack, std::string_view needle) {
  auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                        [](char a, char b) {
                          return std::tolower(static_cast<unsigned char>(a)) ==
                                 std::tolower(static_cast<unsigned char>(b));
                        });
  return it != haystack.end();
}

}  // namespace

std::string_view RedisErrorCode(std::string_view error_text) {
  return error_text.substr(0, error_text.find(' '));
}

core::Reason RedisErrorReason(std::string_view command, std::string_view error_text) {
  const std::string_view code = RedisErrorCode(error_text);
  if (code == "NOAUTH") return core::Reason::kAuthRequired;
  if (code == "WRONGPASS") return core::Reason::kAuthFailed;
  if (code == "NOPERM") return core::Reason::kPermissionDenied;
  if (code == "OOM") return core::Reason::kOom;
  if (code == "READONLY") return core::Reason::kReadonly;
  if (code == "ERR") {
    // Redis < 6: "ERR invalid password".
    if (ContainsNoCase(error_text, "invalid password")) return core::Reason::kAuthFailed;
    if (command == "AUTH") {
      // "ERR AUTH <password> called without any password configured for the default user":
      // we sent a password the server does not expect. "ERR wrong number of arguments for
      // 'auth' command": a username sent to Redis < 6, which has no ACL users.
      if (ContainsNoCase(error_text, "without any password configured") ||
          ContainsNoCase(error_text, "wrong number of arguments")) {
        return core::Reason::kAuthFailed;
      }
    }
    if (command == "SELECT" && (ContainsNoCase(error_text, "DB index is out of range") ||
                                ContainsNoCase(error_text, "invalid DB index"))) {
      return core::Reason::kDatabaseMissing;
    }
  }
  return core::Reason::kCommandFailed;
}

}  // namespace smoke::probes
