#include "bench/rule_eval/result_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>
#include <utility>
#include <vector>

namespace smoke::bench {

ResultMap FromPrometheusJson(const nlohmann::json& data) {
  ResultMap out;
  for (const auto& s : data["result"]) {
    std::vector<std::pair<std::string, std::string>> labels;
    for (auto it = s["metric"].begin(); it != s["metric"].end(); ++it) {
      labels.emplace_back(it.key(), it.value().get<std::string>());
    }
    std::sort(labels.begin(), labels.end());
    std::string key;
    for (const auto& [k, v] : labels) key += k + "=" + v + ",";
    out[key] = std::strtod(s["value"][1].get<std::string>().c_str(), nullptr);
  }
  return out;
}

ResultMap FromValue(const promql::Value& value) {
  ResultMap out;
  if (const auto* vec = std::get_if<promql::Vector>(&value)) {
    for (const promql::Sample& s : *vec) {
      std::string key;  // Labels keep their labels sorted by name
      for (const promql::Label& l : s.labels) key += l.name + "=" + l.value + ",";
      out[key] = s.v;
    }
  }
  return out;
}

std::string Agreement(const ResultMap& ours, const ResultMap& theirs) {
  std::set<std::string> keys;
  for (const auto& [k, v] : ours) keys.insert(k);
  for (const auto& [k, v] : theirs) keys.insert(k);
  size_t same = 0;
  std::string diffs;
  int shown = 0;
  for (const std::string& k : keys) {
    auto a = ours.find(k);
    auto b = theirs.find(k);
    bool equal = false;
    if (a != ours.end() && b != theirs.end()) {
      const double scale = std::max({1.0, std::fabs(a->second), std::fabs(b->second)});
      equal = (std::isnan(a->second) && std::isnan(b->second)) ||
              std::fabs(a->second - b->second) <= 1e-9 * scale;
    }
    if (equal) {
      ++same;
    } else if (shown++ < 3) {
      diffs += "; {" + k + "} ours " +
               (a == ours.end() ? std::string("absent") : std::to_string(a->second)) + ", theirs " +
               (b == theirs.end() ? std::string("absent") : std::to_string(b->second));
    }
  }
  const std::string count = std::to_string(same) + "/" + std::to_string(keys.size());
  return same == keys.size() ? count + " agree" : count + " agree, DIFFER" + diffs;
}

}  // namespace smoke::bench
