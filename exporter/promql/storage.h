#pragma once
// The read interface the evaluator queries, so the engine knows nothing about where samples live
// (Prometheus's storage.Queryable, reduced to what the engine needs). tsdb::MemoryStorage is the
// implementation the exporter uses; tests may bring their own.

#include <cstdint>
#include <vector>

#include "exporter/promql/labels.h"
#include "exporter/promql/matcher.h"
#include "exporter/promql/value.h"

namespace smoke::promql {

// The special NaN Prometheus writes when a series disappears (model/value.StaleNaN). It hides
// the series from instant selectors from its timestamp on, and range functions skip it.
inline constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002ULL;
double StaleNaN();
// Compares bit patterns: an ordinary NaN is a value, not a staleness marker.
bool IsStaleNaN(double v);

// One series returned by Select: its labels and a snapshot copy of its samples.
struct SeriesView {
  Labels labels;
  std::vector<Point> points;  // ascending by time, staleness markers included
};

// Thread-safety: implementations must allow concurrent Select calls, and Select concurrent with
// whatever writes the implementation offers.
class Queryable {
 public:
  virtual ~Queryable() = default;

  // Every series whose labels satisfy all `matchers` (a missing label matches as the empty
  // string) and that has at least one sample in [mint_ms, maxt_ms], with its samples in that
  // interval. Series are sorted by labels (Labels::Compare).
  virtual std::vector<SeriesView> Select(const std::vector<LabelMatcher>& matchers, int64_t mint_ms,
                                         int64_t maxt_ms) const = 0;
};

// Whether `labels` satisfy every matcher.
bool MatchesAll(const std::vector<LabelMatcher>& matchers, const Labels& labels);

}  // namespace smoke::promql
