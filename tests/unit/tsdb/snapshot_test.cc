// Snapshots: a restart gets back exactly what was stored; any damage to the file is refused
// whole with a message naming the place; a failed write leaves the previous snapshot intact.

#include "exporter/tsdb/snapshot.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <bit>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "exporter/promql/storage.h"
#include "exporter/tsdb/crc32.h"
#include "tests/support/temp_dir.h"

namespace smoke::tsdb {
namespace {

using promql::Labels;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

// Every series with every sample, bit patterns included, as one comparable string.
std::string Dump(const MemoryStorage& db) {
  auto all =
      db.Select({*promql::LabelMatcher::Create(promql::MatchType::kRegexMatch, "__name__", ".+")},
                INT64_MIN, INT64_MAX);
  std::string out;
  for (const auto& s : all) {
    out += s.labels.ToString() + ":";
    for (const auto& p : s.points) {
      out += " " + std::to_string(p.t) + "=" + std::to_string(std::bit_cast<uint64_t>(p.v));
    }
    out += "\n";
  }
  return out;
}

// The functions with their optional results as one value.
core::Result<SnapshotWriteResult> Write(const MemoryStorage& db, const std::string& path) {
  SnapshotWriteResult result;
  core::Status st = WriteSnapshot(db, path, &result);
  if (!st.ok()) return st;
  return result;
}

core::Result<SnapshotRestoreResult> Restore(const std::string& path, MemoryStorage* db,
                                            int64_t mint) {
  SnapshotRestoreResult result;
  core::Status st = RestoreSnapshot(path, db, mint, &result);
  if (!st.ok()) return st;
  return result;
}

void Fill(MemoryStorage* db) {
  for (int64_t i = 0; i < 300; ++i) {
    const int64_t t = 1'000'000 + i * 15'000 + (i % 3) - 1;
    ASSERT_TRUE(
        db->Append(Labels{{"__name__", "up"}, {"job", "api"}}, t, i % 50 == 0 ? 0 : 1).ok());
    ASSERT_TRUE(db->Append(Labels{{"__name__", "requests_total"}, {"path", "/a \"b\"\n"}}, t,
                           static_cast<double>(i * 3))
                    .ok());
  }
  ASSERT_TRUE(
      db->Append(Labels{{"__name__", "up"}, {"job", "api"}}, 6'000'000, promql::StaleNaN()).ok());
  ASSERT_TRUE(db->Append(Labels{{"__name__", "old"}}, 1'000, -0.0).ok());
}

class SnapshotTest : public ::testing::Test {
 protected:
  std::string Path() const { return (dir_.path() / "tsdb.snapshot").string(); }

  // A small valid snapshot file's bytes: two series of a few samples.
  std::string SmallSnapshot() {
    MemoryStorage db;
    EXPECT_TRUE(db.Append(Labels{{"__name__", "a"}}, 1000, 1).ok());
    EXPECT_TRUE(db.Append(Labels{{"__name__", "a"}}, 2000, 2).ok());
    EXPECT_TRUE(db.Append(Labels{{"__name__", "b"}, {"x", "y"}}, 1000, 3).ok());
    EXPECT_TRUE(Write(db, Path()).ok());
    return ReadAll(Path());
  }

  testing::TempDir dir_;
};

TEST_F(SnapshotTest, RoundTripsEverySampleAndTheHeadStaysAppendable) {
  MemoryStorage db;
  Fill(&db);
  auto written = Write(db, Path());
  ASSERT_TRUE(written.ok()) << written.status().message();
  EXPECT_EQ(written->series, 3u);
  EXPECT_EQ(written->samples, 602u);
  EXPECT_EQ(written->bytes, std::filesystem::file_size(Path()));
  EXPECT_FALSE(std::filesystem::exists(Path() + ".tmp"));

  MemoryStorage restored;
  auto r = Restore(Path(), &restored, INT64_MIN);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->found);
  EXPECT_EQ(r->series, 3u);
  EXPECT_EQ(r->samples, 602u);
  EXPECT_EQ(Dump(restored), Dump(db));
  EXPECT_EQ(restored.Stats().chunk_bytes, db.Stats().chunk_bytes);
  EXPECT_EQ(restored.Stats().chunks, db.Stats().chunks);

  // Appending continues in the restored head chunk exactly as in the original.
  for (MemoryStorage* s : {&db, &restored}) {
    ASSERT_TRUE(s->Append(Labels{{"__name__", "up"}, {"job", "api"}}, 6'015'000, 1).ok());
    EXPECT_EQ(s->Append(Labels{{"__name__", "up"}, {"job", "api"}}, 5'000'000, 1).message(),
              "out of order sample");
  }
  EXPECT_EQ(Dump(restored), Dump(db));
  EXPECT_EQ(restored.Stats().chunk_bytes, db.Stats().chunk_bytes);
}

TEST_F(SnapshotTest, AnEmptyStorageRoundTrips) {
  MemoryStorage empty;
  ASSERT_TRUE(Write(empty, Path()).ok());
  MemoryStorage restored;
  auto r = Restore(Path(), &restored, 0);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->found);
  EXPECT_EQ(restored.NumSeries(), 0u);
}

TEST_F(SnapshotTest, AMissingFileIsAFreshStart) {
  MemoryStorage db;
  auto r = Restore(Path(), &db, 0);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_FALSE(r->found);
  EXPECT_EQ(db.NumSeries(), 0u);
}

TEST_F(SnapshotTest, RestoreLeavesOutWhatRetentionHasPassed) {
  MemoryStorage db;
  Fill(&db);
  ASSERT_TRUE(Write(db, Path()).ok());
  MemoryStorage restored;
  // 300 samples per series in chunks of 120: the first chunk ends at sample 119.
  const int64_t mint = 1'000'000 + 130 * 15'000;
  auto r = Restore(Path(), &restored, mint);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->series, 2u);          // "old" is gone
  EXPECT_EQ(r->expired_chunks, 3u);  // one of each long series, "old"'s only one
  EXPECT_EQ(r->samples, 2u * 180 + 1);
  EXPECT_EQ(restored.NumSamples(), 361u);
}

TEST_F(SnapshotTest, RestoreIntoAStoreThatAlreadyHasSamplesKeepsThemAndAddsNewerHistory) {
  MemoryStorage db;
  for (int64_t t = 1; t <= 5; ++t)
    ASSERT_TRUE(db.Append(Labels{{"__name__", "a"}}, t * 1000, 1).ok());
  ASSERT_TRUE(Write(db, Path()).ok());
  MemoryStorage live;
  ASSERT_TRUE(live.Append(Labels{{"__name__", "a"}}, 3000, 9).ok());
  auto r = Restore(Path(), &live, 0);
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto s = live.Select({*promql::LabelMatcher::Create(promql::MatchType::kEqual, "__name__", "a")},
                       0, 10'000);
  ASSERT_EQ(s.size(), 1u);
  ASSERT_EQ(s[0].points.size(), 3u);  // 3000 (live), 4000, 5000
  EXPECT_EQ(s[0].points[0].v, 9);
  EXPECT_EQ(s[0].points[2].t, 5000);
}

// Flip each byte of a valid file in turn: every damaged file is refused, nothing gets loaded,
// and the message says what kind of damage at which byte.
TEST_F(SnapshotTest, RefusesCorruptionAtEveryByte) {
  const std::string good = SmallSnapshot();
  ASSERT_GT(good.size(), 40u);
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      WriteAll(Path(), bad);
      MemoryStorage db;
      auto r = Restore(Path(), &db, INT64_MIN);
      ASSERT_FALSE(r.ok()) << "byte " << i << " mask " << int(mask);
      EXPECT_EQ(db.NumSeries(), 0u) << "byte " << i;
      EXPECT_NE(r.status().message().find("snapshot " + Path() + ": "), std::string::npos);
    }
  }
  struct Case {
    const char* region;
    size_t offset;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"magic", 0, "not a smoke_exporter TSDB snapshot (bad magic) at byte 0"},
      {"version", 8, "header checksum mismatch at byte 12"},
      {"header checksum", 13, "header checksum mismatch at byte 12"},
      {"record length", 16, "checksum mismatch in record 1 at byte 16"},
      {"record payload", 22, "checksum mismatch in record 1 at byte 16"},
      {"record checksum", good.size() - 1, "checksum mismatch in record 3 at byte "},
  };
  for (const Case& c : cases) {
    std::string bad = good;
    bad[c.offset] = static_cast<char>(bad[c.offset] ^ 0x01);
    WriteAll(Path(), bad);
    MemoryStorage db;
    auto r = Restore(Path(), &db, INT64_MIN);
    ASSERT_FALSE(r.ok()) << c.region;
    EXPECT_NE(r.status().message().find(c.error), std::string::npos)
        << c.region << ": " << r.status().message();
  }
}

TEST_F(SnapshotTest, RefusesEveryTruncationAndTrailingData) {
  const std::string good = SmallSnapshot();
  for (size_t len = 0; len < good.size(); ++len) {
    WriteAll(Path(), good.substr(0, len));
    MemoryStorage db;
    auto r = Restore(Path(), &db, INT64_MIN);
    ASSERT_FALSE(r.ok()) << "length " << len;
    EXPECT_NE(r.status().message().find("truncated"), std::string::npos)
        << "length " << len << ": " << r.status().message();
    EXPECT_EQ(db.NumSeries(), 0u);
  }
  WriteAll(Path(), good + "x");
  MemoryStorage db;
  auto r = Restore(Path(), &db, INT64_MIN);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("unexpected data after the end record"), std::string::npos);
}

TEST_F(SnapshotTest, RefusesAnotherVersionByName) {
  std::string file = SmallSnapshot();
  file[8] = 2;  // version 2, with a header checksum that matches it
  const uint32_t crc = Crc32(std::string_view(file).substr(0, 12));
  for (int i = 0; i < 4; ++i) file[12 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  WriteAll(Path(), file);
  MemoryStorage db;
  auto r = Restore(Path(), &db, INT64_MIN);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "snapshot " + Path() +
                                      ": unsupported version 2 (this build reads version 1) at "
                                      "byte 8");
}

TEST_F(SnapshotTest, AnUnreadableFileIsAnErrorNotAFreshStart) {
  std::filesystem::create_directory(Path());  // a directory where the file should be
  MemoryStorage db;
  auto r = Restore(Path(), &db, 0);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("Is a directory"), std::string::npos) << r.status().message();
}

TEST_F(SnapshotTest, AFailedWriteReportsWhyAndKeepsThePreviousSnapshot) {
  MemoryStorage db;
  Fill(&db);
  ASSERT_TRUE(Write(db, Path()).ok());
  const std::string before = ReadAll(Path());
  ASSERT_TRUE(db.Append(Labels{{"__name__", "new"}}, 1, 1).ok());

  // The disk is full: the temporary file is /dev/full.
  std::filesystem::create_symlink("/dev/full", Path() + ".tmp");
  auto r = Write(db, Path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot write " + Path() + ".tmp: No space left on device");
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::symlink_status(Path() + ".tmp")));
  EXPECT_EQ(ReadAll(Path()), before);

  // The temporary file cannot be created.
  std::filesystem::create_directory(Path() + ".tmp");
  r = Write(db, Path());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot create " + Path() + ".tmp: Is a directory");
  EXPECT_EQ(ReadAll(Path()), before);
  std::filesystem::remove(Path() + ".tmp");

  // A directory that does not exist.
  const std::string elsewhere = (dir_.path() / "missing" / "tsdb.snapshot").string();
  r = Write(db, elsewhere);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot create " + elsewhere + ".tmp: No such file or directory");

  // A read-only directory (root may write anyway; then there is nothing to check).
  if (geteuid() != 0) {
    std::filesystem::permissions(
        dir_.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    r = Write(db, Path());
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::owner_all);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().message(), "cannot create " + Path() + ".tmp: Permission denied");
  }

  // The previous snapshot still restores to what it held.
  MemoryStorage restored;
  auto restore = Restore(Path(), &restored, INT64_MIN);
  ASSERT_TRUE(restore.ok()) << restore.status().message();
  EXPECT_EQ(restored.NumSeries(), 3u);
}

TEST_F(SnapshotTest, SnapshotterCountsFailuresAndStampsSuccesses) {
  MemoryStorage db;
  Fill(&db);
  core::ManualClock clock;
  Snapshotter ok(db, Path(), clock);
  EXPECT_EQ(ok.last_success_unix_seconds(), 0);
  ASSERT_TRUE(ok.Write().ok());
  EXPECT_EQ(ok.last_success_unix_seconds(), core::ToUnixSeconds(clock.Now()));
  EXPECT_EQ(ok.failures_total(), 0u);

  Snapshotter broken(db, (dir_.path() / "missing" / "x").string(), clock);
  EXPECT_FALSE(broken.Write().ok());
  EXPECT_FALSE(broken.Write().ok());
  EXPECT_EQ(broken.failures_total(), 2u);
  EXPECT_EQ(broken.last_success_unix_seconds(), 0);
}

TEST(Crc32Test, MatchesTheIeeeCheckValues) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32("The quick brown fox jumps over the lazy dog"), 0x414FA339u);
  EXPECT_EQ(Crc32("6789", Crc32("12345")), 0xCBF43926u);
}

}  // namespace
}  // namespace smoke::tsdb
