#include "exporter/tsdb/memory_storage.h"

#include <algorithm>
#include <bit>
#include <iterator>
#include <mutex>

namespace smoke::tsdb {
namespace {

using promql::LabelMatcher;
using promql::Point;

std::vector<uint32_t> Intersect(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  std::vector<uint32_t> out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

core::Status MemoryStorage::Append(const promql::Labels& labels, int64_t t_ms, double v) {
  std::unique_lock lock(mu_);
  switch (AppendLocked(labels, t_ms, v)) {
    case AppendOutcome::kOutOfOrder:
      return core::Status::Error("out of order sample");
    case AppendOutcome::kDuplicate:
      return core::Status::Error("duplicate sample for timestamp");
    case AppendOutcome::kInvalid:
      return core::Status::Error("series without labels");
    default:
      return core::Status::Ok();
  }
}

MemoryStorage::BatchResult MemoryStorage::Append(const promql::Vector& samples) {
  BatchResult result;
  std::unique_lock lock(mu_);
  for (const promql::Sample& s : samples) {
    switch (AppendLocked(s.labels, s.t, s.v)) {
      case AppendOutcome::kAppended:
      case AppendOutcome::kUnchanged:
        result.appended++;
        break;
      case AppendOutcome::kOutOfOrder:
        result.out_of_order++;
        break;
      case AppendOutcome::kDuplicate:
        result.duplicates++;
        break;
      case AppendOutcome::kInvalid:
        result.invalid++;
        break;
    }
  }
  return result;
}

MemoryStorage::AppendOutcome MemoryStorage::AppendLocked(const promql::Labels& labels, int64_t t_ms,
                                                         double v) {
  if (labels.empty()) return AppendOutcome::kInvalid;
  MemSeries& s = *series_[GetOrCreateLocked(labels)];
  if (!s.points.empty()) {
    const Point& last = s.points.back();
    if (t_ms < last.t) return AppendOutcome::kOutOfOrder;
    if (t_ms == last.t) {
      return std::bit_cast<uint64_t>(v) == std::bit_cast<uint64_t>(last.v)
                 ? AppendOutcome::kUnchanged
                 : AppendOutcome::kDuplicate;
    }
  }
  s.points.push_back(Point{t_ms, v});
  return AppendOutcome::kAppended;
}

MemoryStorage::SeriesId MemoryStorage::GetOrCreateLocked(const promql::Labels& labels) {
  auto [it, inserted] = ids_.emplace(labels.Key(), static_cast<SeriesId>(series_.size()));
  if (!inserted) return it->second;
  const SeriesId id = it->second;
  series_.push_back(std::make_unique<MemSeries>(MemSeries{labels, {}}));
  // Ids only grow, so appending keeps every postings list sorted.
  for (const promql::Label& l : labels) postings_[l.name][l.value].push_back(id);
  return id;
}

std::vector<MemoryStorage::SeriesId> MemoryStorage::CandidatesLocked(
    const std::vector<LabelMatcher>& matchers) const {
  bool restricted = false;
  std::vector<SeriesId> result;
  // Equality matchers first: they are the cheapest and usually the most selective.
  std::vector<const LabelMatcher*> ordered;
  for (const LabelMatcher& m : matchers) ordered.push_back(&m);
  std::stable_sort(
      ordered.begin(), ordered.end(), [](const LabelMatcher* a, const LabelMatcher* b) {
        return (a->type() == promql::MatchType::kEqual) > (b->type() == promql::MatchType::kEqual);
      });
  for (const LabelMatcher* m : ordered) {
    // A matcher that accepts the empty string also selects series without the label; the index
    // cannot answer that, so such matchers are applied by filtering.
    if (m->Matches("")) continue;
    std::vector<SeriesId> ids;
    auto name = postings_.find(m->name());
    if (name != postings_.end()) {
      if (m->type() == promql::MatchType::kEqual) {
        auto value = name->second.find(m->value());
        if (value != name->second.end()) ids = value->second;
      } else {
        for (const auto& [value, list] : name->second) {
          if (!m->Matches(value)) continue;
          std::vector<SeriesId> merged;
          std::set_union(ids.begin(), ids.end(), list.begin(), list.end(),
                         std::back_inserter(merged));
          ids = std::move(merged);
        }
      }
    }
    result = restricted ? Intersect(result, ids) : std::move(ids);
    restricted = true;
    if (result.empty()) return result;
  }
  if (!restricted) {
    for (SeriesId id = 0; id < series_.size(); ++id) {
      if (series_[id] != nullptr) result.push_back(id);
    }
  }
  return result;
}

std::vector<promql::SeriesView> MemoryStorage::Select(const std::vector<LabelMatcher>& matchers,
                                                      int64_t mint_ms, int64_t maxt_ms) const {
  std::shared_lock lock(mu_);
  std::vector<promql::SeriesView> out;
  for (SeriesId id : CandidatesLocked(matchers)) {
    const MemSeries* s = series_[id].get();
    if (s == nullptr || !promql::MatchesAll(matchers, s->labels)) continue;
    auto lo = std::lower_bound(s->points.begin(), s->points.end(), mint_ms,
                               [](const Point& p, int64_t t) { return p.t < t; });
    auto hi = std::upper_bound(lo, s->points.end(), maxt_ms,
                               [](int64_t t, const Point& p) { return t < p.t; });
    if (lo == hi) continue;
    out.push_back(promql::SeriesView{s->labels, std::vector<Point>(lo, hi)});
  }
  lock.unlock();
  std::sort(out.begin(), out.end(), [](const promql::SeriesView& a, const promql::SeriesView& b) {
    return a.labels < b.labels;
  });
  return out;
}

void MemoryStorage::Truncate(int64_t mint_ms) {
  std::unique_lock lock(mu_);
  bool removed = false;
  for (auto& s : series_) {
    if (s == nullptr) continue;
    auto keep = std::lower_bound(s->points.begin(), s->points.end(), mint_ms,
                                 [](const Point& p, int64_t t) { return p.t < t; });
    s->points.erase(s->points.begin(), keep);
    if (s->points.empty()) {
      ids_.erase(s->labels.Key());
      s.reset();
      removed = true;
    }
  }
  if (removed) RebuildIndexLocked();
}

void MemoryStorage::RebuildIndexLocked() {
  // Compact ids so that the vector does not grow without bound across truncations.
  std::vector<std::unique_ptr<MemSeries>> live;
  for (auto& s : series_) {
    if (s != nullptr) live.push_back(std::move(s));
  }
  series_ = std::move(live);
  ids_.clear();
  postings_.clear();
  for (SeriesId id = 0; id < series_.size(); ++id) {
    ids_[series_[id]->labels.Key()] = id;
    for (const promql::Label& l : series_[id]->labels) postings_[l.name][l.value].push_back(id);
  }
}

size_t MemoryStorage::NumSeries() const {
  std::shared_lock lock(mu_);
  return ids_.size();
}

size_t MemoryStorage::NumSamples() const {
  std::shared_lock lock(mu_);
  size_t n = 0;
  for (const auto& s : series_) {
    if (s != nullptr) n += s->points.size();
  }
  return n;
}

}  // namespace smoke::tsdb
