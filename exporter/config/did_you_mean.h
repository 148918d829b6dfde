#pragma once
// "did you mean" suggestions for misspelt keys, kinds and module names.
// Thread-safety: stateless functions.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smoke::config {

// Levenshtein distance (insertions, deletions, substitutions).
int EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` within edit distance 2 (ties: the first in `candidates`), or
// nullopt.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string>& candidates);

// " — did you mean \"x\"?" or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c" (in the given order).
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace smoke::config
