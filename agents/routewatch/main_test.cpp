// The blastlab-routewatch binary as the controller runs it: bad flags exit 2 with a message
// naming the flag, before anything is opened. (The watch itself needs a namespace of its
// own to change routes in, so it is run in routewatch_lab_test; here it only reads.)
#include <gtest/gtest.h>

#include <filesystem>

#include "agents/routewatch/test_messages.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::routewatch {
namespace {

using namespace std::chrono_literals;

proc::RunResult run(std::vector<std::string> args) {
  args.insert(args.begin(), ROUTEWATCH_BINARY);
  return proc::make_process_runner()->run({.argv = args}, 10s);
}

TEST(RoutewatchMainTest, MissingFlagsExitTwo) {
  auto r = run({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--node"), std::string::npos) << r.err;
  r = run({"--node", "peer1", "--events", "/tmp/x.jsonl"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--prefix"), std::string::npos) << r.err;
}

TEST(RoutewatchMainTest, UnknownFlagExitsTwo) {
  auto r = run({"--node", "peer1", "--events", "/tmp/x.jsonl", "--prefix", "198.51.100.0/26",
                "--table", "main"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--table"), std::string::npos) << r.err;
}

TEST(RoutewatchMainTest, BadPrefixExitsTwoAndWritesNothing) {
  testing::TempDir dir;
  std::string events = dir.file("events/routewatch-peer1.jsonl");
  auto r = run({"--node", "peer1", "--events", events, "--prefix", "198.51.100.0/26", "--prefix",
                "198.51.100.7/26"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "blastlab-routewatch: --prefix 198.51.100.7/26: host bits are set; give the network "
            "address 198.51.100.0/26\n");
  EXPECT_FALSE(std::filesystem::exists(events)) << "validation must come before any file";
}

TEST(RoutewatchMainTest, BadDurationExitsTwo) {
  auto r = run({"--node", "peer1", "--events", "/tmp/x.jsonl", "--prefix", "198.51.100.0/26",
                "--duration", "soon"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "blastlab-routewatch: --duration soon: give a time from 1ms to 86400s with a unit us, "
            "ms or s, e.g. 600s\n");
}

TEST(RoutewatchMainTest, UnwritableEventsFileExitsThree) {
  testing::TempDir dir;
  std::string blocker = dir.file("file");
  std::ofstream(blocker) << "not a directory";
  auto r = run({"--node", "peer1", "--events", blocker + "/events.jsonl", "--prefix",
                "198.51.100.0/26", "--duration", "1s"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(blocker), std::string::npos) << r.err;
}

TEST(RoutewatchMainTest, ReadsTheRealTableAndStopsWhenTheDurationPasses) {
  // Read-only and unprivileged: it subscribes and dumps in the test's own namespace and
  // changes nothing, so the table's contents are not asserted, only the run's shape.
  testing::TempDir dir;
  std::string events = dir.file("routewatch-host.jsonl");
  auto r = run(
      {"--node", "host", "--events", events, "--prefix", "192.0.2.0/24", "--duration", "200ms"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<nlohmann::json> written = testing::read_events(events);
  std::string kinds;
  for (const auto& e : written) {
    if (!kinds.empty()) kinds += ' ';
    kinds += e["event"].get<std::string>();
  }
  EXPECT_EQ(kinds, "start dump stop");
  ASSERT_EQ(written.size(), 3u);
  EXPECT_TRUE(written[1]["present"].is_array()) << written[1];
  EXPECT_EQ(written[2]["reason"], "duration");
  // Not before the 200 ms (less a margin: the realtime clock may be slewed by NTP).
  EXPECT_GE(written[2]["ts"].get<int64_t>() - written[0]["ts"].get<int64_t>(), 190'000);
}

TEST(RoutewatchMainTest, HelpExitsZero) {
  auto r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--prefix"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace blastlab::routewatch
