#pragma once
// A tiny HTTP server on 127.0.0.1:<free port> that answers GET /metrics with the text a
// callback produces for that request: the scrape target a Prometheus under test reads.
// Thread-safety: the callback runs on a server thread, one request at a time (requests are
// serialised, so bodies are produced in order); destroy the server before what it reads.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

class CivetServer;

namespace smoke::bench {

class ExpositionServer {
 public:
  using BodyFn = std::function<std::string()>;

  explicit ExpositionServer(BodyFn body);
  ~ExpositionServer();
  ExpositionServer(const ExpositionServer&) = delete;
  ExpositionServer& operator=(const ExpositionServer&) = delete;

  int port() const { return port_; }
  // "127.0.0.1:<port>", the scrape target.
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  class Handler;
  friend class Handler;

  BodyFn body_;
  std::unique_ptr<Handler> handler_;
  std::unique_ptr<CivetServer> server_;
  int port_ = 0;
  std::mutex mu_;  // serialises requests
};

}  // namespace smoke::bench
