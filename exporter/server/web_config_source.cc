#include "exporter/server/web_config_source.h"

#include <sys/stat.h>

#include "exporter/core/logging.h"
#include "exporter/server/web_tls.h"

namespace smoke::server {

core::Result<std::shared_ptr<WebConfigSource>> WebConfigSource::Load(const std::string& path) {
  std::optional<Stamp> stamp = StampOf(path);
  core::Result<WebConfig> config = LoadWebConfigFile(path);
  if (!config.ok()) return config.status();
  if (config->tls) {
    if (core::Status s = CheckServerTls(*config->tls); !s.ok()) {
      return core::Status::Error(path + ": tls_server_config: " + s.message());
    }
  }
  return std::shared_ptr<WebConfigSource>(
      new WebConfigSource(path, std::move(*config), stamp.value_or(Stamp())));
}

WebConfigSource::WebConfigSource(std::string path, WebConfig initial, Stamp stamp)
    : path_(std::move(path)), initial_(std::move(initial)), stamp_(stamp) {
  state_ = MakeState(initial_);
}

std::optional<WebConfigSource::Stamp> WebConfigSource::StampOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  Stamp s;
  s.dev = st.st_dev;
  s.ino = st.st_ino;
  s.size = st.st_size;
  s.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return s;
}

std::shared_ptr<const WebConfigSource::State> WebConfigSource::MakeState(WebConfig config) {
  auto state = std::make_shared<State>();
  if (!config.basic_auth_users.empty()) {
    state->auth = std::make_shared<const BasicAuth>(config.basic_auth_users);
  }
  state->config = std::move(config);
  return state;
}

std::shared_ptr<const WebConfigSource::State> WebConfigSource::Current() {
  std::lock_guard<std::mutex> lock(mu_);
  const std::optional<Stamp> now = StampOf(path_);
  if (now && *now == stamp_) return state_;
  if (!now && state_->broken) return state_;
  stamp_ = now.value_or(Stamp());
  core::Result<WebConfig> config = LoadWebConfigFile(path_);
  if (!config.ok()) {
    core::LogError("the web config file changed and is invalid; refusing every request until it "
                   "is fixed",
                   {{"file", path_}, {"errors", config.status().message()}});
    auto broken = std::make_shared<State>(*state_);
    broken->broken = true;
    state_ = std::move(broken);
    return state_;
  }
  if (config->tls != initial_.tls) {
    core::LogWarn("tls_server_config changed; it takes effect when the exporter restarts",
                  {{"file", path_}});
  }
  core::LogInfo("web config reloaded",
                {{"file", path_},
                 {"basic_auth_users", std::to_string(config->basic_auth_users.size())}});
  state_ = MakeState(std::move(*config));
  return state_;
}

std::optional<HttpResponse> WebConfigSource::Guard(const HttpRequest& request) {
  const std::shared_ptr<const State> state = Current();
  if (state->broken) {
    return HttpResponse::Text(500, "The web config file is invalid; see the exporter's log.\n");
  }
  if (state->auth == nullptr || state->auth->Check(request.Header("authorization"))) {
    return std::nullopt;
  }
  HttpResponse refusal = HttpResponse::Text(401, "Unauthorized\n");
  refusal.headers.emplace_back("WWW-Authenticate", "Basic realm=\"smoke_exporter\"");
  return refusal;
}

std::vector<std::pair<std::string, std::string>> WebConfigSource::Headers() {
  return Current()->config.headers;
}

void WebConfigSource::Install(HttpServerOptions& options) {
  std::shared_ptr<WebConfigSource> self = shared_from_this();
  options.guard = [self](const HttpRequest& req) { return self->Guard(req); };
  options.header_source = [self] { return self->Headers(); };
  if (initial_.tls) {
    options.tls_setup = [self](void* ssl_ctx) {
      return ConfigureServerTls(ssl_ctx, *self->initial_.tls);
    };
  }
}

}  // namespace smoke::server
