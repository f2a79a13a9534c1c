// The agent's loop against a scripted RouteSource: the first dump and the events that
// follow, stamps taken when a datagram was read, notifications folded into a running dump,
// re-dumps after an overflow, an interrupted dump or a link going down (with `resync`), and
// the ways it stops.
#include "agents/routewatch/agent.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <deque>
#include <thread>

#include "agents/routewatch/test_messages.hpp"

namespace blastlab::routewatch {
namespace {

using nlohmann::json;
using testing::Bytes;

// Plays a script of reads. Each step sets the realtime clock the agent reads, so a test
// knows the stamp every event must carry. When the script runs out it raises SIGTERM in the
// agent's stop flag, or, with stop_at_end false, idles through each timeout like a quiet
// socket.
class ScriptedSource final : public RouteSource {
 public:
  struct Step {
    int64_t ts;
    Status status;
    Bytes datagram;
  };

  explicit ScriptedSource(std::atomic<int>& stop) : stop_(stop) {}

  void request_dump(uint32_t seq) override { dump_requests.push_back(seq); }
  Read read(std::chrono::milliseconds timeout) override {
    if (script.empty()) {
      if (stop_at_end) {
        stop_.store(SIGTERM);
      } else {
        std::this_thread::sleep_for(timeout);  // a quiet socket waits out the timeout
      }
      return {};
    }
    current_ = std::move(script.front());
    script.pop_front();
    now_us = current_.ts;
    return {current_.status, current_.datagram};
  }

  std::deque<Step> script;
  std::vector<uint32_t> dump_requests;
  int64_t now_us = 1000;
  bool stop_at_end = true;

 private:
  std::atomic<int>& stop_;
  Step current_;
};

constexpr auto kData = RouteSource::Status::kData;
constexpr auto kOverflow = RouteSource::Status::kOverflow;

Options options(std::string events) {
  return {.node = "peer1",
          .events = std::move(events),
          .prefixes = {*model::Ipv4Prefix::parse("198.51.100.0/26"),
                       *model::Ipv4Prefix::parse("198.51.100.64/26")},
          .duration = std::chrono::hours(1)};
}

class AgentTest : public ::testing::Test {
 protected:
  // Runs the agent over the script and returns its events.
  std::vector<json> run(bool expect_throw = false) {
    Options opts = options(dir_.file("routewatch-peer1.jsonl"));
    agent::EventLog events(opts.events, "routewatch", opts.node);
    Agent agent(opts, source_, events, [this] { return source_.now_us; });
    if (expect_throw) {
      EXPECT_THROW(agent.run(stop_), std::runtime_error);
    } else {
      agent.run(stop_);
    }
    return testing::read_events(opts.events);
  }

  std::string kinds(const std::vector<json>& events) {
    std::string out;
    for (const json& e : events) {
      out += out.empty() ? "" : " ";
      out += e["event"].get<std::string>();
      if (e["event"] == "route") out += ":" + e["action"].get<std::string>();
    }
    return out;
  }

  testing::TempDir dir_;
  std::atomic<int> stop_{0};
  ScriptedSource source_{stop_};
};

Bytes dumped(const char* destination, const char* gateway = "198.18.0.1") {
  return testing::route(
      {.destination = destination, .gateway = gateway, .nlmsg_flags = NLM_F_MULTI, .seq = 1});
}

TEST_F(AgentTest, DumpThenAddDuplicateRemoveAndStopOnSigterm) {
  source_.script = {
      {2000, kData, testing::concat({dumped("198.51.100.0"), dumped("203.0.113.0")})},
      {3000, kData, testing::done()},
      {4000, kData, testing::route({.destination = "198.51.100.64", .gateway = "198.18.0.9"})},
      {5000, kData, testing::route({.destination = "198.51.100.64", .gateway = "198.18.0.9"})},
      {6000, kData,
       testing::route(
           {.message = RTM_DELROUTE, .destination = "198.51.100.0", .gateway = "198.18.0.1"})},
      {7000, kData,
       testing::route(
           {.message = RTM_DELROUTE, .destination = "198.51.100.0", .gateway = "198.18.0.1"})},
  };
  std::vector<json> events = run();
  ASSERT_EQ(kinds(events), "start dump route:add route:remove stop");
  EXPECT_EQ(source_.dump_requests, std::vector<uint32_t>{1});
  for (const json& e : events) {
    EXPECT_EQ(e["agent"], "routewatch");
    EXPECT_EQ(e["node"], "peer1");
  }
  EXPECT_EQ(events[0]["prefixes"], json({"198.51.100.0/26", "198.51.100.64/26"}));
  EXPECT_EQ(events[1]["present"], json({"198.51.100.0/26"}));
  EXPECT_EQ(events[1]["ts"], 3000) << "the dump is stamped when its end was read";
  EXPECT_EQ(events[2], json({{"ts", 4000},
                             {"agent", "routewatch"},
                             {"node", "peer1"},
                             {"event", "route"},
                             {"prefix", "198.51.100.64/26"},
                             {"action", "add"},
                             {"protocol", "bgp"},
                             {"gateway", "198.18.0.9"}}));
  EXPECT_EQ(events[3]["prefix"], "198.51.100.0/26");
  EXPECT_EQ(events[3]["ts"], 6000);
  EXPECT_EQ(events[4]["reason"], "signal");
  EXPECT_EQ(events[4]["signal"], "SIGTERM");
}

TEST_F(AgentTest, RouteWithoutGatewayHasNoGatewayField) {
  source_.script = {
      {2000, kData, testing::done()},
      {3000, kData, testing::route({.protocol = RTPROT_STATIC, .type = RTN_BLACKHOLE})},
  };
  std::vector<json> events = run();
  ASSERT_EQ(kinds(events), "start dump route:add stop");
  EXPECT_EQ(events[2]["protocol"], "static");
  EXPECT_FALSE(events[2].contains("gateway"));
}

TEST_F(AgentTest, NotificationDuringTheDumpIsFoldedIntoIt) {
  // The add arrives between dump parts: it is part of the table the dump describes, not an
  // event of its own.
  source_.script = {
      {2000, kData, testing::route({.destination = "198.51.100.64"})},
      {3000, kData, testing::done()},
  };
  std::vector<json> events = run();
  ASSERT_EQ(kinds(events), "start dump stop");
  EXPECT_EQ(events[1]["present"], json({"198.51.100.64/26"}));
}

TEST_F(AgentTest, OverflowAfterTheDumpResyncsAndReportsTheDifferences) {
  source_.script = {
      {2000, kData, testing::concat({dumped("198.51.100.0"), testing::done()})},
      {3000, kOverflow, {}},
      // The new dump: 198.51.100.0/26 is gone, 198.51.100.64/26 arrived meanwhile.
      {4000, kData, dumped("198.51.100.64", "198.18.0.2")},
      {5000, kData, testing::done()},
  };
  std::vector<json> events = run();
  ASSERT_EQ(kinds(events), "start dump resync route:remove route:add stop");
  EXPECT_EQ(source_.dump_requests, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(events[2]["reason"], "overflow");
  EXPECT_EQ(events[2]["present"], json({"198.51.100.64/26"}));
  EXPECT_EQ(events[2]["ts"], 5000);
  EXPECT_EQ(events[3]["prefix"], "198.51.100.0/26");
  EXPECT_EQ(events[3]["resync"], true);
  EXPECT_EQ(events[3]["ts"], 5000);
  EXPECT_EQ(events[4]["prefix"], "198.51.100.64/26");
  EXPECT_EQ(events[4]["gateway"], "198.18.0.2");
}

TEST_F(AgentTest, LinkDownResyncsAndReportsTheSilentlyFlushedRoute) {
  source_.script = {
      {2000, kData, testing::concat({dumped("198.51.100.0"), testing::done()})},
      {3000, kData, testing::link(0)},  // the route's link went down; no RTM_DELROUTE comes
      {4000, kData, testing::done()},   // the new dump no longer lists the route
  };
  std::vector<json> events = run();
  ASSERT_EQ(kinds(events), "start dump resync route:remove stop");
  EXPECT_EQ(source_.dump_requests, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(events[2]["reason"], "link");
  EXPECT_EQ(events[2]["present"], json::array());
  EXPECT_EQ(events[3]["prefix"], "198.51.100.0/26");
  EXPECT_EQ(events[3]["resync"], true);
  EXPECT_EQ(events[3]["ts"], 4000);
}

TEST_F(AgentTest, LinkDownThatChangedNothingWatchedWritesNoEvent) {
  source_.script = {
      {2000, kData, testing::concat({dumped("198.51.100.0"), testing::done()})},
      {3000, kData, testing::address(RTM_DELADDR)},
      {4000, kData, testing::concat({dumped("198.51.100.0"), testing::done()})},
  };
  std::vector<json> events = run();
  EXPECT_EQ(kinds(events), "start dump stop");
  EXPECT_EQ(source_.dump_requests, (std::vector<uint32_t>{1, 2}));
}

TEST_F(AgentTest, OverflowWinsOverLinkAsTheResyncReason) {
  source_.script = {
      {2000, kData, testing::concat({dumped("198.51.100.0"), testing::done()})},
      {3000, kOverflow, {}},
      {4000, kData, testing::link(0)},  // during the resync dump: it is repeated
      {5000, kData, testing::done()},
      {6000, kData, testing::concat({dumped("198.51.100.0"), testing::done()})},
  };
  std::vector<json> events = run();
  ASSERT_EQ(kinds(events), "start dump resync stop");
  EXPECT_EQ(source_.dump_requests, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(events[2]["reason"], "overflow");
  EXPECT_EQ(events[2]["ts"], 6000);
}

TEST_F(AgentTest, OverflowDuringTheFirstDumpRepeatsItAfterItsEnd) {
  source_.script = {
      {2000, kData, dumped("198.51.100.0")},
      {3000, kOverflow, {}},
      {4000, kData, testing::done()},  // the stale dump ends; only now can another start
      {5000, kData, testing::concat({dumped("198.51.100.64"), testing::done()})},
  };
  std::vector<json> events = run();
  ASSERT_EQ(kinds(events), "start dump stop");
  EXPECT_EQ(source_.dump_requests, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(events[1]["present"], json({"198.51.100.64/26"}));
  EXPECT_EQ(events[1]["ts"], 5000);
}

TEST_F(AgentTest, InterruptedDumpIsRepeated) {
  source_.script = {
      {2000, kData,
       testing::concat({testing::route({.destination = "198.51.100.0",
                                        .nlmsg_flags = NLM_F_MULTI | NLM_F_DUMP_INTR}),
                        testing::done()})},
      {3000, kData, testing::done()},
  };
  std::vector<json> events = run();
  ASSERT_EQ(kinds(events), "start dump stop");
  EXPECT_EQ(source_.dump_requests, (std::vector<uint32_t>{1, 2}));
  EXPECT_EQ(events[1]["present"], json::array());
}

TEST_F(AgentTest, KernelRefusingTheDumpStopsWithTheError) {
  source_.script = {{2000, kData, testing::error(-EPERM)}};
  std::vector<json> events = run(/*expect_throw=*/true);
  ASSERT_EQ(kinds(events), "start stop");
  EXPECT_EQ(events[1]["reason"], "error");
  EXPECT_NE(events[1]["error"].get<std::string>().find("Operation not permitted"),
            std::string::npos)
      << events[1];
}

TEST_F(AgentTest, StopsByItselfWhenTheDurationPasses) {
  source_.stop_at_end = false;
  Options opts = options(dir_.file("routewatch-peer1.jsonl"));
  opts.duration = std::chrono::milliseconds(20);
  agent::EventLog events(opts.events, "routewatch", opts.node);
  Agent agent(opts, source_, events, [this] { return source_.now_us; });
  agent.run(stop_);
  std::vector<json> written = testing::read_events(opts.events);
  ASSERT_EQ(kinds(written), "start stop");
  EXPECT_EQ(written[1]["reason"], "duration");
}

TEST_F(AgentTest, AQuietTableStillSaysTheWatchRunsEverySecond) {
  source_.stop_at_end = false;
  Options opts = options(dir_.file("routewatch-peer1.jsonl"));
  opts.duration = std::chrono::milliseconds(2500);
  agent::EventLog events(opts.events, "routewatch", opts.node);
  Agent agent(opts, source_, events, [this] { return source_.now_us; });
  agent.run(stop_);
  EXPECT_EQ(kinds(testing::read_events(opts.events)), "start alive alive stop");
}

TEST(SignalNameTest, NamesKnownSignalsAndNumbersOthers) {
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(SIGINT), "SIGINT");
  EXPECT_EQ(signal_name(1000), "1000");
}

}  // namespace
}  // namespace blastlab::routewatch
