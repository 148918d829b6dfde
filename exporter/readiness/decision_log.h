#pragma once
// The audit trail of release decisions (seed 002's "who was told what, when"): every verdict
// served to a client is appended as one JSON line and fsync'd before the answer leaves, so a
// decision a deploy script acted on survives a crash. The file rotates by size like logrotate:
// path -> path.1 -> ... -> path.<keep>, the oldest dropped.
// Without a path, decisions are kept in memory only, as their serialised lines (a JSON tree costs
// about five times its text): the last `memory_entries`, at most `memory_bytes` of text. Append
// says so: a verdict is never claimed to be logged when it is not.
// A failed write (disk full, directory gone or not writable) is an error value, never a crash;
// a partly written line is cut off again so the file stays one JSON object per line.
// Thread-safety: thread-safe; appends are serialised.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "exporter/core/status.h"

namespace smoke::readiness {

struct DecisionLogOptions {
  std::string path{};                     // "" = memory only
  int64_t max_bytes = 10 * 1024 * 1024;   // rotate before a line would make the file larger
  int keep = 5;                           // rotated files kept besides the current one
  size_t memory_entries = 1000;           // recent decisions kept in memory (memory-only mode)
  size_t memory_bytes = 8 * 1024 * 1024;  // and at most this much of their text
};

class DecisionLog {
 public:
  explicit DecisionLog(DecisionLogOptions options);

  // Whether appends go to a file.
  bool durable() const { return !options_.path.empty(); }
  const DecisionLogOptions& options() const { return options_; }

  // Appends one entry (one line). Returns an error naming the file and the system error when it
  // could not be written and synced; in memory-only mode it always succeeds.
  core::Status Append(const nlohmann::json& entry);

  // Up to `limit` entries, newest first, across the current and the rotated files. Lines that
  // are not JSON (a torn write before a crash) are skipped.
  core::Result<std::vector<nlohmann::json>> Recent(size_t limit) const;

 private:
  core::Status Rotate();
  std::string Rotated(int index) const;

  const DecisionLogOptions options_;
  mutable std::mutex mu_;
  std::deque<std::string> memory_;  // memory-only mode: serialised lines, newest at the back
  size_t memory_bytes_ = 0;         // their total size
};

}  // namespace smoke::readiness
