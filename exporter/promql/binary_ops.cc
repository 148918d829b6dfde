#include "exporter/promql/binary_ops.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "exporter/promql/eval_error.h"
#include "exporter/promql/go_math.h"

namespace smoke::promql {
namespace {

bool ShouldDropMetricName(ItemType op) {
  switch (op) {
    case ItemType::kAdd:
    case ItemType::kSub:
    case ItemType::kDiv:
    case ItemType::kMul:
    case ItemType::kPow:
    case ItemType::kMod:
      return true;
    default:
      return false;
  }
}

// The key two samples must share to match: the values of the `on` labels, or of every label
// but the `ignoring` ones and __name__.
std::string MatchSignature(const Labels& labels, const VectorMatching& m) {
  std::string sig;
  const auto& names = m.matching_labels;
  auto listed = [&names](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  if (m.on) {
    AppendSignature(labels, listed, &sig);
  } else {
    AppendSignature(
        labels, [&](const std::string& n) { return n != kMetricNameLabel && !listed(n); }, &sig);
  }
  return sig;
}

// The labels a match group is named by in error messages (labels.MatchLabels).
Labels MatchLabels(const Labels& labels, const VectorMatching& m) {
  if (m.on) return labels.Keep(m.matching_labels);
  std::vector<std::string> drop = m.matching_labels;
  drop.emplace_back(kMetricNameLabel);
  return labels.Drop(drop);
}

struct ElemResult {
  double value;
  bool keep;
};

ElemResult VectorElemBinop(ItemType op, double lhs, double rhs) {
  switch (op) {
    case ItemType::kAdd:
      return {lhs + rhs, true};
    case ItemType::kSub:
      return {lhs - rhs, true};
    case ItemType::kMul:
      return {lhs * rhs, true};
    case ItemType::kDiv:
      return {lhs / rhs, true};
    case ItemType::kPow:
      return {GoPow(lhs, rhs), true};
    case ItemType::kMod:
      return {std::fmod(lhs, rhs), true};
    case ItemType::kEqlc:
      return {lhs, lhs == rhs};
    case ItemType::kNeq:
      return {lhs, lhs != rhs};
    case ItemType::kGtr:
      return {lhs, lhs > rhs};
    case ItemType::kLss:
      return {lhs, lhs < rhs};
    case ItemType::kGte:
      return {lhs, lhs >= rhs};
    case ItemType::kLte:
      return {lhs, lhs <= rhs};
    case ItemType::kAtan2:
      return {std::atan2(lhs, rhs), true};
    default:
      ThrowEvalError("operator \"" + std::string(ItemTypeString(op)) +
                     "\" not allowed for operations between Vectors");
  }
}

// The result labels of a matched pair (engine.go's resultMetric). `many` is the sample from the
// "many" side (the left one for one-to-one), `one` from the other.
Labels ResultMetric(const Labels& many, const Labels& one, ItemType op, const VectorMatching& m) {
  Labels out = many;
  if (ShouldDropMetricName(op)) out = out.WithoutMetricName();
  if (m.card == Cardinality::kOneToOne) {
    out = m.on ? out.Keep(m.matching_labels) : out.Drop(m.matching_labels);
  }
  for (const std::string& name : m.include) {
    // Labels named in group_x(...) are copied from the "one" side, or removed if it lacks them.
    out = out.Set(name, one.Get(name));
  }
  return out;
}

}  // namespace

double ScalarBinop(ItemType op, double lhs, double rhs) {
  switch (op) {
    case ItemType::kEqlc:
      return lhs == rhs ? 1 : 0;
    case ItemType::kNeq:
      return lhs != rhs ? 1 : 0;
    case ItemType::kGtr:
      return lhs > rhs ? 1 : 0;
    case ItemType::kLss:
      return lhs < rhs ? 1 : 0;
    case ItemType::kGte:
      return lhs >= rhs ? 1 : 0;
    case ItemType::kLte:
      return lhs <= rhs ? 1 : 0;
    case ItemType::kAdd:
    case ItemType::kSub:
    case ItemType::kMul:
    case ItemType::kDiv:
    case ItemType::kPow:
    case ItemType::kMod:
    case ItemType::kAtan2:
      return VectorElemBinop(op, lhs, rhs).value;
    default:
      ThrowEvalError("operator \"" + std::string(ItemTypeString(op)) +
                     "\" not allowed for Scalar operations");
  }
}

Vector VectorScalarBinop(ItemType op, Vector vector, double scalar, bool scalar_on_left,
                         bool return_bool) {
  Vector out;
  out.reserve(vector.size());
  const bool comparison = IsComparisonOperator(op);
  for (Sample& s : vector) {
    double lv = s.v;
    double rv = scalar;
    if (scalar_on_left) std::swap(lv, rv);
    ElemResult r = VectorElemBinop(op, lv, rv);
    // `1 < x` keeps x's value, not the scalar's.
    if (comparison && scalar_on_left) r.value = rv;
    if (return_bool) {
      r.value = r.keep ? 1 : 0;
      r.keep = true;
    }
    if (!r.keep) continue;
    s.v = r.value;
    if (ShouldDropMetricName(op) || return_bool) s.labels = s.labels.WithoutMetricName();
    out.push_back(std::move(s));
  }
  return out;
}

Vector VectorBinop(ItemType op, const Vector& lhs_in, const Vector& rhs_in,
                   const VectorMatching& matching, bool return_bool) {
  if (lhs_in.empty() || rhs_in.empty()) return {};
  // One-to-many is many-to-one with the sides swapped; values are swapped back below.
  const bool swapped = matching.card == Cardinality::kOneToMany;
  const Vector& lhs = swapped ? rhs_in : lhs_in;
  const Vector& rhs = swapped ? lhs_in : rhs_in;

  std::unordered_map<std::string, const Sample*> right_sigs;
  right_sigs.reserve(rhs.size());
  for (const Sample& rs : rhs) {
    auto [it, inserted] = right_sigs.emplace(MatchSignature(rs.labels, matching), &rs);
    if (!inserted) {
      ThrowEvalError("found duplicate series for the match group " +
                     MatchLabels(rs.labels, matching).ToString() + " on the " +
                     (swapped ? "left" : "right") + " hand-side of the operation: [" +
                     rs.labels.ToString() + ", " + it->second->labels.ToString() +
                     "];many-to-many matching not allowed: matching labels must be unique on one "
                     "side");
    }
  }

  // For one-to-one: which signatures produced a result. For many-to-one: which result label
  // sets each signature produced.
  std::unordered_map<std::string, std::unordered_set<std::string>> matched;
  Vector out;
  for (const Sample& ls : lhs) {
    const std::string sig = MatchSignature(ls.labels, matching);
    auto found = right_sigs.find(sig);
    if (found == right_sigs.end()) continue;
    const Sample& rs = *found->second;
    double vl = ls.v;
    double vr = rs.v;
    if (swapped) std::swap(vl, vr);
    ElemResult r = VectorElemBinop(op, vl, vr);
    if (return_bool) {
      r.value = r.keep ? 1 : 0;
    } else if (!r.keep) {
      continue;
    }
    Labels metric = ResultMetric(ls.labels, rs.labels, op, matching);
    if (return_bool) metric = metric.WithoutMetricName();
    auto [m, first] = matched.try_emplace(sig);
    if (matching.card == Cardinality::kOneToOne) {
      if (!first) {
        ThrowEvalError(
            "multiple matches for labels: many-to-one matching must be explicit "
            "(group_left/group_right)");
      }
    } else if (!m->second.insert(metric.Key()).second) {
      ThrowEvalError("multiple matches for labels: grouping labels must ensure unique matches");
    }
    out.push_back(Sample{std::move(metric), 0, r.value});
  }
  return out;
}

Vector VectorAnd(Vector lhs, const Vector& rhs, const VectorMatching& matching) {
  if (lhs.empty() || rhs.empty()) return {};
  std::unordered_set<std::string> right;
  for (const Sample& rs : rhs) right.insert(MatchSignature(rs.labels, matching));
  Vector out;
  for (Sample& ls : lhs) {
    if (right.count(MatchSignature(ls.labels, matching)) > 0) out.push_back(std::move(ls));
  }
  return out;
}

Vector VectorOr(Vector lhs, Vector rhs, const VectorMatching& matching) {
  if (lhs.empty()) return rhs;
  if (rhs.empty()) return lhs;
  std::unordered_set<std::string> left;
  for (const Sample& ls : lhs) left.insert(MatchSignature(ls.labels, matching));
  Vector out = std::move(lhs);
  for (Sample& rs : rhs) {
    if (left.count(MatchSignature(rs.labels, matching)) == 0) out.push_back(std::move(rs));
  }
  return out;
}

Vector VectorUnless(Vector lhs, const Vector& rhs, const VectorMatching& matching) {
  if (lhs.empty() || rhs.empty()) return lhs;
  std::unordered_set<std::string> right;
  for (const Sample& rs : rhs) right.insert(MatchSignature(rs.labels, matching));
  Vector out;
  for (Sample& ls : lhs) {
    if (right.count(MatchSignature(ls.labels, matching)) == 0) out.push_back(std::move(ls));
  }
  return out;
}

}  // namespace smoke::promql
