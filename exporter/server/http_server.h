#pragma once
// A small router over CivetWeb. Handlers see plain request/response structs, so they are unit
// tested without sockets, and no CivetWeb type leaks out of this file pair.
// Thread-safety: Route() before Start(); handlers run concurrently on CivetWeb worker threads.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/status.h"

class CivetServer;

namespace smoke::server {

struct HttpRequest {
  std::string method;
  std::string path;                            // decoded, without the query string
  std::string query;                           // raw
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;

  // First value of a query parameter, URL-decoded; "" if absent.
  std::string Param(const std::string& name) const;
  std::vector<std::string> Params(const std::string& name) const;
  bool HasParam(const std::string& name) const;
  std::string Header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static HttpResponse Text(int status, std::string body);
  static HttpResponse Json(int status, std::string body);
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
  std::string listen_address = ":9117";  // [host]:port; port 0 picks a free port
  int threads = 16;
  size_t max_request_body_bytes = 1 << 20;
  // Runs before routing for every request: a response refuses it (e.g. 401), nullopt lets it in.
  std::function<std::optional<HttpResponse>(const HttpRequest&)> guard = nullptr;
  // When set, asked on every response for headers to send, each replacing a default security
  // header of the same name (the web config's headers, re-read when the file changes).
  std::function<std::vector<std::pair<std::string, std::string>>()> header_source = nullptr;
  // When set, the listener serves HTTPS only: called with CivetWeb's SSL_CTX* to configure it.
  std::function<core::Status(void* ssl_ctx)> tls_setup = nullptr;
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // `pattern` is an exact path ("/metrics") or a prefix ending in '/' ("/api/v1/probes/").
  // Exact routes win over prefixes; longer prefixes over shorter.
  void Route(const std::string& pattern, HttpHandler handler);
  core::Status Start();
  void Stop();
  // The bound port (after Start).
  int port() const { return port_; }

  // Dispatches without a socket (tests and Start's handler use it).
  HttpResponse Handle(const HttpRequest& request) const;

 private:
  class Adapter;
  HttpServerOptions options_;
  std::map<std::string, HttpHandler> exact_;
  std::map<std::string, HttpHandler> prefixes_;
  std::unique_ptr<Adapter> adapter_;
  std::unique_ptr<CivetServer> server_;
  int port_ = 0;
  core::Status tls_status_ = core::Status::Ok();  // what tls_setup last said (Start's error)
};

// Decodes %XX and '+' as in application/x-www-form-urlencoded.
std::string UrlDecode(const std::string& s);
std::string HtmlEscape(const std::string& s);

}  // namespace smoke::server
