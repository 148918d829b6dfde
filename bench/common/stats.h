#pragma once
// Summary statistics for repeated measurements.
// Thread-safety: pure functions.

#include <algorithm>
#include <vector>

namespace smoke::bench {

// The median (the mean of the two middle values for an even count); 0 for no values.
inline double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The arithmetic mean; 0 for no values.
inline double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

}  // namespace smoke::bench
