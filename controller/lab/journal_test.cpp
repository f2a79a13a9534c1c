#include "controller/lab/journal.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace blastlab::lab {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = "/tmp/blastlab-journal-test-" + std::to_string(getpid()) + ".jsonl";
  }
  void TearDown() override { ::unlink(path_.c_str()); }
  std::string path_;
};

TEST_F(JournalTest, ReadsBackWhatWasAppended) {
  {
    Journal journal(path_);
    journal.append({.kind = JournalEntry::Kind::kStatus, .what = "building"});
    journal.append({.kind = JournalEntry::Kind::kNamespace, .ns = "lab1.bb1", .node = "bb1"});
    journal.append({.kind = JournalEntry::Kind::kVeth,
                    .ns = "lab1.bb1",
                    .ifname = "pop1",
                    .peer_ns = "lab1.pop1",
                    .peer_ifname = "bb1"});
    journal.append({.kind = JournalEntry::Kind::kProcess,
                    .ns = "lab1.bb1",
                    .node = "bb1",
                    .pid = 4242,
                    .start_time = 99,
                    .what = "zebra"});
  }
  auto entries = Journal::read(path_);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].what, "building");
  EXPECT_EQ(entries[1].kind, JournalEntry::Kind::kNamespace);
  EXPECT_EQ(entries[1].ns, "lab1.bb1");
  EXPECT_EQ(entries[2].peer_ifname, "bb1");
  EXPECT_EQ(entries[3].pid, 4242);
  EXPECT_EQ(entries[3].start_time, 99u);
}

TEST_F(JournalTest, AppendsToAnExistingJournal) {
  { Journal(path_).append({.kind = JournalEntry::Kind::kNamespace, .ns = "a.x", .node = "x"}); }
  { Journal(path_).append({.kind = JournalEntry::Kind::kNamespace, .ns = "a.y", .node = "y"}); }
  EXPECT_EQ(Journal::read(path_).size(), 2u);
}

TEST_F(JournalTest, IgnoresATornLastLine) {
  { Journal(path_).append({.kind = JournalEntry::Kind::kNamespace, .ns = "a.x", .node = "x"}); }
  std::ofstream(path_, std::ios::app) << "{\"op\":\"netns\",\"ns\":\"a.";
  auto entries = Journal::read(path_);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].ns, "a.x");
}

TEST_F(JournalTest, MissingJournalReadsEmpty) {
  EXPECT_TRUE(Journal::read(path_ + ".none").empty());
}

}  // namespace
}  // namespace blastlab::lab
