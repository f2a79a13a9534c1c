// The agent's loop against a scripted PacketSource on a fake clock: queries counted per
// interval and per watched address (others ignored), intervals on the fixed-rate schedule
// with their real length, the partial interval at the end, drops, a host that fell behind,
// and the ways it stops.
#include "agents/querywatch/agent.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <deque>
#include <stdexcept>

#include "agents/common/test_support.hpp"
#include "agents/querywatch/test_packets.hpp"

namespace blastlab::querywatch {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using testing::Bytes;

using FakeClock = agent::testing::FakeClockOf<agent::Clock>;

// Plays a script on the fake clock: each step happens at its time after the start if the
// agent is still waiting then (a step at the deadline comes after it); a packet is handed
// over, a `stall` moves the clock past the agent's deadline (a busy host), a `stop` raises
// SIGTERM in the agent's stop flag, a `fail` throws as a broken socket would. Between steps
// the clock jumps to the deadline.
class ScriptedSource final : public PacketSource {
 public:
  enum class Kind { kPacket, kStall, kStop, kFail };
  struct Step {
    milliseconds at;
    Kind kind = Kind::kPacket;
    Bytes bytes;
    milliseconds until{};  // for a stall: when the agent runs again
  };

  ScriptedSource(FakeClock& clock, std::atomic<int>& stop) : clock_(clock), stop_(stop) {}

  std::optional<std::span<const uint8_t>> next(agent::Clock::TimePoint deadline) override {
    if (script.empty() || clock_.start + script.front().at >= deadline) {
      clock_.set(deadline);
      return std::nullopt;
    }
    current_ = std::move(script.front());
    script.pop_front();
    clock_.set(clock_.start + current_.at);
    switch (current_.kind) {
      case Kind::kPacket:
        return std::span<const uint8_t>(current_.bytes);
      case Kind::kStall:
        clock_.set(clock_.start + current_.until);
        return std::nullopt;
      case Kind::kStop:
        stop_.store(SIGTERM);
        return std::nullopt;
      case Kind::kFail:
        throw std::runtime_error("read from the packet socket: network is down");
    }
    return std::nullopt;
  }
  uint64_t take_drops() override {
    ++drop_reads;
    return drops_each_read.empty() ? 0 : drops_each_read[(drop_reads - 1) % drops_each_read.size()];
  }

  void packet(int ms, Bytes bytes) { script.push_back({milliseconds(ms), Kind::kPacket, bytes}); }
  void at(int ms, Kind kind) { script.push_back({milliseconds(ms), kind, {}}); }
  void stall(int from_ms, int until_ms) {
    script.push_back({milliseconds(from_ms), Kind::kStall, {}, milliseconds(until_ms)});
  }

  std::deque<Step> script;
  std::vector<uint64_t> drops_each_read;
  size_t drop_reads = 0;

 private:
  FakeClock& clock_;
  std::atomic<int>& stop_;
  Step current_;
};

class AgentTest : public ::testing::Test {
 protected:
  Options options(int duration_ms = 3000) {
    return {.node = "client1",
            .events = dir_.file("querywatch-client1.jsonl"),
            .targets = {*model::Ipv4Address::parse("198.51.100.12"),
                        *model::Ipv4Address::parse("198.51.100.13")},
            .interval = milliseconds(1000),
            .duration = milliseconds(duration_ms)};
  }

  std::vector<json> run(const Options& opts, bool expect_throw = false) {
    agent::EventLog events(opts.events, "querywatch", opts.node);
    Agent agent(opts, source_, events, clock_);
    if (expect_throw) {
      EXPECT_THROW(agent.run(stop_), std::runtime_error);
    } else {
      agent.run(stop_);
    }
    return agent::testing::read_events(opts.events);
  }

  static int64_t at_ms(const json& event) {
    return (event["ts"].get<int64_t>() - FakeClock::kRealtimeStartUs) / 1000;
  }

  static std::vector<std::string> kinds(const std::vector<json>& events) {
    std::vector<std::string> out;
    for (const json& e : events) out.push_back(e["event"]);
    return out;
  }

  agent::testing::TempDir dir_;
  FakeClock clock_;
  std::atomic<int> stop_{0};
  ScriptedSource source_{clock_, stop_};
};

TEST_F(AgentTest, CountsQueriesToTheTargetsPerInterval) {
  source_.packet(100, testing::udp_query("198.51.100.12"));
  source_.packet(200, testing::tcp_syn("198.51.100.13"));
  source_.packet(300, testing::udp_query("198.51.100.14"));  // not a target
  source_.packet(400, testing::packet({.destination_port = 5353}));
  source_.packet(500, testing::packet({.protocol = 6, .tcp_flags = 0x10}));  // ACK, not SYN
  source_.packet(1500, testing::udp_query("198.51.100.13"));
  source_.packet(1999, testing::udp_query("198.51.100.13"));
  source_.packet(2000, testing::udp_query("198.51.100.12"));  // on the boundary: next interval
  std::vector<json> events = run(options());

  ASSERT_EQ(kinds(events),
            (std::vector<std::string>{"start", "queries", "queries", "queries", "stop"}));
  for (const json& e : events) {
    EXPECT_EQ(e["agent"], "querywatch");
    EXPECT_EQ(e["node"], "client1");
  }
  EXPECT_EQ(events[0]["targets"], json({"198.51.100.12", "198.51.100.13"}));
  EXPECT_EQ(events[0]["interval_ms"], 1000);
  EXPECT_EQ(at_ms(events[0]), 0);
  json first = events[1];
  first.erase("ts");
  EXPECT_EQ(first, json::parse(R"({"agent": "querywatch", "node": "client1", "event": "queries",
      "interval_ms": 1000, "udp": 1, "tcp": 1,
      "by_target": {"198.51.100.12": 1, "198.51.100.13": 1}})"));
  EXPECT_EQ(at_ms(events[1]), 1000);
  EXPECT_EQ(events[2]["udp"], 2);
  EXPECT_EQ(events[2]["tcp"], 0);
  EXPECT_EQ(events[2]["by_target"], json({{"198.51.100.12", 0}, {"198.51.100.13", 2}}));
  EXPECT_EQ(at_ms(events[2]), 2000);
  EXPECT_EQ(events[3]["udp"], 1);
  EXPECT_EQ(events[3]["by_target"], json({{"198.51.100.12", 1}, {"198.51.100.13", 0}}));
  EXPECT_EQ(at_ms(events[3]), 3000);
  EXPECT_FALSE(events[1].contains("drops")) << "drops is written only when there were some";
  EXPECT_EQ(events[4]["reason"], "duration");
  EXPECT_EQ(events[4]["udp_total"], 4);
  EXPECT_EQ(events[4]["tcp_total"], 1);
  EXPECT_EQ(events[4]["drops"], 0);
  EXPECT_EQ(at_ms(events[4]), 3000);
}

TEST_F(AgentTest, ASignalEndsTheRunWithThePartialInterval) {
  source_.packet(1200, testing::udp_query("198.51.100.12"));
  source_.at(1500, ScriptedSource::Kind::kStop);
  source_.packet(1600, testing::udp_query("198.51.100.12"));  // after the stop: never read
  std::vector<json> events = run(options(60'000));
  ASSERT_EQ(kinds(events), (std::vector<std::string>{"start", "queries", "queries", "stop"}));
  EXPECT_EQ(events[1]["interval_ms"], 1000);
  EXPECT_EQ(events[2]["interval_ms"], 500);
  EXPECT_EQ(events[2]["udp"], 1);
  EXPECT_EQ(at_ms(events[2]), 1500);
  EXPECT_EQ(events[3]["reason"], "signal");
  EXPECT_EQ(events[3]["signal"], "SIGTERM");
  EXPECT_EQ(events[3]["udp_total"], 1);
}

TEST_F(AgentTest, ADurationOffTheScheduleEndsWithAShortInterval) {
  std::vector<json> events = run(options(2300));
  ASSERT_EQ(kinds(events),
            (std::vector<std::string>{"start", "queries", "queries", "queries", "stop"}));
  EXPECT_EQ(events[3]["interval_ms"], 300);
  EXPECT_EQ(at_ms(events[4]), 2300);
}

TEST_F(AgentTest, DropsAreReportedWhereTheyHappenedAndInTotal) {
  source_.drops_each_read = {0, 7, 0};
  std::vector<json> events = run(options());
  ASSERT_EQ(events.size(), 5u);
  EXPECT_FALSE(events[1].contains("drops"));
  EXPECT_EQ(events[2]["drops"], 7);
  EXPECT_FALSE(events[3].contains("drops"));
  EXPECT_EQ(events[4]["drops"], 7);
  EXPECT_EQ(source_.drop_reads, 3u) << "one read of the kernel's counters per interval";
}

TEST_F(AgentTest, AHostThatFellBehindWritesOneLongIntervalAndKeepsTheSchedule) {
  source_.packet(500, testing::udp_query("198.51.100.12"));
  source_.stall(600, 3400);  // the agent did not run from 0.6 s to 3.4 s
  source_.packet(3500, testing::udp_query("198.51.100.13"));
  std::vector<json> events = run(options(5000));
  ASSERT_EQ(kinds(events),
            (std::vector<std::string>{"start", "queries", "queries", "queries", "stop"}));
  // The interval that should have ended at 1 s ends when the agent ran again, and says how
  // long it really was; the next one ends on the schedule's 4 s, not 4.4 s.
  EXPECT_EQ(events[1]["interval_ms"], 3400);
  EXPECT_EQ(events[1]["udp"], 1);
  EXPECT_EQ(at_ms(events[1]), 3400);
  EXPECT_EQ(events[2]["interval_ms"], 600);
  EXPECT_EQ(events[2]["udp"], 1);
  EXPECT_EQ(at_ms(events[2]), 4000);
  EXPECT_EQ(events[3]["interval_ms"], 1000);
  int64_t total = 0;
  for (size_t i = 1; i <= 3; ++i) total += events[i]["interval_ms"].get<int64_t>();
  EXPECT_EQ(total, 5000) << "the intervals cover the whole run";
}

TEST_F(AgentTest, ASocketErrorIsRecordedInStopAndRethrown) {
  source_.packet(200, testing::udp_query("198.51.100.12"));
  source_.packet(1200, testing::udp_query("198.51.100.12"));
  source_.at(1300, ScriptedSource::Kind::kFail);
  std::vector<json> events = run(options(), /*expect_throw=*/true);
  ASSERT_EQ(kinds(events), (std::vector<std::string>{"start", "queries", "stop"}));
  EXPECT_EQ(events[2]["reason"], "error");
  EXPECT_EQ(events[2]["error"], "read from the packet socket: network is down");
  EXPECT_EQ(events[2]["udp_total"], 1) << "the totals of the intervals written";
}

TEST(TallyTest, CountsOnlyTargetsAndResets) {
  Tally tally({*model::Ipv4Address::parse("192.0.2.53")});
  EXPECT_TRUE(tally.add({QueryKind::kUdp, *model::Ipv4Address::parse("192.0.2.53")}));
  EXPECT_TRUE(tally.add({QueryKind::kTcpSyn, *model::Ipv4Address::parse("192.0.2.53")}));
  EXPECT_FALSE(tally.add({QueryKind::kUdp, *model::Ipv4Address::parse("192.0.2.54")}));
  EXPECT_EQ(tally.udp(), 1);
  EXPECT_EQ(tally.tcp(), 1);
  EXPECT_EQ(tally.by_target().at(*model::Ipv4Address::parse("192.0.2.53")), 2);
  EXPECT_EQ(tally.by_target().size(), 1u);
  tally.reset();
  EXPECT_EQ(tally.udp() + tally.tcp(), 0);
  EXPECT_EQ(tally.by_target().at(*model::Ipv4Address::parse("192.0.2.53")), 0);
}

}  // namespace
}  // namespace blastlab::querywatch
