#pragma once
// Prometheus's own storage of a data set: TSDB blocks written by `promtool tsdb
// create-blocks-from openmetrics` (Prometheus's head appender and chunk encoder, the same code
// that builds its head chunks and compacts them into blocks), measured from the files:
// meta.json for samples, series and chunks, and the chunk segment files (tsdb/docs/format/
// chunks.md: an 8-byte header, then per chunk a uvarint data length, one encoding byte, the
// data, and a CRC32) for the bytes.
// Thread-safety: reentrant.

#include <cstdint>
#include <string>

#include "exporter/core/status.h"

namespace smoke::bench {

struct BlockStats {
  size_t blocks = 0;
  uint64_t samples = 0;
  uint64_t series = 0;  // summed over blocks (a series spanning two blocks counts twice)
  uint64_t chunks = 0;
  uint64_t chunk_data_bytes = 0;  // the encoded chunks, as in the head (2-byte count included)
  uint64_t chunk_file_bytes = 0;  // the segment files: data plus framing
  uint64_t index_bytes = 0;
};

// Runs promtool (`$PROMTOOL` or /usr/bin/promtool) on `openmetrics_file` into `out_dir`.
core::Status CreateBlocks(const std::string& openmetrics_file, const std::string& out_dir);

// Sums every block under `dir`.
core::Result<BlockStats> ReadBlocks(const std::string& dir);

}  // namespace smoke::bench
