#pragma once
// Self-signed TLS material generated at test time with the openssl CLI, so no key is checked in
// and expiry dates are always in the future.

#include <cstdint>
#include <string>

#include "tests/support/temp_dir.h"

namespace smoke::testing {

struct TestCertificate {
  std::string cert_file;       // PEM certificate (also usable as a CA file: it is self-signed)
  std::string key_file;        // PEM private key
  std::string bundle_file;     // certificate + key in one PEM, as CivetWeb's ssl_certificate wants
  std::string not_after_text;  // as `openssl x509 -enddate` prints it: "Dec 22 02:32:45 2026 GMT"
  int64_t not_after_unix = 0;  // the same instant in unix seconds
};

// A certificate for CN=localhost with subjectAltName IP:127.0.0.1 and DNS:localhost, valid for
// `days`, written to `dir` as <name>.crt/.key/.pem. Throws std::runtime_error if openssl fails.
TestCertificate MakeSelfSignedCertificate(const TempDir& dir, int days = 30,
                                          const std::string& name = "server");

}  // namespace smoke::testing
