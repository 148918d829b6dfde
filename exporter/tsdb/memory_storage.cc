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

MemoryStorage::BatchResult MemoryStorage::Append(const promql::Vector& samples,
                                                 std::vector<bool>* accepted) {
  BatchResult result;
  if (accepted != nullptr) accepted->assign(samples.size(), false);
  std::unique_lock lock(mu_);
  for (size_t i = 0; i < samples.size(); ++i) {
    const promql::Sample& s = samples[i];
    switch (AppendLocked(s.labels, s.t, s.v)) {
      case AppendOutcome::kAppended:
      case AppendOutcome::kUnchanged:
        result.appended++;
        if (accepted != nullptr) (*accepted)[i] = true;
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
  if (!s.chunks.empty()) {
    const XorChunk& head = s.chunks.back();
    if (t_ms < head.max_time()) {
      out_of_order_total_++;
      return AppendOutcome::kOutOfOrder;
    }
    if (t_ms == head.max_time()) {
      if (std::bit_cast<uint64_t>(v) == head.last_value_bits()) return AppendOutcome::kUnchanged;
      duplicate_total_++;
      return AppendOutcome::kDuplicate;
    }
  }
  if (s.chunks.empty() || s.chunks.back().full()) {
    if (!s.chunks.empty()) s.chunks.back().Close();
    s.chunks.emplace_back();
  }
  s.chunks.back().Append(t_ms, v);
  s.samples++;
  num_samples_++;
  return AppendOutcome::kAppended;
}

MemoryStorage::SeriesId MemoryStorage::GetOrCreateLocked(const promql::Labels& labels) {
  auto [it, inserted] = ids_.emplace(labels.Key(), static_cast<SeriesId>(series_.size()));
  if (!inserted) return it->second;
  const SeriesId id = it->second;
  series_.push_back(std::make_unique<MemSeries>(MemSeries{labels, {}, 0}));
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
    std::vector<Point> points;
    for (const XorChunk& c : s->chunks) c.Decode(mint_ms, maxt_ms, &points);
    if (points.empty()) continue;
    out.push_back(promql::SeriesView{s->labels, std::move(points)});
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
    // Chunks are in time order: the ones to drop are a prefix.
    auto keep = std::find_if(s->chunks.begin(), s->chunks.end(),
                             [&](const XorChunk& c) { return c.max_time() >= mint_ms; });
    for (auto it = s->chunks.begin(); it != keep; ++it) {
      s->samples -= it->count();
      num_samples_ -= it->count();
    }
    s->chunks.erase(s->chunks.begin(), keep);
    if (s->chunks.empty()) {
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
  return num_samples_;
}

StorageStats MemoryStorage::Stats() const {
  std::shared_lock lock(mu_);
  StorageStats st;
  st.series = ids_.size();
  st.samples = num_samples_;
  for (const auto& s : series_) {
    if (s == nullptr) continue;
    st.chunks += s->chunks.size();
    for (const XorChunk& c : s->chunks) st.chunk_bytes += c.bytes().size();
  }
  st.bytes_per_sample =
      st.samples == 0 ? 0 : static_cast<double>(st.chunk_bytes) / static_cast<double>(st.samples);
  st.out_of_order_total = out_of_order_total_;
  st.duplicate_total = duplicate_total_;
  return st;
}

std::vector<MemoryStorage::SeriesChunks> MemoryStorage::ExportChunks() const {
  std::shared_lock lock(mu_);
  std::vector<SeriesChunks> out;
  out.reserve(ids_.size());
  for (const auto& s : series_) {
    if (s != nullptr && !s->chunks.empty()) out.push_back(SeriesChunks{s->labels, s->chunks});
  }
  return out;
}

void MemoryStorage::ImportChunks(std::vector<SeriesChunks> series) {
  std::unique_lock lock(mu_);
  for (SeriesChunks& in : series) {
    if (in.labels.empty() || in.chunks.empty()) continue;
    MemSeries& s = *series_[GetOrCreateLocked(in.labels)];
    if (s.chunks.empty()) {
      for (XorChunk& c : in.chunks) {
        s.samples += c.count();
        num_samples_ += c.count();
      }
      s.chunks = std::move(in.chunks);
      for (size_t i = 0; i + 1 < s.chunks.size(); ++i) s.chunks[i].Close();
      continue;
    }
    // The series got samples before the import (e.g. a scrape ran first): keep what it has and
    // take only the newer history, through the ordinary append path.
    for (const XorChunk& c : in.chunks) {
      XorIterator it = c.Iterator();
      while (it.Next()) {
        if (it.t() > s.chunks.back().max_time()) AppendLocked(s.labels, it.t(), it.v());
      }
    }
  }
}

}  // namespace smoke::tsdb
