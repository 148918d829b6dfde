#include "exporter/config/byte_size.h"

#include <array>
#include <limits>

namespace smoke::config {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t factor;
};

// Largest first, so that FormatByteSize picks the shortest form.
constexpr std::array<Unit, 7> kUnits = {{
    {"GiB", int64_t{1} << 30},
    {"GB", 1'000'000'000},
    {"MiB", int64_t{1} << 20},
    {"MB", 1'000'000},
    {"KiB", int64_t{1} << 10},
    {"KB", 1'000},
    {"B", 1},
}};

}  // namespace

std::optional<int64_t> ParseByteSize(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 18) return std::nullopt;
  const int64_t number = std::stoll(std::string(text.substr(0, digits)));
  std::string_view suffix = text.substr(digits);
  if (suffix.empty()) return number;
  for (const Unit& u : kUnits) {
    if (u.suffix != suffix) continue;
    if (number > std::numeric_limits<int64_t>::max() / u.factor) return std::nullopt;
    return number * u.factor;
  }
  return std::nullopt;
}

std::optional<int64_t> ReadByteSize(const YamlNode& node, const std::string& what,
                                    Diagnostics& diag) {
  if (node.poisoned) return std::nullopt;
  std::optional<int64_t> size = node.IsScalar() ? ParseByteSize(node.scalar) : std::nullopt;
  if (!size) {
    diag.Error(node.mark, "expected a size (e.g. 4MiB, 512KiB, 1048576) for " + what + ", got " +
                              node.Describe());
    return std::nullopt;
  }
  if (*size <= 0) {
    diag.Error(node.mark, what + " must be greater than 0, got " + node.Describe());
    return std::nullopt;
  }
  return size;
}

std::string FormatByteSize(int64_t bytes) {
  for (const Unit& u : kUnits) {
    if (u.factor > 1 && bytes >= u.factor && bytes % u.factor == 0) {
      return std::to_string(bytes / u.factor) + std::string(u.suffix);
    }
  }
  return std::to_string(bytes);
}

}  // namespace smoke::config
