#include "bench/tsdb_bytes/prometheus_blocks.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <vector>

#include "bench/common/command.h"

namespace smoke::bench {
namespace fs = std::filesystem;

core::Status CreateBlocks(const std::string& openmetrics_file, const std::string& out_dir) {
  const char* env = std::getenv("PROMTOOL");
  const std::string promtool = env != nullptr && *env != '\0' ? env : "/usr/bin/promtool";
  core::Result<std::string> out =
      RunCommand(ShellQuote(promtool) + " tsdb create-blocks-from openmetrics " +
                 ShellQuote(openmetrics_file) + " " + ShellQuote(out_dir) + " 2>&1");
  return out.ok() ? core::Status::Ok() : out.status();
}

namespace {

// Adds the chunks of one segment file to `stats`.
core::Status ReadSegment(const fs::path& path, BlockStats* stats) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  if (bytes.size() < 8) return core::Status::Error(path.string() + ": no segment header");
  stats->chunk_file_bytes += bytes.size();
  size_t pos = 8;
  while (pos < bytes.size()) {
    uint64_t len = 0;
    int shift = 0;
    while (true) {
      if (pos >= bytes.size() || shift > 63) {
        return core::Status::Error(path.string() + ": truncated chunk length");
      }
      const uint8_t b = bytes[pos++];
      len |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) break;
      shift += 7;
    }
    if (pos + 1 + len + 4 > bytes.size()) {
      return core::Status::Error(path.string() + ": chunk runs past the end of the file");
    }
    pos += 1 + len + 4;  // encoding, data, CRC32
    stats->chunk_data_bytes += len;
  }
  return core::Status::Ok();
}

}  // namespace

core::Result<BlockStats> ReadBlocks(const std::string& dir) {
  BlockStats stats;
  for (const auto& block : fs::directory_iterator(dir)) {
    const fs::path meta = block.path() / "meta.json";
    if (!fs::exists(meta)) continue;
    std::ifstream in(meta);
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) return core::Status::Error(meta.string() + ": not JSON");
    ++stats.blocks;
    stats.samples += j["stats"].value("numSamples", uint64_t{0});
    stats.series += j["stats"].value("numSeries", uint64_t{0});
    stats.chunks += j["stats"].value("numChunks", uint64_t{0});
    for (const auto& seg : fs::directory_iterator(block.path() / "chunks")) {
      if (core::Status s = ReadSegment(seg.path(), &stats); !s.ok()) return s;
    }
    stats.index_bytes += fs::file_size(block.path() / "index");
  }
  if (stats.blocks == 0) return core::Status::Error("no blocks in " + dir);
  return stats;
}

}  // namespace smoke::bench
