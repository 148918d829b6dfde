#include "exporter/readiness/silences_client.h"

#include <chrono>

namespace smoke::readiness {
namespace {

constexpr int64_t kBodyLimit = 16 << 20;
constexpr size_t kErrorSnippet = 200;

int64_t UnixMs(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (text.size() > kErrorSnippet) text = text.substr(0, kErrorSnippet) + "...";
  return text;
}

void Scrub(std::string& text, const std::string& secret) {
  if (secret.empty()) return;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
    text.replace(pos, secret.size(), "<secret>");
  }
}

}  // namespace

SilencesClient::SilencesClient(SilencesClientOptions options)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &core::SystemClock::Default()) {}

SilencesAnswer SilencesClient::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t now_ms = UnixMs(clock_->Now());
  const int64_t ttl_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.cache_ttl).count();
  if (cached_ && now_ms >= answer_.fetched_at_ms && now_ms - answer_.fetched_at_ms < ttl_ms) {
    return answer_;
  }
  answer_ = Fetch(now_ms);
  cached_ = true;
  return answer_;
}

SilencesAnswer SilencesClient::Fetch(int64_t now_ms) const {
  if (options_.alertmanagers.empty()) {
    SilencesAnswer a;
    a.fetched_at_ms = now_ms;
    a.error = "no Alertmanager configured to read silences from";
    return a;
  }
  std::string errors;
  for (const SilencesSource& am : options_.alertmanagers) {
    SilencesAnswer a = FetchOne(am, now_ms);
    if (a.ok) return a;
    errors += (errors.empty() ? "" : "; ") + a.error;
  }
  SilencesAnswer failed;
  failed.fetched_at_ms = now_ms;
  failed.error = errors;
  return failed;
}

SilencesAnswer SilencesClient::FetchOne(const SilencesSource& am, int64_t now_ms) const {
  SilencesAnswer answer;
  answer.fetched_at_ms = now_ms;
  std::string base = am.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string endpoint = base + "/api/v2/silences";
  clients::HttpRequest request;
  request.url = endpoint;
  request.headers = {{"Accept", "application/json"}};
  if (am.basic_auth_password.present() || !am.basic_auth_username.empty()) {
    request.basic_auth = std::make_pair(am.basic_auth_username, am.basic_auth_password.value());
  } else if (am.bearer_token.present()) {
    request.bearer_token = am.bearer_token.value();
  }
  request.connect.tls = am.tls;
  request.follow_redirects = false;  // credentials go only where the user pointed them
  request.body_limit = kBodyLimit;
  const clients::SteadyTime deadline = std::chrono::steady_clock::now() + options_.timeout;
  const clients::HttpResponse response = client_.Execute(request, deadline);

  std::string error;
  if (!response.status.ok()) {
    error = std::string(clients::TransportErrorName(response.status.error)) + ": " +
            OneLine(response.status.message);
  } else if (response.status_code != 200) {
    error = "HTTP " + std::to_string(response.status_code);
    if (!response.body.empty()) error += ": " + OneLine(response.body);
  } else {
    core::Result<std::vector<Silence>> parsed = ParseSilences(response.body);
    if (parsed.ok()) {
      for (Silence& s : parsed.value()) {
        if (s.state == "active" || (s.state.empty() && IsActive(s, now_ms))) {
          answer.silences.push_back(std::move(s));
        }
      }
      answer.ok = true;
      return answer;
    }
    error = parsed.status().message();
  }
  Scrub(error, am.basic_auth_password.value());
  Scrub(error, am.bearer_token.value());
  answer.error = "GET " + endpoint + ": " + error;
  return answer;
}

}  // namespace smoke::readiness
