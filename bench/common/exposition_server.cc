#include "bench/common/exposition_server.h"

#include <CivetServer.h>

#include <stdexcept>
#include <vector>

#include "exporter/core/listener_waker.h"

namespace smoke::bench {

class ExpositionServer::Handler : public CivetHandler {
 public:
  explicit Handler(ExpositionServer* owner) : owner_(owner) {}

  bool handleGet(CivetServer*, mg_connection* conn) override {
    std::string body;
    {
      std::lock_guard lock(owner_->mu_);
      body = owner_->body_();
    }
    std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    mg_write(conn, head.data(), head.size());
    mg_write(conn, body.data(), body.size());
    return true;
  }

 private:
  ExpositionServer* owner_;
};

ExpositionServer::ExpositionServer(BodyFn body) : body_(std::move(body)) {
  mg_init_library(0);
  std::vector<std::string> opts = {"listening_ports",   "127.0.0.1:0", "num_threads", "2",
                                   "enable_keep_alive", "no"};
  handler_ = std::make_unique<Handler>(this);
  server_ = std::make_unique<CivetServer>(opts);
  server_->addHandler("/metrics", handler_.get());
  const std::vector<int> ports = server_->getListeningPorts();
  if (ports.empty()) throw std::runtime_error("exposition server did not bind");
  port_ = ports[0];
}

ExpositionServer::~ExpositionServer() {
  {
    core::ListenerWaker waker({port_});
    server_->close();
  }
  server_.reset();
}

}  // namespace smoke::bench
