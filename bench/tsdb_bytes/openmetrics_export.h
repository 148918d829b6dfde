#pragma once
// Every sample held by a MemoryStorage, decoded from its chunks and written as OpenMetrics text
// (series after series, timestamps in seconds with exact milliseconds), so that Prometheus's
// tooling stores exactly the samples we stored.
// Thread-safety: reentrant; reads the storage under its own locks.

#include <cstdint>
#include <string>

#include "exporter/core/status.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::bench {

// Returns the number of samples written.
core::Result<uint64_t> WriteOpenMetrics(const tsdb::MemoryStorage& storage,
                                        const std::string& path);

}  // namespace smoke::bench
