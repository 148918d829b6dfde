#pragma once
// label_replace() and label_join(), with Go's regexp template expansion ($1, ${1}, $name, $$) and
// Prometheus's validation messages.
// Thread-safety: pure functions.

#include <string>
#include <vector>

#include "exporter/promql/value.h"

namespace smoke::promql {

// Throws EvalError "invalid regular expression in label_replace(): ..." or
// "invalid destination label name in label_replace(): ..." (even for an empty vector).
Vector LabelReplace(Vector vector, const std::string& dst, const std::string& replacement,
                    const std::string& src, const std::string& regex);

// Throws EvalError "invalid source label name in label_join(): ..." or
// "invalid destination label name in label_join(): ...".
Vector LabelJoin(Vector vector, const std::string& dst, const std::string& separator,
                 const std::vector<std::string>& src_labels);

}  // namespace smoke::promql
