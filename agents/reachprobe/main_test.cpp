// The blastlab-reachprobe binary as the controller runs it: exit codes for bad flags, for
// help, and for an event file it cannot open. Its sockets are tested on a real lab
// (tests/lab/reach_test.cpp): raw ICMP and lab addresses need root and namespaces.
#include <gtest/gtest.h>

#include <filesystem>

#include "controller/proc/process.hpp"

namespace blastlab::reachprobe {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> command(std::vector<std::string> more) {
  std::vector<std::string> argv = {REACHPROBE_BINARY, "--node", "h1", "--events",
                                   "/tmp/blastlab-reachprobe-unused.jsonl"};
  argv.insert(argv.end(), more.begin(), more.end());
  return argv;
}

TEST(ReachprobeMainTest, BadFlagsExitTwoWithTheReason) {
  auto runner = proc::make_process_runner();
  struct Case {
    std::vector<std::string> argv;
    std::string message;
  };
  for (const Case& c : {Case{{REACHPROBE_BINARY}, "--node is required"},
                        Case{command({"--target", "icmp:x=1.1.1.1"}),
                             "--target: 'icmp:x=1.1.1.1': 1.1.1.1 is "
                             "outside the lab"},
                        Case{command({"--target", "icmp:x=198.18.0.1", "--rate", "500"}),
                             "--rate: 500 is out of range"},
                        Case{command({"--target", "icmp:x=198.18.0.1", "--frobnicate"}),
                             "not expected: --frobnicate"}}) {
    auto r = runner->run({.argv = c.argv}, 5s);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists("/tmp/blastlab-reachprobe-unused.jsonl"));
}

TEST(ReachprobeMainTest, HelpExitsZero) {
  auto runner = proc::make_process_runner();
  auto r = runner->run({.argv = {REACHPROBE_BINARY, "--help"}}, 5s);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("tcp:NAME=ADDRESS:PORT"), std::string::npos) << r.out;
}

TEST(ReachprobeMainTest, AnEventFileItCannotOpenExitsThree) {
  auto runner = proc::make_process_runner();
  auto r = runner->run(
      {.argv = {REACHPROBE_BINARY, "--node", "h1", "--events", "/proc/blastlab/no/e.jsonl",
                "--target", "tcp:x=198.18.0.1:80", "--duration", "1s"}},
      5s);
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

}  // namespace
}  // namespace blastlab::reachprobe
