#pragma once
// A TLS server for tests: `openssl s_server -WWW` on 127.0.0.1:<random port>, answering
// "GET /<name> HTTP/1.x" with "HTTP/1.0 200 ok" and the file <root>/<name>.
//
// Why not FakeHttpServer's TLS mode: the packaged CivetWeb 1.15 loads libssl at run time and
// looks up SSL_get_peer_certificate, which OpenSSL 3 no longer exports (it became a macro for
// SSL_get1_peer_certificate); CivetWeb then calls the null pointer after every handshake and the
// worker thread crashes. The openssl CLI is always installed alongside the library.
// Thread-safety: construct and destroy on one thread.

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "tests/support/tls_cert.h"

namespace smoke::testing {

class OpenSslServer {
 public:
  // Starts the server and waits until it listens. Throws std::runtime_error if it does not.
  OpenSslServer(const TestCertificate& cert, const std::filesystem::path& root);
  // Stops the server (SIGTERM) and reaps it.
  ~OpenSslServer();
  OpenSslServer(const OpenSslServer&) = delete;
  OpenSslServer& operator=(const OpenSslServer&) = delete;

  int port() const { return port_; }
  // "https://127.0.0.1:<port>"
  std::string base_url() const;
  // "127.0.0.1:<port>"
  std::string address() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace smoke::testing
