#include "exporter/tsdb/snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>

#include "exporter/core/atomic_file.h"
#include "exporter/tsdb/crc32.h"

namespace smoke::tsdb {
namespace {

constexpr std::string_view kMagic = "SMOKTSDB";
constexpr size_t kHeaderSize = 16;
constexpr char kSeriesRecord = 'S';
constexpr char kEndRecord = 'E';
// A record larger than this is corrupt, whatever its checksum would say: it guards the allocation.
constexpr uint32_t kMaxRecordSize = 256u << 20;

void PutU32(uint32_t v, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint32_t GetU32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(s[at + static_cast<size_t>(i)]);
  return v;
}

void PutUvarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutString(std::string_view s, std::string* out) {
  PutUvarint(s.size(), out);
  out->append(s);
}

void PutRecord(std::string_view payload, std::string* out) {
  const size_t start = out->size();
  PutU32(static_cast<uint32_t>(payload.size()), out);
  out->append(payload);
  PutU32(Crc32(std::string_view(*out).substr(start)), out);
}

std::string Errno(const std::string& what, const std::string& file) {
  return what + " " + file + ": " + std::strerror(errno);
}

// Reads a record payload front to back; every read is bounds-checked.
class PayloadReader {
 public:
  explicit PayloadReader(std::string_view s) : s_(s) {}
  bool Uvarint(uint64_t* v) {
    uint64_t out = 0;
    for (int shift = 0; shift < 64 && pos_ < s_.size(); shift += 7) {
      const uint8_t b = static_cast<uint8_t>(s_[pos_++]);
      out |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        *v = out;
        return true;
      }
    }
    return false;
  }
  bool Bytes(std::string_view* out) {
    uint64_t n = 0;
    if (!Uvarint(&n) || n > s_.size() - pos_) return false;
    *out = s_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == s_.size(); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

std::string Serialize(const std::vector<MemoryStorage::SeriesChunks>& all, size_t* samples) {
  std::string out(kMagic);
  PutU32(kSnapshotVersion, &out);
  PutU32(Crc32(out), &out);
  std::string payload;
  for (const MemoryStorage::SeriesChunks& s : all) {
    payload.assign(1, kSeriesRecord);
    PutUvarint(s.labels.size(), &payload);
    for (const promql::Label& l : s.labels) {
      PutString(l.name, &payload);
      PutString(l.value, &payload);
    }
    PutUvarint(s.chunks.size(), &payload);
    for (const XorChunk& c : s.chunks) {
      PutUvarint(c.count(), &payload);
      const std::vector<uint8_t>& b = c.bytes();
      PutString(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), &payload);
      *samples += c.count();
    }
    PutRecord(payload, &out);
  }
  payload.assign(1, kEndRecord);
  PutUvarint(all.size(), &payload);
  PutUvarint(*samples, &payload);
  PutRecord(payload, &out);
  return out;
}

// One series record's payload (after the type byte) into `out`; an error message otherwise.
std::optional<std::string> ParseSeries(std::string_view payload, MemoryStorage::SeriesChunks* out) {
  PayloadReader r(payload);
  uint64_t n = 0;
  if (!r.Uvarint(&n) || n == 0 || n > payload.size()) return "bad label count";
  std::vector<promql::Label> labels;
  for (uint64_t i = 0; i < n; ++i) {
    std::string_view name, value;
    if (!r.Bytes(&name) || !r.Bytes(&value)) return "labels cut short";
    if (!promql::IsValidLabelName(name) || value.empty()) return "invalid label";
    if (!labels.empty() && labels.back().name >= name) return "labels not sorted";
    labels.push_back({std::string(name), std::string(value)});
  }
  out->labels = promql::Labels(std::move(labels));
  if (!r.Uvarint(&n) || n == 0 || n > payload.size()) return "bad chunk count";
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t count = 0;
    std::string_view bytes;
    if (!r.Uvarint(&count) || count == 0 || count > XorChunk::kMaxSamples || !r.Bytes(&bytes)) {
      return "chunk " + std::to_string(i) + " cut short";
    }
    auto chunk = XorChunk::FromEncoding(std::vector<uint8_t>(bytes.begin(), bytes.end()),
                                        static_cast<uint16_t>(count));
    if (!chunk.ok()) return "chunk " + std::to_string(i) + ": " + chunk.status().message();
    if (!out->chunks.empty() && chunk->min_time() <= out->chunks.back().max_time()) {
      return "chunk " + std::to_string(i) + " overlaps the one before";
    }
    out->chunks.push_back(std::move(chunk).value());
  }
  if (!r.done()) return "trailing bytes";
  return std::nullopt;
}

core::Result<std::string> ReadFile(const std::string& path, bool* missing) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *missing = errno == ENOENT;
    return core::Status::Error(Errno("open", path));
  }
  std::string data;
  char buf[1 << 16];
  while (true) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const std::string err = Errno("read", path);
      close(fd);
      return core::Status::Error(err);
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return data;
}

}  // namespace

core::Status WriteSnapshot(const MemoryStorage& storage, const std::string& path,
                           SnapshotWriteResult* result) {
  const std::vector<MemoryStorage::SeriesChunks> all = storage.ExportChunks();
  SnapshotWriteResult written;
  const std::string data = Serialize(all, &written.samples);
  core::Status st = core::WriteFileAtomically(path, data);
  if (!st.ok()) return st;
  written.series = all.size();
  written.bytes = data.size();
  if (result != nullptr) *result = written;
  return core::Status::Ok();
}

core::Status RestoreSnapshot(const std::string& path, MemoryStorage* storage,
                             int64_t retention_mint_ms, SnapshotRestoreResult* out) {
  SnapshotRestoreResult result;
  if (out != nullptr) *out = result;
  bool missing = false;
  auto data = ReadFile(path, &missing);
  if (!data.ok()) return missing ? core::Status::Ok() : data.status();
  result.found = true;
  const std::string_view s = *data;
  auto fail = [&](size_t offset, const std::string& message) {
    return core::Status::Error("snapshot " + path + ": " + message + " at byte " +
                               std::to_string(offset));
  };
  if (s.size() < kHeaderSize) return fail(s.size(), "file truncated in the header");
  if (s.substr(0, kMagic.size()) != kMagic) {
    return fail(0, "not a smoke_exporter TSDB snapshot (bad magic)");
  }
  if (GetU32(s, 12) != Crc32(s.substr(0, 12))) return fail(12, "header checksum mismatch");
  if (const uint32_t v = GetU32(s, 8); v != kSnapshotVersion) {
    return fail(8, "unsupported version " + std::to_string(v) + " (this build reads version " +
                       std::to_string(kSnapshotVersion) + ")");
  }

  std::vector<MemoryStorage::SeriesChunks> series;
  std::set<std::string> keys;
  size_t pos = kHeaderSize, samples = 0, record = 0;
  bool ended = false;
  while (!ended) {
    ++record;
    const std::string where = "record " + std::to_string(record);
    if (pos == s.size()) return fail(pos, "file truncated before the end record");
    if (s.size() - pos < 4) return fail(pos, "file truncated in " + where);
    const uint32_t len = GetU32(s, pos);
    if (len == 0 || len > kMaxRecordSize) return fail(pos, "bad length of " + where);
    if (s.size() - pos - 4 < static_cast<size_t>(len) + 4) {
      return fail(pos, "file truncated in " + where);
    }
    const std::string_view payload = s.substr(pos + 4, len);
    if (GetU32(s, pos + 4 + len) != Crc32(s.substr(pos, 4 + static_cast<size_t>(len)))) {
      return fail(pos, "checksum mismatch in " + where);
    }
    if (payload[0] == kSeriesRecord) {
      MemoryStorage::SeriesChunks one;
      if (auto err = ParseSeries(payload.substr(1), &one)) return fail(pos, where + ": " + *err);
      if (!keys.insert(one.labels.Key()).second) {
        return fail(pos, where + ": series " + one.labels.ToString() + " appears twice");
      }
      for (const XorChunk& c : one.chunks) samples += c.count();
      series.push_back(std::move(one));
    } else if (payload[0] == kEndRecord) {
      PayloadReader r(payload.substr(1));
      uint64_t want_series = 0, want_samples = 0;
      if (!r.Uvarint(&want_series) || !r.Uvarint(&want_samples) || !r.done()) {
        return fail(pos, where + ": bad end record");
      }
      if (want_series != series.size() || want_samples != samples) {
        return fail(pos, "end record counts " + std::to_string(want_series) + " series and " +
                             std::to_string(want_samples) + " samples, the file has " +
                             std::to_string(series.size()) + " and " + std::to_string(samples));
      }
      ended = true;
    } else {
      return fail(pos, where + ": unknown record type");
    }
    pos += 4 + static_cast<size_t>(len) + 4;
  }
  if (pos != s.size()) return fail(pos, "unexpected data after the end record");

  // Everything checked; now apply retention and load.
  std::vector<MemoryStorage::SeriesChunks> keep;
  for (MemoryStorage::SeriesChunks& one : series) {
    auto first = std::find_if(one.chunks.begin(), one.chunks.end(),
                              [&](const XorChunk& c) { return c.max_time() >= retention_mint_ms; });
    result.expired_chunks += static_cast<size_t>(first - one.chunks.begin());
    one.chunks.erase(one.chunks.begin(), first);
    if (one.chunks.empty()) continue;
    for (const XorChunk& c : one.chunks) result.samples += c.count();
    keep.push_back(std::move(one));
  }
  result.series = keep.size();
  storage->ImportChunks(std::move(keep));
  if (out != nullptr) *out = result;
  return core::Status::Ok();
}

core::Status Snapshotter::Write(SnapshotWriteResult* result) {
  std::lock_guard lock(write_mu_);
  core::Status st = WriteSnapshot(storage_, path_, result);
  if (st.ok()) {
    last_success_.store(core::ToUnixSeconds(clock_.Now()));
  } else {
    failures_.fetch_add(1);
  }
  return st;
}

}  // namespace smoke::tsdb
