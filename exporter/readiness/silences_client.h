#pragma once
// Reads the silences that can waive a release blocker: GET {alertmanager}/api/v2/silences, with
// the same credentials the notifier uses, keeping the active ones. Answers are cached for a few
// seconds, so a deploy script polling the gate does not turn into a load test of Alertmanager;
// failures are cached just as long, so an Alertmanager that hangs costs one timeout per period,
// not one per request. With several Alertmanagers (a cluster shares its silences) the first one
// that answers is used.
// Thread-safety: thread-safe. Concurrent Get() calls wait for one fetch instead of each fetching.

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/clients/http_client.h"
#include "exporter/core/clock.h"
#include "exporter/core/secret.h"
#include "exporter/readiness/silence.h"

namespace smoke::readiness {

struct SilencesSource {
  std::string url{};  // base URL, as in alerting.alertmanagers[].url
  std::string basic_auth_username{};
  core::Secret basic_auth_password{};
  core::Secret bearer_token{};
  clients::TlsOptions tls{};
};

struct SilencesClientOptions {
  std::vector<SilencesSource> alertmanagers;
  core::Duration cache_ttl = std::chrono::seconds(5);
  core::Duration timeout = std::chrono::seconds(2);  // per Alertmanager asked
  core::Clock* clock = nullptr;                      // null: the system clock
};

struct SilencesAnswer {
  bool ok = false;
  std::vector<Silence> silences;  // active ones
  std::string error;              // when !ok; never holds credentials
  int64_t fetched_at_ms = 0;
};

class SilencesClient {
 public:
  explicit SilencesClient(SilencesClientOptions options);

  // The cached answer if it is younger than cache_ttl, else a fresh one.
  SilencesAnswer Get();

 private:
  SilencesAnswer Fetch(int64_t now_ms) const;
  SilencesAnswer FetchOne(const SilencesSource& am, int64_t now_ms) const;

  const SilencesClientOptions options_;
  core::Clock* const clock_;
  const clients::CurlHttpClient client_{};
  std::mutex mu_;
  bool cached_ = false;
  SilencesAnswer answer_;
};

}  // namespace smoke::readiness
