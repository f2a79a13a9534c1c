#include "controller/lab/lab.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "controller/lab/journal.hpp"
#include "controller/lab/test_support.hpp"

namespace blastlab::lab {
namespace {

namespace fs = std::filesystem;

// A lab directory under a private run directory, its journal written by hand, and `down`
// run over a fabric that only records what it deletes.
class LabDownTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(run_dir_ / lab_); }
  void TearDown() override { fs::remove_all(run_dir_); }
  std::string journal_path() const { return (run_dir_ / lab_ / "journal.jsonl").string(); }

  fs::path run_dir_ = fs::temp_directory_path() / ("lab-down-test-" + std::to_string(::getpid()));
  std::string lab_ = "ld" + std::to_string(::getpid() % 1000000);
  FakeNetlink netlink_;
  std::unique_ptr<proc::ProcessRunner> runner_ = proc::make_process_runner();
  LabManager manager_{netlink_, *runner_, run_dir_.string()};
};

// A journal naming another lab's namespace and someone else's process, with the right
// start time: `down` deletes only its own namespace, signals nothing outside the lab's
// namespaces, and still removes the lab.
TEST_F(LabDownTest, ActsOnlyOnTheLabsOwnEntries) {
  auto bystander = runner_->start({.argv = {"sleep", "30"}});
  pid_t pid = bystander->pid();
  auto start_time = proc::process_start_time(pid);
  ASSERT_NE(start_time, 0u);
  {
    Journal journal(journal_path());
    journal.append(
        {.kind = JournalEntry::Kind::kNamespace, .ns = namespace_name(lab_, "bb1"), .node = "bb1"});
    journal.append({.kind = JournalEntry::Kind::kNamespace, .ns = "other.bb1", .node = "bb1"});
    journal.append({.kind = JournalEntry::Kind::kNamespace, .ns = "prod", .node = "../prod"});
    journal.append({.kind = JournalEntry::Kind::kProcess,
                    .ns = namespace_name(lab_, "bb1"),
                    .node = "bb1",
                    .pid = pid,
                    .start_time = start_time,
                    .what = "zebra"});
    journal.append({.kind = JournalEntry::Kind::kProcess,
                    .ns = "other.bb1",
                    .node = "bb1",
                    .pid = pid,
                    .start_time = start_time,
                    .what = "zebra"});
    journal.append({.kind = JournalEntry::Kind::kProcess,
                    .ns = namespace_name(lab_, "bb1"),
                    .node = "bb1",
                    .pid = pid,
                    .start_time = 0,
                    .what = "zebra"});
  }
  manager_.down(lab_);
  EXPECT_EQ(netlink_.deleted, std::vector<std::string>{namespace_name(lab_, "bb1")});
  EXPECT_TRUE(bystander->running());
  EXPECT_FALSE(fs::exists(run_dir_ / lab_));
}

TEST_F(LabDownTest, ANameThatIsNoLabNameIsRefusedBeforeAnyPath) {
  fs::create_directories(run_dir_ / "victim");
  std::ofstream(run_dir_ / "victim" / "journal.jsonl")
      << R"({"op":"netns","ns":"victim.bb1","node":"bb1"})"
      << "\n";
  LabManager nested(netlink_, *runner_, (run_dir_ / "run").string());
  for (const std::string bad : {"../victim", "/tmp", "a.b", "Lab"}) {
    try {
      nested.down(bad);
      ADD_FAILURE() << bad << ": down did not refuse";
    } catch (const LabError& e) {
      EXPECT_EQ(e.exit_code(), 2) << bad;
    }
  }
  EXPECT_TRUE(netlink_.deleted.empty());
  EXPECT_TRUE(fs::exists(run_dir_ / "victim" / "journal.jsonl"));
}

TEST_F(LabDownTest, LabsAreOnlyDirectoriesWithLabNames) {
  fs::create_directories(run_dir_ / "Not_A_Lab");
  fs::create_directories(run_dir_ / "elsewhere");
  fs::create_directory_symlink(run_dir_ / "elsewhere", run_dir_ / "linked");
  std::ofstream(run_dir_ / "afile");
  EXPECT_EQ(manager_.labs(), (std::vector<std::string>{"elsewhere", lab_}));
}

// A process that stopped is named with the last lines it wrote: a failed bring-up removes
// the lab directory, so its logs must travel in the message.
TEST_F(LabDownTest, ADeadProcessIsNamedWithTheLastLinesItWrote) {
  auto gone = runner_->start({.argv = {"true"}});
  pid_t pid = gone->pid();
  gone->wait();
  {
    Journal journal(journal_path());
    journal.append({.kind = JournalEntry::Kind::kProcess,
                    .ns = namespace_name(lab_, "client1"),
                    .node = "client1",
                    .pid = pid,
                    .start_time = 1,
                    .what = "unbound"});
  }
  fs::path node_dir = run_dir_ / lab_ / "nodes" / "client1";
  fs::create_directories(node_dir);
  std::ofstream(node_dir / "unbound.out") << "one\ntwo\n\nthree\nfour\n";
  std::ofstream(node_dir / "unbound.log") << "error: could not open control interface\n";
  auto view = manager_.check_convergence(lab_, frr::RoutingPlan{});
  EXPECT_FALSE(view.converged);
  EXPECT_NE(view.seen.find("unbound on client1 (pid " + std::to_string(pid) + ")"),
            std::string::npos)
      << view.seen;
  EXPECT_NE(view.seen.find("last lines of unbound.out:\n        two\n        three\n"
                           "        four"),
            std::string::npos)
      << view.seen;
  EXPECT_EQ(view.seen.find("        one\n"), std::string::npos) << view.seen;
  EXPECT_NE(view.seen.find("last lines of unbound.log:\n        error: could not open"),
            std::string::npos)
      << view.seen;
}

// A lab's copy of a containerlab topology is reloaded as `up` loaded it: by the copy's
// suffix, with relative paths from the original's directory, and with the overlay's copy.
TEST_F(LabDownTest, TheTopologyCopyReloadsAsItWasLoaded) {
  fs::path lab_dir = run_dir_ / lab_;
  fs::copy_file(BLASTLAB_SOURCE_DIR "/topologies/ospf-bgp.clab.yml", lab_dir / "topology.clab.yml");
  std::ofstream(lab_dir / "overlay.yaml") << "nodes:\n  r4: {role: edge}\n";
  std::ofstream(lab_dir / "load.json")
      << R"({"base_directory": ")" BLASTLAB_SOURCE_DIR R"(/topologies", "trust_exec": false, )"
      << R"("overlay": true})";
  model::Topology topology = manager_.topology(lab_);
  ASSERT_EQ(topology.nodes.size(), 9u);
  EXPECT_EQ(topology.find_node("r1")->frr->config,
            BLASTLAB_SOURCE_DIR "/topologies/ospf-bgp/r1.conf");
  EXPECT_EQ(topology.find_node("r4")->measured_as, model::Role::kEdge);
  EXPECT_EQ(topology.find_node("x1")->measured_as, model::Role::kPeer);

  // Without the record (a lab from before it), the source's directory is the base.
  fs::remove(lab_dir / "load.json");
  EXPECT_THROW(manager_.topology(lab_), LabError);  // relative to the lab directory: missing
  std::ofstream(lab_dir / "source") << BLASTLAB_SOURCE_DIR "/topologies/ospf-bgp.clab.yml\n";
  EXPECT_EQ(manager_.topology(lab_).find_node("x2")->frr->config,
            BLASTLAB_SOURCE_DIR "/topologies/ospf-bgp/x2.conf");
}

}  // namespace
}  // namespace blastlab::lab
