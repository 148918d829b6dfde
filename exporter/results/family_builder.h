#pragma once
// Accumulates prometheus-cpp MetricFamily values by name, in first-seen order, so that many
// probes' series of the same metric end up in one family (the text format requires it).
// Thread-safety: not thread-safe; build one per collection.

#include <map>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "exporter/config/config.h"

namespace smoke::results {

class FamilyBuilder {
 public:
  prometheus::ClientMetric& Add(const std::string& name, const std::string& help,
                                prometheus::MetricType type, const config::LabelPairs& labels);
  void AddGauge(const std::string& name, const std::string& help,
                const config::LabelPairs& labels, double value);
  void AddCounter(const std::string& name, const std::string& help,
                  const config::LabelPairs& labels, double value);
  std::vector<prometheus::MetricFamily> Take();

 private:
  std::vector<prometheus::MetricFamily> families_;
  std::map<std::string, size_t> index_;
};

}  // namespace smoke::results
