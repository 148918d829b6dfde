#include "exporter/server/http_server.h"

#include <CivetServer.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "exporter/core/listener_waker.h"
#include "exporter/core/logging.h"
#include "exporter/server/big_stack.h"

namespace smoke::server {
namespace {

// Our own pages are never framed, sniffed or allowed to load anything (issue: security headers).
const std::vector<std::pair<std::string, std::string>> kSecurityHeaders = {
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"},
    {"Cache-Control", "no-store"},
};

// Whether a comma-separated header value holds `token` (case-insensitive).
bool HasToken(std::string value, std::string_view token) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find(',', start);
    if (end == std::string::npos) end = value.size();
    std::string item = value.substr(start, end - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (item == token) return true;
    start = end + 1;
  }
  return false;
}

// Whether CivetWeb will close the connection after this answer, by its own rule (1.15,
// should_keep_alive): a 401, a Connection header without "keep-alive", or no header on a
// request older than HTTP/1.1.
bool CivetWebCloses(const std::string& connection, const char* http_version, int status) {
  if (status == 401) return true;
  if (!connection.empty()) return !HasToken(connection, "keep-alive");
  return http_version == nullptr || std::string_view(http_version) != "1.1";
}

std::string StatusText(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 422:
      return "Unprocessable Entity";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

std::vector<std::pair<std::string, std::string>> ParseQuery(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    std::string part = query.substr(start, end - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      if (eq == std::string::npos) {
        out.emplace_back(UrlDecode(part), "");
      } else {
        out.emplace_back(UrlDecode(part.substr(0, eq)), UrlDecode(part.substr(eq + 1)));
      }
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string UrlDecode(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HttpRequest::Param(const std::string& name) const {
  for (const auto& [k, v] : ParseQuery(query)) {
    if (k == name) return v;
  }
  return "";
}

std::vector<std::string> HttpRequest::Params(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : ParseQuery(query)) {
    if (k == name) out.push_back(v);
  }
  return out;
}

bool HttpRequest::HasParam(const std::string& name) const {
  for (const auto& [k, v] : ParseQuery(query)) {
    if (k == name) return true;
  }
  return false;
}

std::string HttpRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

HttpResponse HttpResponse::Text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

class HttpServer::Adapter : public CivetHandler {
 public:
  Adapter(HttpServer* owner) : owner_(owner) {}
  bool Serve(mg_connection* conn) {
    const mg_request_info* info = mg_get_request_info(conn);
    HttpRequest req;
    req.method = info->request_method ? info->request_method : "";
    req.path = info->local_uri ? info->local_uri : "/";
    req.query = info->query_string ? info->query_string : "";
    for (int i = 0; i < info->num_headers; ++i) {
      std::string name = info->http_headers[i].name;
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req.headers[name] = info->http_headers[i].value;
    }
    HttpResponse resp;
    if (info->content_length > static_cast<long long>(owner_->options_.max_request_body_bytes)) {
      resp = HttpResponse::Text(413, "request body too large\n");
    } else {
      char buf[8192];
      int n;
      bool too_large = false;
      while ((n = mg_read(conn, buf, sizeof buf)) > 0) {
        if (req.body.size() + n > owner_->options_.max_request_body_bytes) {
          too_large = true;
          break;
        }
        req.body.append(buf, n);
      }
      if (too_large) {
        resp = HttpResponse::Text(413, "request body too large\n");
      } else {
        RunOnBigStack([&] { resp = owner_->Handle(req); });  // see big_stack.h
      }
    }
    std::string head = "HTTP/1.1 " + std::to_string(resp.status) + " " + StatusText(resp.status) +
                       "\r\nContent-Type: " + resp.content_type +
                       "\r\nContent-Length: " + std::to_string(resp.body.size()) + "\r\n";
    std::vector<std::pair<std::string, std::string>> custom;
    if (owner_->options_.header_source) custom = owner_->options_.header_source();
    for (const auto& [k, v] : kSecurityHeaders) {
      if (std::none_of(custom.begin(), custom.end(),
                       [&k = k](const auto& h) { return h.first == k; })) {
        head += k + ": " + v + "\r\n";
      }
    }
    for (const auto& [k, v] : custom) head += k + ": " + v + "\r\n";
    for (const auto& [k, v] : resp.headers) head += k + ": " + v + "\r\n";
    // Saying that CivetWeb closes the connection after this answer (the client asked for it)
    // keeps the client (wrk, a proxy) from sending its next request on it.
    if (CivetWebCloses(req.Header("connection"), mg_get_request_info(conn)->http_version,
                       resp.status)) {
      head += "Connection: close\r\n";
    }
    head += "\r\n";
    mg_write(conn, head.data(), head.size());
    if (req.method != "HEAD" && !resp.body.empty())
      mg_write(conn, resp.body.data(), resp.body.size());
    return true;
  }
  bool handleGet(CivetServer*, mg_connection* c) override { return Serve(c); }
  bool handlePost(CivetServer*, mg_connection* c) override { return Serve(c); }
  bool handleHead(CivetServer*, mg_connection* c) override { return Serve(c); }
  bool handlePut(CivetServer*, mg_connection* c) override { return Serve(c); }
  bool handleDelete(CivetServer*, mg_connection* c) override { return Serve(c); }
  bool handleOptions(CivetServer*, mg_connection* c) override { return Serve(c); }
  bool handlePatch(CivetServer*, mg_connection* c) override { return Serve(c); }

 private:
  HttpServer* owner_;
};

HttpServer::HttpServer(HttpServerOptions options) : options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Route(const std::string& pattern, HttpHandler handler) {
  if (pattern.size() > 1 && pattern.back() == '/') {
    prefixes_[pattern] = std::move(handler);
  } else {
    exact_[pattern] = std::move(handler);
  }
}

HttpResponse HttpServer::Handle(const HttpRequest& request) const {
  if (options_.guard) {
    if (std::optional<HttpResponse> refusal = options_.guard(request)) return *refusal;
  }
  auto exact = exact_.find(request.path);
  if (exact != exact_.end()) return exact->second(request);
  const HttpHandler* best = nullptr;
  size_t best_len = 0;
  for (const auto& [prefix, handler] : prefixes_) {
    if (request.path.rfind(prefix, 0) == 0 && prefix.size() > best_len) {
      best = &handler;
      best_len = prefix.size();
    }
  }
  if (best != nullptr) return (*best)(request);
  return HttpResponse::Text(404, "404 page not found\n");
}

core::Status HttpServer::Start() {
  std::string listen = options_.listen_address;
  // Prometheus-style ":9117" means all interfaces; CivetWeb wants "9117" for that.
  if (!listen.empty() && listen[0] == ':') listen = listen.substr(1);
  // For TLS, CivetWeb loads libssl here; web_tls.cc repairs what it could not find (see there).
  mg_init_library(options_.tls_setup ? MG_FEATURES_TLS : 0);
  // tcp_nodelay: CivetWeb sends the headers and the body in separate writes; with Nagle's
  // algorithm on, the body waits for the client's delayed ACK of the headers (40 ms on Linux),
  // so every keep-alive request took over 40 ms (bench/load/run.sh: 360 req/s, p50 44 ms).
  std::vector<std::string> opts = {
      "listening_ports",    listen,  "num_threads",       std::to_string(options_.threads),
      "request_timeout_ms", "30000", "enable_keep_alive", "yes",
      "tcp_nodelay",        "1"};
  CivetCallbacks callbacks;
  if (options_.tls_setup) {
    opts[1] += "s";  // CivetWeb's marker for an HTTPS-only port
    callbacks.init_ssl = [](void* ssl_ctx, void* civet) {
      // CivetWeb hands us the CivetServer; this HttpServer is its user context.
      auto* self = static_cast<HttpServer*>(
          const_cast<void*>(static_cast<CivetServer*>(civet)->getUserContext()));
      self->tls_status_ = self->options_.tls_setup(ssl_ctx);
      return self->tls_status_.ok() ? 1 : -1;  // 1: we set up the certificate ourselves
    };
  }
  try {
    server_ = std::make_unique<CivetServer>(opts, &callbacks, this);
  } catch (const CivetException& e) {
    if (!tls_status_.ok()) return core::Status::Error("cannot serve TLS: " + tls_status_.message());
    return core::Status::Error("cannot listen on \"" + options_.listen_address + "\": " + e.what());
  }
  adapter_ = std::make_unique<Adapter>(this);
  server_->addHandler("/", adapter_.get());
  std::vector<int> ports = server_->getListeningPorts();
  port_ = ports.empty() ? 0 : ports[0];
  return core::Status::Ok();
}

void HttpServer::Stop() {
  if (server_) {
    {
      core::ListenerWaker waker(server_->getListeningPorts());
      server_->close();
    }
    server_.reset();
  }
}

}  // namespace smoke::server
