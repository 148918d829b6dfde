#include "exporter/results/family_builder.h"

#include <algorithm>

namespace smoke::results {

prometheus::ClientMetric& FamilyBuilder::Add(const std::string& name, const std::string& help,
                                             prometheus::MetricType type,
                                             const config::LabelPairs& labels) {
  auto [it, inserted] = index_.try_emplace(name, families_.size());
  if (inserted) {
    prometheus::MetricFamily family;
    family.name = name;
    family.help = help;
    family.type = type;
    families_.push_back(std::move(family));
  }
  prometheus::ClientMetric& metric = families_[it->second].metric.emplace_back();
  metric.label.reserve(labels.size());
  for (const auto& [label_name, value] : labels) metric.label.push_back({label_name, value});
  // Sorted label names make the exposition canonical (stable diffs, easy to grep and test).
  std::sort(metric.label.begin(), metric.label.end());
  return metric;
}

void FamilyBuilder::AddGauge(const std::string& name, const std::string& help,
                             const config::LabelPairs& labels, double value) {
  Add(name, help, prometheus::MetricType::Gauge, labels).gauge.value = value;
}

void FamilyBuilder::AddCounter(const std::string& name, const std::string& help,
                               const config::LabelPairs& labels, double value) {
  Add(name, help, prometheus::MetricType::Counter, labels).counter.value = value;
}

std::vector<prometheus::MetricFamily> FamilyBuilder::Take() {
  index_.clear();
  return std::move(families_);
}

}  // namespace smoke::results
