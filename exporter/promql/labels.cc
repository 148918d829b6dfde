#include "exporter/promql/labels.h"

#include <algorithm>

#include "exporter/promql/quote.h"

namespace smoke::promql {

Labels::Labels(std::vector<Label> labels) {
  std::stable_sort(labels.begin(), labels.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  labels_.reserve(labels.size());
  for (Label& l : labels) {
    if (!labels_.empty() && labels_.back().name == l.name) labels_.pop_back();
    labels_.push_back(std::move(l));
  }
  std::erase_if(labels_, [](const Label& l) { return l.value.empty(); });
}

Labels::Labels(std::initializer_list<std::pair<std::string_view, std::string_view>> labels)
    : Labels([&] {
        std::vector<Label> v;
        for (const auto& [name, value] : labels)
          v.push_back({std::string(name), std::string(value)});
        return v;
      }()) {}

std::string_view Labels::Get(std::string_view name) const {
  auto it = std::lower_bound(labels_.begin(), labels_.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  if (it == labels_.end() || it->name != name) return {};
  return it->value;
}

Labels Labels::Set(std::string_view name, std::string_view value) const {
  std::vector<Label> out = labels_;
  auto it = std::lower_bound(out.begin(), out.end(), name,
                             [](const Label& l, std::string_view n) { return l.name < n; });
  const bool found = it != out.end() && it->name == name;
  if (value.empty()) {
    if (found) out.erase(it);
  } else if (found) {
    it->value = std::string(value);
  } else {
    out.insert(it, Label{std::string(name), std::string(value)});
  }
  return Labels(Sorted{}, std::move(out));
}

Labels Labels::Del(std::string_view name) const {
  if (!Has(name)) return *this;
  std::vector<Label> out;
  out.reserve(labels_.size());
  for (const Label& l : labels_) {
    if (l.name != name) out.push_back(l);
  }
  return Labels(Sorted{}, std::move(out));
}

Labels Labels::Keep(const std::vector<std::string>& names) const {
  std::vector<Label> out;
  for (const Label& l : labels_) {
    if (std::find(names.begin(), names.end(), l.name) != names.end()) out.push_back(l);
  }
  return Labels(Sorted{}, std::move(out));
}

Labels Labels::Drop(const std::vector<std::string>& names) const {
  std::vector<Label> out;
  for (const Label& l : labels_) {
    if (std::find(names.begin(), names.end(), l.name) == names.end()) out.push_back(l);
  }
  return Labels(Sorted{}, std::move(out));
}

std::string Labels::ToString() const {
  std::string out = "{";
  for (size_t i = 0; i < labels_.size(); ++i) {
    if (i > 0) out += ", ";
    out += labels_[i].name;
    out += '=';
    out += GoQuote(labels_[i].value);
  }
  out += '}';
  return out;
}

std::string Labels::Key() const {
  std::string out;
  AppendSignature(
      *this, [](const std::string&) { return true; }, &out);
  return out;
}

uint64_t Labels::Hash() const {
  // FNV-1a over the key encoding.
  uint64_t h = 14695981039346656037ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  for (const Label& l : labels_) {
    mix(l.name);
    mix("\xff");
    mix(l.value);
    mix("\xfe");
  }
  return h;
}

int Labels::Compare(const Labels& a, const Labels& b) {
  const size_t n = std::min(a.labels_.size(), b.labels_.size());
  for (size_t i = 0; i < n; ++i) {
    if (int c = a.labels_[i].name.compare(b.labels_[i].name); c != 0) return c < 0 ? -1 : 1;
    if (int c = a.labels_[i].value.compare(b.labels_[i].value); c != 0) return c < 0 ? -1 : 1;
  }
  if (a.labels_.size() == b.labels_.size()) return 0;
  return a.labels_.size() < b.labels_.size() ? -1 : 1;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace smoke::promql
