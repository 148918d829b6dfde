#include "tests/support/fake_http_server.h"

#include <CivetServer.h>

#include <cctype>
#include <stdexcept>

#include "exporter/core/listener_waker.h"

namespace smoke::testing {

class FakeHttpServer::Dispatcher : public CivetHandler {
 public:
  explicit Dispatcher(FakeHttpServer* owner) : owner_(owner) {}
  bool handleAll(const char*, CivetServer*, mg_connection* conn) {
    owner_->Dispatch(conn);
    return true;
  }
  bool handleGet(CivetServer* s, mg_connection* c) override { return handleAll("GET", s, c); }
  bool handlePost(CivetServer* s, mg_connection* c) override { return handleAll("POST", s, c); }
  bool handleHead(CivetServer* s, mg_connection* c) override { return handleAll("HEAD", s, c); }
  bool handlePut(CivetServer* s, mg_connection* c) override { return handleAll("PUT", s, c); }
  bool handleDelete(CivetServer* s, mg_connection* c) override {
    return handleAll("DELETE", s, c);
  }
  bool handleOptions(CivetServer* s, mg_connection* c) override {
    return handleAll("OPTIONS", s, c);
  }
  bool handlePatch(CivetServer* s, mg_connection* c) override {
    return handleAll("PATCH", s, c);
  }

 private:
  FakeHttpServer* owner_;
};

FakeHttpServer::FakeHttpServer() : FakeHttpServer(Options{}) {}

FakeHttpServer::FakeHttpServer(Options options) : options_(std::move(options)) {
  mg_init_library(0);
  std::vector<std::string> opts = {
      "listening_ports", "127.0.0.1:0",
      "num_threads", std::to_string(options_.threads),
      "request_timeout_ms", "60000",
      "enable_keep_alive", "no",
  };
  dispatcher_ = std::make_unique<Dispatcher>(this);
  server_ = std::make_unique<CivetServer>(opts);
  server_->addHandler("/", dispatcher_.get());
  std::vector<int> ports = server_->getListeningPorts();
  if (ports.empty()) throw std::runtime_error("fake server did not bind");
  port_ = ports[0];
}

FakeHttpServer::~FakeHttpServer() {
  {
    core::ListenerWaker waker({port_});
    server_->close();
  }
  server_.reset();
}

void FakeHttpServer::Route(const std::string& path, Handler handler) {
  std::lock_guard lock(mu_);
  routes_[path] = std::move(handler);
}

void FakeHttpServer::Respond(const std::string& path, int status, const std::string& body,
                             std::vector<std::pair<std::string, std::string>> headers) {
  Route(path, [status, body, headers](mg_connection* conn, const FakeRequest&) {
    WriteResponse(conn, status, body, headers);
  });
}

std::string FakeHttpServer::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

void FakeHttpServer::WriteResponse(
    mg_connection* conn, int status, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::string head = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
  bool has_type = false;
  for (const auto& [name, value] : headers) {
    head += name + ": " + value + "\r\n";
    if (name == "Content-Type") has_type = true;
  }
  if (!has_type) head += "Content-Type: text/plain\r\n";
  head += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
  mg_write(conn, head.data(), head.size());
  if (!body.empty()) mg_write(conn, body.data(), body.size());
}

void FakeHttpServer::Dispatch(mg_connection* conn) {
  const mg_request_info* info = mg_get_request_info(conn);
  FakeRequest req;
  req.method = info->request_method ? info->request_method : "";
  req.path = info->local_uri ? info->local_uri : "";
  req.query = info->query_string ? info->query_string : "";
  for (int i = 0; i < info->num_headers; ++i) {
    std::string name = info->http_headers[i].name;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    req.headers[name] = info->http_headers[i].value;
  }
  char buf[4096];
  int n;
  while ((n = mg_read(conn, buf, sizeof buf)) > 0) req.body.append(buf, n);
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(req);
    auto it = routes_.find(req.path);
    if (it != routes_.end()) handler = it->second;
  }
  if (handler) {
    handler(conn, req);
  } else {
    WriteResponse(conn, 404, "{\"detail\":\"Not Found\"}", {{"Content-Type", "application/json"}});
  }
}

}  // namespace smoke::testing
