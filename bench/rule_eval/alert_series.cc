#include "bench/rule_eval/alert_series.h"

#include <cmath>
#include <cstdio>

#include "bench/common/exposition_text.h"

namespace smoke::bench {
namespace {

constexpr int kBuckets = 10;
constexpr const char* kLe[kBuckets] = {"0.005", "0.01", "0.025", "0.05", "0.1",
                                       "0.25",  "0.5",  "1",     "2.5",  "+Inf"};
// Share of observations falling into each bucket (not cumulative).
constexpr double kPmf[kBuckets] = {0.02, 0.08, 0.2, 0.25, 0.2, 0.15, 0.06, 0.025, 0.01, 0.005};

std::string JobInstance(int job, int instance) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "job=\"svc-%03d\",instance=\"10.%d.%d.%d:9100\"", job, job % 250,
                instance / 250, instance % 250);
  return buf;
}

}  // namespace

AlertSeries::AlertSeries(AlertSeriesOptions options) : options_(options) {
  const int x_jobs = 100;
  for (int i = 0; i < options_.counter_series; ++i) {
    x_.push_back({JobInstance(i % x_jobs, i / x_jobs), 0});
  }
  const int h_jobs = 20;
  for (int i = 0; i < options_.histogram_series / kBuckets; ++i) {
    const std::string base = JobInstance(i % h_jobs, i / h_jobs);
    for (int b = 0; b < kBuckets; ++b) h_.push_back({base + ",le=\"" + kLe[b] + "\"", 0});
  }
  const int r_jobs = 50;
  for (int i = 0; i < options_.ratio_series / 2; ++i) {
    const std::string labels = JobInstance(i % r_jobs, i / r_jobs);
    errs_.push_back({labels, 0});
    total_.push_back({labels, 0});
    bad_.push_back(Mix(options_.seed, static_cast<uint64_t>(i), 0xbad) % 50 == 0);
  }
}

void AlertSeries::Step(std::string* out) {
  const uint64_t step = static_cast<uint64_t>(step_);
  AppendFamilyHeader(out, "x_total", "counter", "Requests.");
  for (size_t i = 0; i < x_.size(); ++i) {
    x_[i].value += static_cast<double>(1 + Mix(options_.seed, i, step) % 20);
    AppendSample(out, "x_total", x_[i].labels, x_[i].value);
  }
  AppendFamilyHeader(out, "h", "histogram", "Request latency.");
  for (size_t s = 0; s < h_.size() / kBuckets; ++s) {
    const uint64_t hs = Mix(options_.seed ^ 0x4, s, step);
    const double n = static_cast<double>(5 + hs % 20);
    double cumulative = 0;
    for (int b = 0; b < kBuckets; ++b) {
      cumulative += std::floor(n * kPmf[b] + Unit(Mix(hs, static_cast<uint64_t>(b))));
      Counter& c = h_[s * kBuckets + static_cast<size_t>(b)];
      c.value += cumulative;
      AppendSample(out, "h_bucket", c.labels, c.value);
    }
  }
  AppendFamilyHeader(out, "total", "counter", "Requests, for the burn rate.");
  std::vector<double> added(total_.size());
  for (size_t i = 0; i < total_.size(); ++i) {
    added[i] = static_cast<double>(50 + Mix(options_.seed ^ 0x7, i, step) % 50);
    total_[i].value += added[i];
    AppendSample(out, "total", total_[i].labels, total_[i].value);
  }
  AppendFamilyHeader(out, "errs", "counter", "Failed requests, for the burn rate.");
  for (size_t i = 0; i < errs_.size(); ++i) {
    const double share = bad_[i] ? 0.03 : 0.0005;
    errs_[i].value += std::floor(added[i] * share + Unit(Mix(options_.seed ^ 0x9, i, step)));
    AppendSample(out, "errs", errs_[i].labels, errs_[i].value);
  }
  ++step_;
}

}  // namespace smoke::bench
