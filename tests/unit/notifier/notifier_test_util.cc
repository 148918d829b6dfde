#include "tests/unit/notifier/notifier_test_util.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>

#include "exporter/core/logging.h"
#include "tests/support/subprocess.h"

namespace smoke::notifier::testing {

NotifierOptions FastOptions(const std::string& url) {
  NotifierOptions options;
  AlertmanagerOptions am;
  am.url = url;
  am.timeout = std::chrono::seconds(5);
  options.alertmanagers.push_back(am);
  options.backoff = {std::chrono::milliseconds(10), std::chrono::milliseconds(50), 2.0};
  return options;
}

std::unique_ptr<Notifier> MustCreate(NotifierOptions options, prometheus::Registry* registry) {
  core::Result<std::unique_ptr<Notifier>> created = Notifier::Create(std::move(options), registry);
  EXPECT_TRUE(created.ok()) << created.status().message();
  if (!created.ok()) return nullptr;
  return std::move(created).value();
}

Alert MakeAlert(const std::string& name, LabelMap extra_labels, LabelMap annotations) {
  Alert alert;
  alert.labels = std::move(extra_labels);
  alert.labels["alertname"] = name;
  alert.annotations = std::move(annotations);
  return alert;
}

double MetricValue(prometheus::Registry& registry, const std::string& name,
                   const std::string& alertmanager) {
  for (const prometheus::MetricFamily& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      bool match = alertmanager.empty();
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        if (label.name == "alertmanager" && label.value == alertmanager) match = true;
      }
      if (!match) continue;
      switch (family.type) {
        case prometheus::MetricType::Counter:
          return metric.counter.value;
        case prometheus::MetricType::Gauge:
          return metric.gauge.value;
        case prometheus::MetricType::Histogram:
          return static_cast<double>(metric.histogram.sample_count);
        default:
          return -1;
      }
    }
  }
  return -1;
}

std::string Exposition(prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

std::vector<smoke::testing::FakeRequest> AlertPosts(const smoke::testing::FakeHttpServer& server) {
  std::vector<smoke::testing::FakeRequest> out;
  for (const smoke::testing::FakeRequest& r : server.requests()) {
    if (r.method == "POST" && r.path.size() >= 14 &&
        r.path.compare(r.path.size() - 14, 14, kAlertsPath) == 0) {
      out.push_back(r);
    }
  }
  return out;
}

std::vector<std::string> PostedAlertNames(const smoke::testing::FakeHttpServer& server) {
  std::vector<std::string> names;
  for (const smoke::testing::FakeRequest& r : AlertPosts(server)) {
    const nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    if (!body.is_array()) {
      ADD_FAILURE() << "body is not a JSON array: " << r.body;
      continue;
    }
    for (const nlohmann::json& alert : body) {
      std::string name = alert["labels"].value("alertname", "");
      if (alert["annotations"].contains("summary")) {
        name += "/" + alert["annotations"]["summary"].get<std::string>();
      }
      names.push_back(name);
    }
  }
  return names;
}

bool WaitForStatus(const Notifier& notifier,
                   const std::function<bool(const AlertmanagerStatus&)>& pred,
                   std::chrono::milliseconds timeout) {
  return smoke::testing::WaitFor([&] { return pred(notifier.Status().at(0)); }, timeout);
}

LogCapture::LogCapture() {
  auto mu = mu_;
  auto lines = lines_;
  core::SetLogSink([mu, lines](const std::string& line) {
    std::lock_guard<std::mutex> lock(*mu);
    lines->push_back(line);
  });
}

LogCapture::~LogCapture() { core::SetLogSink(nullptr); }

std::string LogCapture::Text() const {
  std::lock_guard<std::mutex> lock(*mu_);
  std::string out;
  for (const std::string& line : *lines_) out += line + "\n";
  return out;
}

}  // namespace smoke::notifier::testing
