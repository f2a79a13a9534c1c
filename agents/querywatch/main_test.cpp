// The blastlab-querywatch binary as the controller runs it: bad flags exit 2 with a message
// naming the flag, before anything is opened; without root it cannot open its packet socket
// and exits 3. (Counting needs root and namespaces of its own: querywatch_lab_test.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "agents/common/test_support.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::querywatch {
namespace {

using namespace std::chrono_literals;

proc::RunResult run(std::vector<std::string> args) {
  args.insert(args.begin(), QUERYWATCH_BINARY);
  return proc::make_process_runner()->run({.argv = args}, 10s);
}

TEST(QuerywatchMainTest, MissingFlagsExitTwo) {
  auto r = run({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--node"), std::string::npos) << r.err;
  r = run({"--node", "client1", "--events", "/tmp/x.jsonl", "--target", "198.51.100.12"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--duration"), std::string::npos) << r.err;
  r = run({"--node", "client1", "--events", "/tmp/x.jsonl", "--duration", "1s"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--target"), std::string::npos) << r.err;
}

TEST(QuerywatchMainTest, TargetOutsideTheLabExitsTwoAndWritesNothing) {
  agent::testing::TempDir dir;
  std::string events = dir.file("events/querywatch-client1.jsonl");
  auto r = run({"--node", "client1", "--events", events, "--target", "198.51.100.12", "--target",
                "9.9.9.9", "--duration", "1s"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "blastlab-querywatch: --target 9.9.9.9: outside the lab; give an address in "
            "198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 or 127.0.0.0/8\n");
  EXPECT_FALSE(std::filesystem::exists(events)) << "validation must come before any file";
}

TEST(QuerywatchMainTest, BadIntervalExitsTwo) {
  auto r = run({"--node", "client1", "--events", "/tmp/x.jsonl", "--target", "198.51.100.12",
                "--duration", "1s", "--interval", "10ms"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "blastlab-querywatch: --interval 10ms: give a time from 100ms to 60s in whole "
            "milliseconds, e.g. 1s\n");
}

TEST(QuerywatchMainTest, WithoutRootThePacketSocketFailsWithExitThree) {
  agent::testing::TempDir dir;
  std::vector<std::string> argv = {QUERYWATCH_BINARY,
                                   "--node",
                                   "client1",
                                   "--events",
                                   dir.file("querywatch-client1.jsonl"),
                                   "--target",
                                   "198.51.100.12",
                                   "--duration",
                                   "1s"};
  // As root, the test drops to nobody (and with it every capability) to see the failure.
  if (::geteuid() == 0) {
    argv.insert(argv.begin(), {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"});
  }
  auto r = proc::make_process_runner()->run({.argv = argv}, 10s);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("open a packet socket"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("CAP_NET_RAW"), std::string::npos) << r.err;
}

TEST(QuerywatchMainTest, HelpExitsZero) {
  auto r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--target"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--interval"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace blastlab::querywatch
