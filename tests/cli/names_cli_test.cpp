// Lab and node names on the command line, without root: a name that is not one makes every
// command exit 2 saying what a name may be, before any path is made of it. A lab planted
// beside the run directory, which `../victim` would reach, is neither read nor removed.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/cli/cli_support.hpp"

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kBadLabNames = {"../victim", "/tmp", "Lab1",
                                               "a.b",       "a_b",  "lab-thirteen1"};
const std::vector<std::string> kBadNodeNames = {"../victim", "a/b", "Bb1", "node-sixteen-16x"};

class NamesCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("names-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "run");
    // What a lab directory holds, at the place `RUN/../victim` names.
    victim_ = dir_ / "victim";
    fs::create_directories(victim_);
    fs::copy_file(source("topologies/minimal.yaml"), victim_ / "topology.yaml");
    std::ofstream(victim_ / "journal.jsonl") << "{\"op\":\"status\",\"what\":\"up\"}\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  proc::RunResult run(const std::vector<std::string>& args) {
    return blastlab(args, {{"BLASTLAB_RUN_DIR", (dir_ / "run").string()}});
  }
  // Exit 2 with the rule in the message, and the planted lab as it was.
  void expect_refused(const std::vector<std::string>& args, const std::string& message) {
    std::string command;
    for (const auto& a : args) command += a + " ";
    SCOPED_TRACE(command);
    auto result = run(args);
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
    EXPECT_TRUE(fs::exists(victim_ / "topology.yaml"));
    EXPECT_TRUE(fs::exists(victim_ / "journal.jsonl"));
    EXPECT_FALSE(fs::exists(dir_ / "out"));
  }

  fs::path dir_;
  fs::path victim_;
};

TEST_F(NamesCliTest, EveryCommandRefusesABadLabName) {
  std::string topology = source("topologies/minimal.yaml");
  std::string script = source("scripts/backbone-shutdown.yaml");
  std::string out = (dir_ / "out").string();
  for (const auto& bad : kBadLabNames) {
    std::string message = "lab name '" + bad + "': use [a-z][a-z0-9-]*, at most 12 characters";
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"down", bad},
             {"status", bad},
             {"exec", bad, "bb1", "--", "true"},
             {"vtysh", bad, "bb1"},
             {"config", bad, "bb1"},
             {"link", bad, "bb1", "pop1", "down"},
             {"netem", bad, "bb1", "pop1", "--clear"},
             {"up", topology, "--name", bad},
             {"run", topology, script, "--name", bad, "--out", out},
             {"compare", source("scripts/fb-2021-whatifs.yaml"), "--name", bad, "--out", out},
         }) {
      expect_refused(args, message);
    }
  }
}

TEST_F(NamesCliTest, EveryCommandRefusesABadNodeName) {
  for (const auto& bad : kBadNodeNames) {
    std::string message = "node name '" + bad + "': use [a-z][a-z0-9-]*, at most 15 characters";
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"exec", "lab1", bad, "--", "true"},
             {"vtysh", "lab1", bad},
             {"config", "lab1", bad},
             {"link", "lab1", bad, "pop1", "down"},
             {"link", "lab1", "bb1", bad + ":eth0", "up"},
             {"netem", "lab1", "bb1", bad, "--clear"},
         }) {
      expect_refused(args, message);
    }
  }
}

TEST_F(NamesCliTest, StatusListsOnlyDirectoriesWithLabNames) {
  fs::create_directories(dir_ / "run" / "Not_A_Lab");
  fs::create_directory_symlink(victim_, dir_ / "run" / "linked");
  auto result = run({"status"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out.find("Not_A_Lab"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("linked"), std::string::npos) << result.out;
  EXPECT_NE(result.err.find("Not_A_Lab: not a lab name; left alone"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace blastlab::testing
