#pragma once
// An in-process HTTP server on 127.0.0.1:<random port> for unit tests that must inject faults a
// real server won't produce on demand. Handlers get the raw CivetWeb connection so they can
// delay, stall, send garbage or huge bodies.
// Thread-safety: handlers run on CivetWeb worker threads; Set/Route before sending requests.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

struct mg_connection;
class CivetServer;

namespace smoke::testing {

struct FakeRequest {
  std::string method;
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class FakeHttpServer {
 public:
  using Handler = std::function<void(mg_connection* conn, const FakeRequest& req)>;

  // No TLS mode: Debian's CivetWeb 1.15 calls an OpenSSL 1.1 symbol that OpenSSL 3 no longer
  // exports and crashes after the handshake. TLS tests use tests/support/openssl_server.h.
  struct Options {
    int threads = 8;
  };

  FakeHttpServer();
  explicit FakeHttpServer(Options options);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  // Handler for one exact path ("/health"); unknown paths answer 404.
  void Route(const std::string& path, Handler handler);
  // Convenience: a fixed response.
  void Respond(const std::string& path, int status, const std::string& body,
               std::vector<std::pair<std::string, std::string>> headers = {});

  int port() const { return port_; }
  // "http://127.0.0.1:<port>".
  std::string base_url() const;
  // Requests seen so far (copy).
  std::vector<FakeRequest> requests() const;

  // Writes a complete response (status line, headers, Content-Length, body).
  static void WriteResponse(mg_connection* conn, int status, const std::string& body,
                            const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  class Dispatcher;
  void Dispatch(mg_connection* conn);

  Options options_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<CivetServer> server_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::map<std::string, Handler> routes_;
  std::vector<FakeRequest> requests_;
};

}  // namespace smoke::testing
