#pragma once
// Byte sizes as people write them: 1048576, "512KiB", "4MiB", "1GiB" (powers of 1024) or "1KB",
// "1MB", "1GB" (powers of 1000, as the SI prefixes say).
// Thread-safety: stateless functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "exporter/config/diagnostics.h"
#include "exporter/config/yaml_tree.h"

namespace smoke::config {

// nullopt for malformed text or overflow.
std::optional<int64_t> ParseByteSize(std::string_view text);

// A size > 0; errors: expected a size (e.g. 4MiB, 512KiB, 1048576) for "<what>", got ...
std::optional<int64_t> ReadByteSize(const YamlNode& node, const std::string& what,
                                    Diagnostics& diag);

// The shortest exact form: 4194304 -> "4MiB", 1000 -> "1KB", 1500 -> "1500".
std::string FormatByteSize(int64_t bytes);

}  // namespace smoke::config
