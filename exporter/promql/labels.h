#pragma once
// A series' identity: a set of name/value pairs kept sorted by name, as Prometheus's
// model/labels.Labels. A label with an empty value does not exist (Prometheus treats `a=""` and
// "no label a" alike), so the constructors and Set() drop empty values.
// Thread-safety: an immutable value type; copies may be read concurrently.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smoke::promql {

inline constexpr std::string_view kMetricNameLabel = "__name__";
inline constexpr std::string_view kBucketLabel = "le";

struct Label {
  std::string name;
  std::string value;

  friend bool operator==(const Label& a, const Label& b) {
    return a.name == b.name && a.value == b.value;
  }
};

class Labels {
 public:
  Labels() = default;
  // Sorts by name. For a repeated name the last value wins; empty values are dropped.
  explicit Labels(std::vector<Label> labels);
  Labels(std::initializer_list<std::pair<std::string_view, std::string_view>> labels);

  bool empty() const { return labels_.empty(); }
  size_t size() const { return labels_.size(); }
  std::vector<Label>::const_iterator begin() const { return labels_.begin(); }
  std::vector<Label>::const_iterator end() const { return labels_.end(); }
  const std::vector<Label>& items() const { return labels_; }

  // The value of `name`, or "" if there is no such label.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const { return !Get(name).empty(); }

  // Copies with one change. Set() with an empty value deletes the label.
  Labels Set(std::string_view name, std::string_view value) const;
  Labels Del(std::string_view name) const;
  Labels WithoutMetricName() const { return Del(kMetricNameLabel); }
  // Only the labels named in `names` / every label except those.
  Labels Keep(const std::vector<std::string>& names) const;
  Labels Drop(const std::vector<std::string>& names) const;

  // {__name__="up", job="api"}, values quoted as Go's strconv.Quote (Prometheus's String()).
  std::string ToString() const;
  // An injective encoding of the set, for use as a map key.
  std::string Key() const;
  uint64_t Hash() const;

  // Prometheus's labels.Compare: pairwise by name, then value; a prefix sorts first.
  static int Compare(const Labels& a, const Labels& b);
  friend bool operator==(const Labels& a, const Labels& b) { return a.labels_ == b.labels_; }
  friend bool operator!=(const Labels& a, const Labels& b) { return !(a == b); }
  friend bool operator<(const Labels& a, const Labels& b) { return Compare(a, b) < 0; }

 private:
  struct Sorted {};
  Labels(Sorted, std::vector<Label> labels) : labels_(std::move(labels)) {}

  std::vector<Label> labels_;
};

// Appends the names and values of `labels` that pass `include` (a name predicate) to `out` in an
// injective encoding; binary operators and aggregations use it for their match signatures.
template <typename Pred>
void AppendSignature(const Labels& labels, Pred include, std::string* out) {
  for (const Label& l : labels) {
    if (!include(l.name)) continue;
    out->append(l.name);
    out->push_back('\xff');
    out->append(l.value);
    out->push_back('\xfe');
  }
}

// Whether `name` is a valid label name in Prometheus 2.x: [a-zA-Z_][a-zA-Z0-9_]*.
bool IsValidLabelName(std::string_view name);

}  // namespace smoke::promql
