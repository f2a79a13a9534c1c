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

// Only what names the lab's own namespaces LAB.NODE, and processes known by their start
// time, is left for `down`; everything else is refused with a reason.
TEST_F(JournalTest, OwnEntriesAreOnlyTheLabsNamespacesAndProcesses) {
  using Kind = JournalEntry::Kind;
  {
    Journal journal(path_);
    journal.append({.kind = Kind::kNamespace, .ns = "lab1.bb1", .node = "bb1"});
    journal.append({.kind = Kind::kNamespace, .ns = "prod.bb1", .node = "bb1"});
    journal.append({.kind = Kind::kNamespace, .ns = "lab1.pop1", .node = "bb1"});
    journal.append({.kind = Kind::kNamespace, .ns = "lab1../x", .node = "../x"});
    journal.append({.kind = Kind::kNamespace, .ns = "lab1", .node = ""});
    journal.append(
        {.kind = Kind::kProcess, .ns = "lab1.bb1", .node = "bb1", .pid = 42, .start_time = 7});
    journal.append(
        {.kind = Kind::kProcess, .ns = "host", .node = "bb1", .pid = 43, .start_time = 7});
    journal.append(
        {.kind = Kind::kProcess, .ns = "lab1.bb1", .node = "bb1", .pid = 44, .start_time = 0});
    journal.append(
        {.kind = Kind::kProcess, .ns = "lab1.bb1", .node = "bb1", .pid = 1, .start_time = 7});
    journal.append({.kind = Kind::kStatus, .what = "up"});
  }
  auto own = own_entries(Journal::read(path_), "lab1");
  ASSERT_EQ(own.namespaces.size(), 1u);
  EXPECT_EQ(own.namespaces[0].ns, "lab1.bb1");
  ASSERT_EQ(own.processes.size(), 1u);
  EXPECT_EQ(own.processes[0].pid, 42);
  ASSERT_EQ(own.refused.size(), 7u);
  EXPECT_NE(own.refused[0].find("namespace 'prod.bb1' is not lab1.bb1"), std::string::npos)
      << own.refused[0];
  EXPECT_NE(own.refused[2].find("node '../x' is not a node name"), std::string::npos)
      << own.refused[2];
  EXPECT_NE(own.refused[5].find("pid 44 has no start time"), std::string::npos) << own.refused[5];
  EXPECT_NE(own.refused[6].find("pid 1 is no process a lab starts"), std::string::npos)
      << own.refused[6];
  EXPECT_TRUE(own_entries(Journal::read(path_), "prod").processes.empty());
}

TEST_F(JournalTest, NeverAppendsThroughALink) {
  std::string target = path_ + ".target";
  std::ofstream(target) << "precious\n";
  ASSERT_EQ(::symlink(target.c_str(), path_.c_str()), 0);
  EXPECT_THROW(Journal journal(path_), std::runtime_error);
  std::ifstream in(target);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "precious");
  ::unlink(target.c_str());
}

TEST_F(JournalTest, MissingJournalReadsEmpty) {
  EXPECT_TRUE(Journal::read(path_ + ".none").empty());
}

}  // namespace
}  // namespace blastlab::lab
