#pragma once
// The web config as the HTTP server uses it. Loaded at start; afterwards the file is checked on
// every request (one stat) and re-read when it changed, as exporter-toolkit re-reads it per
// request, so users and headers can be changed without a restart. A file that becomes invalid
// is logged with its errors and every request is refused with 500 until it is fixed: failing
// open would drop the authentication someone just meant to change. TLS settings take effect at
// start; a changed tls_server_config is logged as needing a restart.
// Thread-safety: thread-safe; Guard() and Headers() run on the server's worker threads.

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "exporter/core/status.h"
#include "exporter/server/basic_auth.h"
#include "exporter/server/http_server.h"
#include "exporter/server/web_config.h"

namespace smoke::server {

class WebConfigSource : public std::enable_shared_from_this<WebConfigSource> {
 public:
  // Loads and validates the file (including a trial TLS setup), or says what is wrong.
  static core::Result<std::shared_ptr<WebConfigSource>> Load(const std::string& path);

  // The config as loaded at start.
  const WebConfig& initial() const { return initial_; }

  // Makes `options` enforce the config: every request needs a configured user's basic auth
  // (else 401 with WWW-Authenticate), the headers replace our defaults, and with
  // tls_server_config the listener serves HTTPS only.
  void Install(HttpServerOptions& options);

  // nullopt lets the request in; otherwise the refusal (401, or 500 while the file is broken).
  std::optional<HttpResponse> Guard(const HttpRequest& request);
  std::vector<std::pair<std::string, std::string>> Headers();

 private:
  struct Stamp {
    dev_t dev = 0;
    ino_t ino = 0;
    off_t size = 0;
    int64_t mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };
  struct State {
    WebConfig config;
    std::shared_ptr<const BasicAuth> auth;  // null without users
    bool broken = false;
  };

  WebConfigSource(std::string path, WebConfig initial, Stamp stamp);
  static std::optional<Stamp> StampOf(const std::string& path);
  static std::shared_ptr<const State> MakeState(WebConfig config);
  std::shared_ptr<const State> Current();

  const std::string path_;
  const WebConfig initial_;
  std::mutex mu_;
  Stamp stamp_;                          // guarded by mu_
  std::shared_ptr<const State> state_;   // guarded by mu_
};

}  // namespace smoke::server
