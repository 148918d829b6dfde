#pragma once
// The series behind the typical alert expressions of issue 5: request counters (x_total) for
// `sum by (job) (rate(...))`, a classic latency histogram (h_bucket) for histogram_quantile, and
// error/request counters (errs, total) for a multi-window burn-rate expression. Each family has
// about the same number of series (10k by default). Counters advance at every Step by integer
// amounts drawn from a hash, so the texts are deterministic; about 2% of the (job, instance)
// pairs of errs/total fail 3% of their requests, enough to make the burn-rate alert fire for
// them and only them.
// Thread-safety: none; stepped by one thread.

#include <cstdint>
#include <string>
#include <vector>

namespace smoke::bench {

struct AlertSeriesOptions {
  int counter_series = 10'000;    // x_total: 100 jobs x 100 instances
  int histogram_series = 10'000;  // h_bucket: 20 jobs x (series/200) instances x 10 buckets
  int ratio_series = 10'000;      // errs + total: 50 jobs, half of them each
  uint64_t seed = 2;
};

class AlertSeries {
 public:
  explicit AlertSeries(AlertSeriesOptions options);
  // Advances every counter one scrape and appends the four families to `out`.
  void Step(std::string* out);
  size_t series() const { return x_.size() + h_.size() + 2 * errs_.size(); }

 private:
  struct Counter {
    std::string labels;
    double value = 0;
  };
  AlertSeriesOptions options_;
  std::vector<Counter> x_;
  std::vector<Counter> h_;  // 10 buckets per (job, instance), cumulative, in le order
  std::vector<Counter> errs_;
  std::vector<Counter> total_;
  std::vector<bool> bad_;  // per errs_/total_ pair
  int64_t step_ = 0;
};

}  // namespace smoke::bench
