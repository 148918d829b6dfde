#include "tests/support/tls_cert.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace smoke::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs `command` with stdout to `out` and stderr to `log`.
void Run(const std::string& command, const std::string& out, const std::string& log) {
  const std::string full = command + " >'" + out + "' 2>'" + log + "'";
  if (std::system(full.c_str()) != 0) {
    throw std::runtime_error("command failed: " + command + "\n" + ReadFile(log));
  }
}

}  // namespace

TestCertificate MakeSelfSignedCertificate(const TempDir& dir, int days, const std::string& name) {
  const std::string base = (dir.path() / name).string();
  TestCertificate cert;
  cert.cert_file = base + ".crt";
  cert.key_file = base + ".key";
  cert.bundle_file = base + ".pem";
  const std::string log = base + ".log";
  Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days " +
          std::to_string(days) + " -subj /CN=localhost" +
          " -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout '" + cert.key_file +
          "' -out '" + cert.cert_file + "'",
      log + ".out", log);
  const std::string enddate_file = base + ".enddate";
  Run("openssl x509 -enddate -noout -in '" + cert.cert_file + "'", enddate_file, log);
  std::ofstream(cert.bundle_file) << ReadFile(cert.cert_file) << ReadFile(cert.key_file);

  // "notAfter=Dec 22 02:32:45 2026 GMT"
  std::string line = ReadFile(enddate_file);
  if (line.rfind("notAfter=", 0) != 0) throw std::runtime_error("unexpected enddate: " + line);
  line = line.substr(9);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  cert.not_after_text = line;
  std::tm tm{};
  if (strptime(line.c_str(), "%b %d %H:%M:%S %Y GMT", &tm) == nullptr) {
    throw std::runtime_error("cannot parse enddate: " + line);
  }
  cert.not_after_unix = static_cast<int64_t>(timegm(&tm));
  return cert;
}

}  // namespace smoke::testing
