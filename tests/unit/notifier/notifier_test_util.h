#pragma once
// Helpers for the notifier tests that talk to an in-process FakeHttpServer.

#include <prometheus/registry.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "exporter/notifier/notifier.h"
#include "tests/support/fake_http_server.h"

namespace smoke::notifier::testing {

inline constexpr char kAlertsPath[] = "/api/v2/alerts";

// One Alertmanager at `url`, short timeout and a fast retry schedule: tests wait on conditions,
// and a retry must not take a second.
NotifierOptions FastOptions(const std::string& url);

// Notifier::Create that fails the test (and returns null) on error.
std::unique_ptr<Notifier> MustCreate(NotifierOptions options, prometheus::Registry* registry);

Alert MakeAlert(const std::string& name, LabelMap extra_labels = {}, LabelMap annotations = {});

// The value of `name`{alertmanager=`alertmanager`} (counters, gauges; sample count for
// histograms); -1 if the series does not exist.
double MetricValue(prometheus::Registry& registry, const std::string& name,
                   const std::string& alertmanager);
// The whole registry in the text format Prometheus scrapes.
std::string Exposition(prometheus::Registry& registry);

// POSTs to /api/v2/alerts the server has seen.
std::vector<smoke::testing::FakeRequest> AlertPosts(const smoke::testing::FakeHttpServer& server);
// Every alert in those posts, in order, as "alertname" or "alertname/summary".
std::vector<std::string> PostedAlertNames(const smoke::testing::FakeHttpServer& server);

// Waits (with a generous deadline that only guards against hangs) until `pred(status)` holds for
// the first Alertmanager.
bool WaitForStatus(const Notifier& notifier,
                   const std::function<bool(const AlertmanagerStatus&)>& pred,
                   std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Captures every log line while alive.
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::string Text() const;

 private:
  std::shared_ptr<std::mutex> mu_ = std::make_shared<std::mutex>();
  std::shared_ptr<std::vector<std::string>> lines_ = std::make_shared<std::vector<std::string>>();
};

}  // namespace smoke::notifier::testing
