// The blastlab-dnsprobe binary as the controller runs it: exit codes for bad flags, a run
// that ends by itself, and SIGTERM in the middle of a run against the 127.0.0.1 responder.
#include <gtest/gtest.h>
#include <signal.h>

#include <thread>

#include "agents/dnsprobe/test_support.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::dnsprobe {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::Responder;

std::vector<std::string> command(const std::string& events, uint16_t port,
                                 std::vector<std::string> more) {
  std::vector<std::string> argv = {DNSPROBE_BINARY,
                                   "--node",
                                   "c1",
                                   "--events",
                                   events,
                                   "--target",
                                   "resolver=127.0.0.1:" + std::to_string(port)};
  argv.insert(argv.end(), more.begin(), more.end());
  return argv;
}

TEST(DnsprobeMainTest, BadFlagsExitTwoWithTheReason) {
  auto runner = proc::make_process_runner();
  struct Case {
    std::vector<std::string> argv;
    std::string message;
  };
  for (const Case& c :
       {Case{{DNSPROBE_BINARY}, "--node is required"},
        Case{command("/tmp/unused.jsonl", 53, {"--rate", "5000"}), "--rate: 5000 is out of range"},
        Case{command("/tmp/unused.jsonl", 53, {"--target", "x=1.1.1.1"}),
             "--target: 1.1.1.1 is outside the lab"},
        Case{command("/tmp/unused.jsonl", 53, {"--timeout", "soon"}),
             "--timeout: 'soon' is not a duration"},
        Case{command("/tmp/unused.jsonl", 53, {"--frobnicate"}), "not expected: --frobnicate"}}) {
    auto r = runner->run({.argv = c.argv}, 5s);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists("/tmp/unused.jsonl")) << "nothing written on bad flags";
}

TEST(DnsprobeMainTest, HelpExitsZero) {
  auto runner = proc::make_process_runner();
  auto r = runner->run({.argv = {DNSPROBE_BINARY, "--help"}}, 5s);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--nsid"), std::string::npos) << r.out;
}

TEST(DnsprobeMainTest, UnwritableEventFileExitsThree) {
  auto runner = proc::make_process_runner();
  auto r = runner->run({.argv = command("/proc/dnsprobe-test/e.jsonl", 53, {})}, 5s);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("/proc/dnsprobe-test"), std::string::npos) << r.err;
}

TEST(DnsprobeMainTest, CountedRunEndsByItself) {
  testing::TempDir dir;
  Responder responder;
  ASSERT_NE(responder.port(), 0);
  std::string events_path = dir.file("events/dnsprobe-c1.jsonl");
  auto runner = proc::make_process_runner();
  auto r = runner->run(
      {.argv = command(events_path, responder.port(), {"--rate", "100", "--count", "5", "--nsid"})},
      10s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto events = testing::read_events(events_path);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front()["event"], "start");
  auto queries = testing::of_kind(events, "query");
  ASSERT_EQ(queries.size(), 5u);
  for (const json& q : queries) {
    EXPECT_EQ(q["result"], "ok") << q.dump();
    EXPECT_EQ(q["nsid"], "dns1");
  }
  EXPECT_EQ(events.back()["event"], "stop");
  EXPECT_EQ(events.back()["sent"], 5);
  EXPECT_EQ(events.back()["answered"], 5);
  EXPECT_EQ(events.back()["reason"], "count");
}

// The responder stays silent, so at SIGTERM queries are in flight: each is still written,
// as a timeout, before `stop`.
TEST(DnsprobeMainTest, SigtermWritesQueriesInFlightThenStop) {
  testing::TempDir dir;
  Responder responder;
  ASSERT_NE(responder.port(), 0);
  responder.mode = Responder::Mode::kDrop;
  std::string events_path = dir.file("events/dnsprobe-c1.jsonl");
  auto runner = proc::make_process_runner();
  auto probe = runner->start(
      {.argv = command(events_path, responder.port(), {"--rate", "20", "--timeout", "300ms"}),
       .stderr_path = dir.file("stderr")});
  auto deadline = std::chrono::steady_clock::now() + 10s;
  size_t seen = 0;
  while (seen < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
    seen = responder.names().size();
  }
  ASSERT_GE(seen, 3u) << "the responder saw " << seen << " queries in 10 s, wanted 3";
  ASSERT_EQ(::kill(probe->pid(), SIGTERM), 0);
  EXPECT_EQ(probe->wait_for(5s), 0) << "dnsprobe did not exit 0 within 5 s of SIGTERM";

  auto events = testing::read_events(events_path);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front()["event"], "start");
  const json& stop = events.back();
  EXPECT_EQ(stop["event"], "stop");
  EXPECT_EQ(stop["reason"], "SIGTERM");
  EXPECT_EQ(stop["answered"], 0);
  auto queries = testing::of_kind(events, "query");
  EXPECT_EQ(stop["sent"], queries.size()) << "every query sent was written before stop";
  EXPECT_EQ(stop["sent"], responder.names().size());
  for (const json& q : queries) {
    EXPECT_EQ(q["result"], "timeout");
    EXPECT_LE(q["ts"].get<int64_t>(), stop["ts"].get<int64_t>());
  }
}

}  // namespace
}  // namespace blastlab::dnsprobe
