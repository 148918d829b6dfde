// The decision log: one fsync'd JSON line per served verdict, size-based rotation keeping N
// files, newest-first listing across rotations, and failures (disk full, unwritable directory)
// reported as errors instead of crashing or leaving torn lines.

#include "exporter/readiness/decision_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.h"

namespace smoke::readiness {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

nlohmann::json Entry(int n) {
  return {{"decision_id", "id" + std::to_string(n)}, {"ready", false}};
}

std::vector<std::string> Ids(const std::vector<nlohmann::json>& entries) {
  std::vector<std::string> ids;
  for (const auto& e : entries) ids.push_back(e["decision_id"]);
  return ids;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(DecisionLogTest, AppendsOneJsonLinePerDecision) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "decisions.jsonl").string();
  DecisionLog log({.path = path});
  ASSERT_TRUE(log.Append(Entry(1)).ok());
  ASSERT_TRUE(log.Append(Entry(2)).ok());
  EXPECT_EQ(
      Read(path),
      "{\"decision_id\":\"id1\",\"ready\":false}\n{\"decision_id\":\"id2\",\"ready\":false}\n");
  auto recent = log.Recent(10);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(Ids(*recent), (std::vector<std::string>{"id2", "id1"}));
}

TEST(DecisionLogTest, RotatesBySizeAndKeepsNFiles) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "decisions.jsonl").string();
  const size_t line = Entry(1).dump().size() + 1;  // every entry here has the same length
  // Two lines per file, two rotated files kept.
  DecisionLog log({.path = path, .max_bytes = static_cast<int64_t>(2 * line), .keep = 2});
  for (int i = 1; i <= 7; ++i) ASSERT_TRUE(log.Append(Entry(i)).ok());
  // current: 7; .1: 5 6; .2: 3 4; 1 and 2 were rotated out.
  EXPECT_EQ(Read(path), Entry(7).dump() + "\n");
  EXPECT_EQ(Read(path + ".1"), Entry(5).dump() + "\n" + Entry(6).dump() + "\n");
  EXPECT_EQ(Read(path + ".2"), Entry(3).dump() + "\n" + Entry(4).dump() + "\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".3"));
  auto all = log.Recent(100);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(Ids(*all), (std::vector<std::string>{"id7", "id6", "id5", "id4", "id3"}));
  auto three = log.Recent(3);
  ASSERT_TRUE(three.ok());
  EXPECT_EQ(Ids(*three), (std::vector<std::string>{"id7", "id6", "id5"}));
}

TEST(DecisionLogTest, KeepZeroStartsOver) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "d.jsonl").string();
  const size_t line = Entry(1).dump().size() + 1;
  DecisionLog log({.path = path, .max_bytes = static_cast<int64_t>(line), .keep = 0});
  ASSERT_TRUE(log.Append(Entry(1)).ok());
  ASSERT_TRUE(log.Append(Entry(3)).ok());
  EXPECT_EQ(Read(path), Entry(3).dump() + "\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".1"));
}

TEST(DecisionLogTest, AnEntryLargerThanMaxBytesIsStillWritten) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "d.jsonl").string();
  DecisionLog log({.path = path, .max_bytes = 5, .keep = 1});
  ASSERT_TRUE(log.Append(Entry(1)).ok());
  ASSERT_TRUE(log.Append(Entry(2)).ok());
  EXPECT_EQ(Read(path), Entry(2).dump() + "\n");
  EXPECT_EQ(Read(path + ".1"), Entry(1).dump() + "\n");
}

TEST(DecisionLogTest, ListingSkipsTornLines) {
  testing::TempDir dir;
  const std::string path =
      dir.Write("d.jsonl", Entry(1).dump() + "\n{\"decision_id\":\"id2\",\"re");
  DecisionLog log({.path = path});
  auto recent = log.Recent(10);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(Ids(*recent), (std::vector<std::string>{"id1"}));
}

TEST(DecisionLogTest, UnwritableDirectoryIsAnErrorNotACrash) {
  testing::TempDir dir;
  const std::string file = dir.Write("not-a-dir", "x");
  // A path below a regular file fails with ENOTDIR even for root (chmod would not stop root).
  DecisionLog log({.path = file + "/decisions.jsonl"});
  core::Status s = log.Append(Entry(1));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("cannot open decision log " + file + "/decisions.jsonl"));
  EXPECT_THAT(s.message(), HasSubstr("Not a directory"));
  auto recent = log.Recent(10);
  ASSERT_FALSE(recent.ok());
  EXPECT_THAT(recent.status().message(), HasSubstr("cannot read decision log"));
}

TEST(DecisionLogTest, DiskFullIsAnError) {
  // Every write to /dev/full fails with ENOSPC, exactly what a full disk does.
  DecisionLog log({.path = "/dev/full"});
  core::Status s = log.Append(Entry(1));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("cannot write decision log /dev/full"));
  EXPECT_THAT(s.message(), HasSubstr("No space left on device"));
  auto recent = log.Recent(10);
  ASSERT_FALSE(recent.ok());
  EXPECT_THAT(recent.status().message(), HasSubstr("not a regular file"));
}

TEST(DecisionLogTest, MemoryOnlyKeepsTheLastEntries) {
  DecisionLog log({.path = "", .memory_entries = 3});
  EXPECT_FALSE(log.durable());
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(log.Append(Entry(i)).ok());
  auto recent = log.Recent(10);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(Ids(*recent), (std::vector<std::string>{"id5", "id4", "id3"}));
}

TEST(DecisionLogTest, MemoryOnlyIsBoundedByTheSizeOfTheLinesToo) {
  const size_t line = Entry(1).dump().size() + 1;  // every entry here has the same length
  DecisionLog log({.path = "", .memory_entries = 100, .memory_bytes = 2 * line});
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(log.Append(Entry(i)).ok());
  EXPECT_EQ(Ids(*log.Recent(10)), (std::vector<std::string>{"id5", "id4"}));

  // An entry larger than the whole budget is still kept, alone.
  DecisionLog tiny({.path = "", .memory_bytes = 1});
  ASSERT_TRUE(tiny.Append(Entry(1)).ok());
  ASSERT_TRUE(tiny.Append(Entry(2)).ok());
  EXPECT_EQ(Ids(*tiny.Recent(10)), (std::vector<std::string>{"id2"}));
}

TEST(DecisionLogTest, ResumesAnExistingFileAfterARestart) {
  testing::TempDir dir;
  const std::string path = (dir.path() / "d.jsonl").string();
  {
    DecisionLog first({.path = path});
    ASSERT_TRUE(first.Append(Entry(1)).ok());
  }
  DecisionLog second({.path = path});
  ASSERT_TRUE(second.Append(Entry(2)).ok());
  EXPECT_EQ(Ids(*second.Recent(10)), (std::vector<std::string>{"id2", "id1"}));
}

}  // namespace
}  // namespace smoke::readiness
