#include "exporter/promql/aggregations.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "exporter/promql/eval_error.h"
#include "exporter/promql/go_math.h"
#include "exporter/promql/math_util.h"
#include "exporter/promql/quote.h"

namespace smoke::promql {
namespace {

// Go's container/heap over samples, with the "less" of vectorByValueHeap (topk) or
// vectorByReverseValueHeap (bottomk): NaN is less than everything. Porting the heap exactly
// makes topk/bottomk pick the same samples as Prometheus among equal values.
class SampleHeap {
 public:
  explicit SampleHeap(bool reverse) : reverse_(reverse) {}

  std::vector<Sample>& items() { return items_; }
  size_t size() const { return items_.size(); }
  const Sample& top() const { return items_[0]; }

  void Push(Sample s) {
    items_.push_back(std::move(s));
    Up(items_.size() - 1);
  }
  void Pop() {
    const size_t n = items_.size() - 1;
    std::swap(items_[0], items_[n]);
    Down(0, n);
    items_.pop_back();
  }

 private:
  bool Less(size_t i, size_t j) const {
    if (std::isnan(items_[i].v)) return true;
    return reverse_ ? items_[i].v > items_[j].v : items_[i].v < items_[j].v;
  }
  void Up(size_t j) {
    while (j > 0) {
      const size_t i = (j - 1) / 2;
      if (!Less(j, i)) break;
      std::swap(items_[i], items_[j]);
      j = i;
    }
  }
  void Down(size_t i, size_t n) {
    for (;;) {
      const size_t j1 = 2 * i + 1;
      if (j1 >= n) break;
      size_t j = j1;
      if (const size_t j2 = j1 + 1; j2 < n && Less(j2, j1)) j = j2;
      if (!Less(j, i)) break;
      std::swap(items_[i], items_[j]);
      i = j;
    }
  }

  bool reverse_;
  std::vector<Sample> items_;
};

struct Group {
  Labels labels;
  double value = 0;
  double kahan_c = 0;
  double mean = 0;
  int64_t count = 0;
  SampleHeap heap{false};
  std::vector<double> values;  // quantile
};

}  // namespace

Vector Aggregate(const AggregateExpr& expr, Vector input, double param,
                 const std::string& label_param, bool prometheus2) {
  const ItemType op = expr.op;
  int64_t k = 0;
  if (op == ItemType::kTopk || op == ItemType::kBottomk) {
    if (!(param <= 9223372036854774784.0 && param >= -9223372036854775808.0)) {
      ThrowEvalError("Scalar value " + FormatGoFloat(param) + " overflows int64");
    }
    k = static_cast<int64_t>(param);
    if (k < 1) return {};
  } else if (op == ItemType::kLimitk || op == ItemType::kLimitRatio) {
    ThrowEvalError(std::string(ItemTypeString(op)) + " is not supported by this engine");
  }
  std::vector<std::string> grouping = expr.grouping;
  if (op == ItemType::kCountValues) {
    if (!IsValidLabelName(label_param)) {
      ThrowEvalError("invalid label name " + GoQuote(label_param));
    }
    if (!expr.without) grouping.push_back(label_param);
  }
  auto listed = [&grouping](const std::string& n) {
    return std::find(grouping.begin(), grouping.end(), n) != grouping.end();
  };
  std::vector<std::string> without_drop = grouping;
  without_drop.emplace_back(kMetricNameLabel);

  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;
  for (Sample& s : input) {
    if (op == ItemType::kCountValues) {
      s.labels = s.labels.Set(label_param, FormatGoFloatFixed(s.v));
    }
    std::string key;
    if (expr.without) {
      AppendSignature(
          s.labels, [&](const std::string& n) { return n != kMetricNameLabel && !listed(n); },
          &key);
    } else {
      AppendSignature(s.labels, listed, &key);
    }
    auto [it, inserted] = index.emplace(std::move(key), groups.size());
    if (inserted) {
      Group g;
      if (expr.without) {
        g.labels = s.labels.Drop(without_drop);
      } else if (!grouping.empty()) {
        g.labels = s.labels.Keep(grouping);
      }
      g.value = s.v;
      g.mean = s.v;
      g.count = 1;
      switch (op) {
        case ItemType::kStddev:
        case ItemType::kStdvar:
          g.value = 0;
          break;
        case ItemType::kGroup:
          g.value = 1;
          break;
        case ItemType::kTopk:
        case ItemType::kBottomk:
          g.heap = SampleHeap(op == ItemType::kBottomk);
          g.heap.items().push_back(Sample{s.labels, 0, s.v});
          break;
        case ItemType::kQuantile:
          g.values.push_back(s.v);
          break;
        default:
          break;
      }
      groups.push_back(std::move(g));
      continue;
    }
    Group& g = groups[it->second];
    switch (op) {
      case ItemType::kSum:
        if (prometheus2) {
          g.value += s.v;
        } else {
          KahanSumInc(s.v, &g.value, &g.kahan_c, /*reset_on_inf=*/true);
        }
        break;
      case ItemType::kAvg:
        g.count++;
        if (std::isinf(g.mean)) {
          if (std::isinf(s.v) && (g.mean > 0) == (s.v > 0)) break;
          if (!std::isinf(s.v) && !std::isnan(s.v)) break;
        }
        g.mean += s.v / static_cast<double>(g.count) - g.mean / static_cast<double>(g.count);
        break;
      case ItemType::kGroup:
        break;
      case ItemType::kMax:
        if (g.value < s.v || std::isnan(g.value)) g.value = s.v;
        break;
      case ItemType::kMin:
        if (g.value > s.v || std::isnan(g.value)) g.value = s.v;
        break;
      case ItemType::kCount:
      case ItemType::kCountValues:
        g.count++;
        break;
      case ItemType::kStddev:
      case ItemType::kStdvar: {
        g.count++;
        const double delta = s.v - g.mean;
        g.mean += delta / static_cast<double>(g.count);
        g.value += delta * (s.v - g.mean);
        break;
      }
      case ItemType::kTopk:
      case ItemType::kBottomk: {
        const double top = g.heap.top().v;
        const bool better = op == ItemType::kTopk ? top < s.v : top > s.v;
        if (static_cast<int64_t>(g.heap.size()) < k || better || std::isnan(top)) {
          if (static_cast<int64_t>(g.heap.size()) == k) {
            if (k == 1) {
              g.heap.items()[0] = Sample{s.labels, 0, s.v};
              break;
            }
            g.heap.Pop();
          }
          g.heap.Push(Sample{s.labels, 0, s.v});
        }
        break;
      }
      case ItemType::kQuantile:
        g.values.push_back(s.v);
        break;
      default:
        ThrowEvalError("expected aggregation operator but got \"" +
                       std::string(ItemTypeString(op)) + "\"");
    }
  }

  Vector out;
  for (Group& g : groups) {
    switch (op) {
      case ItemType::kSum:
        if (!prometheus2) g.value += g.kahan_c;
        break;
      case ItemType::kAvg:
        g.value = g.mean;
        break;
      case ItemType::kCount:
      case ItemType::kCountValues:
        g.value = static_cast<double>(g.count);
        break;
      case ItemType::kStdvar:
        g.value = g.value / static_cast<double>(g.count);
        break;
      case ItemType::kStddev:
        g.value = std::sqrt(g.value / static_cast<double>(g.count));
        break;
      case ItemType::kTopk:
      case ItemType::kBottomk: {
        std::vector<Sample>& items = g.heap.items();
        const bool desc = op == ItemType::kTopk;
        std::stable_sort(items.begin(), items.end(), [desc](const Sample& a, const Sample& b) {
          if (std::isnan(a.v)) return false;
          if (std::isnan(b.v)) return true;
          return desc ? a.v > b.v : a.v < b.v;
        });
        for (Sample& s : items) out.push_back(std::move(s));
        continue;
      }
      case ItemType::kQuantile:
        g.value = Quantile(param, &g.values);
        break;
      default:
        break;
    }
    out.push_back(Sample{std::move(g.labels), 0, g.value});
  }
  return out;
}

}  // namespace smoke::promql
