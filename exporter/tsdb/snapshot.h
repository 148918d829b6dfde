#pragma once
// Snapshots of a MemoryStorage on disk, so that a restart loses no history within retention.
// The chunks are written as they are in memory (no re-encoding), one checksummed record per
// series, after a versioned header:
//
//   header   "SMOKTSDB" | version u32 | crc32 of the previous 12 bytes u32      (little endian)
//   record   payload length u32 | payload | crc32 of length and payload u32
//   payload  'S' labels chunks  |  'E' series count, sample count (the last record)
//   labels   uvarint n, n × (uvarint len, name, uvarint len, value), names sorted and unique
//   chunks   uvarint n, n × (uvarint samples, uvarint len, Gorilla bytes), in time order
//
// A snapshot is written to PATH.tmp, fsynced, renamed over PATH and the directory fsynced, so a
// crash or a full disk leaves the previous snapshot intact. Restoring checks everything (header,
// every checksum, every chunk decodes, the end record's counts, nothing after it) before loading
// anything: a damaged file is rejected whole with a message that names the byte offset.
// Thread-safety: the functions may be called from any thread; writing and restoring the same path
// concurrently is the caller's to avoid (Snapshotter serialises its own writes).

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

#include "exporter/core/clock.h"
#include "exporter/core/status.h"
#include "exporter/tsdb/memory_storage.h"

namespace smoke::tsdb {

inline constexpr uint32_t kSnapshotVersion = 1;

struct SnapshotWriteResult {
  size_t series = 0;
  size_t samples = 0;
  size_t bytes = 0;  // of the file
};

// Writes a snapshot of `storage` atomically to `path`. The error names the step and the file
// ("write /var/lib/smoke/tsdb.snapshot.tmp: No space left on device"). `result`, if given, gets
// what was written.
core::Status WriteSnapshot(const MemoryStorage& storage, const std::string& path,
                           SnapshotWriteResult* result = nullptr);

struct SnapshotRestoreResult {
  bool found = false;         // false: there was no snapshot (a fresh start), nothing loaded
  size_t series = 0;          // series loaded
  size_t samples = 0;         // samples loaded
  size_t expired_chunks = 0;  // chunks left out because retention has passed them
};

// Loads the snapshot at `path` into `storage`, leaving out the chunks whose samples are all older
// than `retention_mint_ms` (and the series left without chunks). A missing file is not an error.
// A truncated, corrupt or wrong-version file is, and then nothing is loaded.
// `result`, if given, gets what was loaded.
core::Status RestoreSnapshot(const std::string& path, MemoryStorage* storage,
                             int64_t retention_mint_ms, SnapshotRestoreResult* result = nullptr);

// Writes snapshots of one storage to one path, and keeps the outcome for the
// smoke_tsdb_snapshot_* metrics. Thread-safety: all methods may be called from any thread; writes
// are serialised.
class Snapshotter {
 public:
  Snapshotter(const MemoryStorage& storage, std::string path, const core::Clock& clock)
      : storage_(storage), path_(std::move(path)), clock_(clock) {}

  core::Status Write(SnapshotWriteResult* result = nullptr);

  const std::string& path() const { return path_; }
  // Unix time of the last successful Write, in seconds; 0 before the first.
  double last_success_unix_seconds() const { return last_success_.load(); }
  uint64_t failures_total() const { return failures_.load(); }

 private:
  const MemoryStorage& storage_;
  const std::string path_;
  const core::Clock& clock_;
  std::mutex write_mu_;
  std::atomic<double> last_success_{0};
  std::atomic<uint64_t> failures_{0};
};

}  // namespace smoke::tsdb
