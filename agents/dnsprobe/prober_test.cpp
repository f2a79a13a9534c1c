// The prober driven through simulated time with a scripted network: its fixed schedule,
// how runs end, queries in flight at once, every result kind, and the events it writes.
#include "agents/dnsprobe/prober.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <regex>

#include "agents/dnsprobe/log.hpp"
#include "agents/dnsprobe/test_support.hpp"

namespace blastlab::dnsprobe {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::Behaviour;
using testing::make_reply;
using testing::SentQuery;

class ProberTest : public ::testing::Test {
 protected:
  ProberTest() {
    config.node = "c1";
    config.targets = {{"resolver", "127.0.0.1", 53}, {"anycast", "198.51.100.12", 53}};
    config.rate = 10;
    config.timeout = 1s;
    config.duration = 10s;
    config.events = dir.file("events/dnsprobe-c1.jsonl");
    answer_with(LDNS_RCODE_NOERROR, true, 2ms);
  }
  // Query events are asserted; the log lines would only bury gtest's output.
  void SetUp() override { logger()->set_level(spdlog::level::err); }
  void TearDown() override { logger()->set_level(spdlog::level::info); }

  void answer_with(int rcode, bool answer, std::chrono::microseconds delay) {
    network.behaviour = [=](const SentQuery& q) {
      return Behaviour{delay, {make_reply(q.packet, rcode, answer, "dns1")}};
    };
  }

  RunSummary run() {
    agent::EventLog log(config.events, "dnsprobe", config.node);
    Prober prober(config, clock, network, log);
    summary = prober.run(stop);
    events = testing::read_events(config.events);
    queries = testing::of_kind(events, "query");
    return summary;
  }

  // Send times of one target, in ms since the start.
  std::vector<int64_t> send_ms(const std::string& address) {
    std::vector<int64_t> out;
    for (const auto& q : network.sent)
      if (q.address == address) out.push_back(clock.us_since_start(q.at) / 1000);
    return out;
  }

  testing::TempDir dir;
  Config config;
  testing::FakeClock clock;
  testing::FakeNetwork network{clock};
  StopRequest stop;
  RunSummary summary;
  std::vector<json> events;
  std::vector<json> queries;
};

TEST_F(ProberTest, SendsOnAFixedScheduleToEveryTarget) {
  run();
  std::vector<int64_t> expected;
  for (int k = 0; k < 100; ++k) expected.push_back(k * 100);
  EXPECT_EQ(send_ms("127.0.0.1"), expected);
  EXPECT_EQ(send_ms("198.51.100.12"), expected);
  EXPECT_EQ(summary.sent, 200u);
  EXPECT_EQ(summary.answered, 200u);
  EXPECT_EQ(summary.results[Result::kOk], 200u);
  EXPECT_EQ(summary.reason, "duration");
  EXPECT_TRUE(network.open.empty()) << "every socket is closed";
}

TEST_F(ProberTest, FractionalRate) {
  config.rate = 0.5;
  run();
  EXPECT_EQ(send_ms("127.0.0.1"), (std::vector<int64_t>{0, 2000, 4000, 6000, 8000}));
}

TEST_F(ProberTest, DoesNotDriftWhenTheLoopIsLate) {
  // Every wait wakes 3 ms late: sends stay on the 100 ms grid, 3 ms behind, not sliding.
  network.stall = 3ms;
  run();
  auto sends = send_ms("127.0.0.1");
  ASSERT_EQ(sends.size(), 100u);
  EXPECT_EQ(sends[99], 9903);
}

TEST_F(ProberTest, SkipsSlotsRatherThanBursting) {
  config.rate = 100;
  config.duration = 1s;
  config.targets.resize(1);
  // The host stalls for 55 ms after the 10th query (sent at 90 ms): the 11th goes out late,
  // at 147 ms, and the slots at 110..140 ms are dropped, not sent back to back.
  network.on_wait = [&] { network.stall = network.sent.size() == 10 ? 55ms : 0ms; };
  run();
  std::vector<int64_t> expected;
  for (int k = 0; k < 10; ++k) expected.push_back(k * 10);
  expected.push_back(147);
  for (int k = 15; k < 100; ++k) expected.push_back(k * 10);
  EXPECT_EQ(send_ms("127.0.0.1"), expected);
  EXPECT_EQ(summary.skipped, 4u);
  EXPECT_EQ(events.back()["skipped"], 4);
}

TEST_F(ProberTest, CountEndsTheRun) {
  config.count = 7;
  run();
  EXPECT_EQ(send_ms("127.0.0.1").size(), 7u);
  EXPECT_EQ(summary.sent, 14u);
  EXPECT_EQ(summary.reason, "count");
  EXPECT_EQ(events.back()["event"], "stop");
  EXPECT_EQ(events.back()["sent"], 14);
  EXPECT_EQ(events.back()["answered"], 14);
  EXPECT_EQ(events.back()["reason"], "count");
}

TEST_F(ProberTest, DurationEndsTheRunEvenWithACount) {
  config.count = 1000;
  config.duration = 1s;
  run();
  EXPECT_EQ(send_ms("127.0.0.1").size(), 10u);
  EXPECT_EQ(summary.reason, "duration");
}

TEST_F(ProberTest, StartEventDescribesTheRun) {
  config.count = 1;
  run();
  ASSERT_FALSE(events.empty());
  const json& start = events.front();
  EXPECT_EQ(start["event"], "start");
  EXPECT_EQ(start["agent"], "dnsprobe");
  EXPECT_EQ(start["node"], "c1");
  EXPECT_EQ(start["ts"], testing::FakeClock::kRealtimeStartUs);
  EXPECT_EQ(start["rate"], 10.0);
  EXPECT_EQ(start["timeout_us"], 1'000'000);
  EXPECT_EQ(start["targets"], json::parse(R"([{"name": "resolver", "server": "127.0.0.1"},
                                              {"name": "anycast", "server": "198.51.100.12"}])"));
}

TEST_F(ProberTest, ManyQueriesInFlightAtOnce) {
  config.rate = 100;
  config.duration = 2s;
  answer_with(LDNS_RCODE_NOERROR, true, 500ms);
  run();
  EXPECT_GE(network.max_open, 100u) << "50 per target wait for their answer at once";
  ASSERT_EQ(queries.size(), 400u);
  for (const json& q : queries) {
    EXPECT_EQ(q["result"], "ok");
    EXPECT_EQ(q["latency_us"], 500'000);
  }
}

TEST_F(ProberTest, OkEventCarriesEverything) {
  config.count = 1;
  config.nsid = true;
  config.targets.resize(1);
  clock.set(clock.start + 1s);
  run();
  ASSERT_EQ(queries.size(), 1u);
  const json& q = queries[0];
  EXPECT_EQ(q["ts"], testing::FakeClock::kRealtimeStartUs + 1'000'000) << "the send time";
  EXPECT_EQ(q["agent"], "dnsprobe");
  EXPECT_EQ(q["node"], "c1");
  EXPECT_EQ(q["target"], "resolver");
  EXPECT_EQ(q["server"], "127.0.0.1");
  EXPECT_EQ(q["result"], "ok");
  EXPECT_EQ(q["rcode"], "NOERROR");
  EXPECT_EQ(q["latency_us"], 2000);
  EXPECT_EQ(q["nsid"], "dns1");
  EXPECT_FALSE(q.contains("error"));
}

TEST_F(ProberTest, UniqueNamesDifferPerQuery) {
  config.count = 20;
  run();
  std::set<std::string> names;
  std::regex form(R"([0-9]+-[0-9a-f]{8}\.probe\.example\.net)");
  for (const json& q : queries) {
    std::string name = q["qname"];
    EXPECT_TRUE(std::regex_match(name, form)) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 40u);
  for (const auto& s : network.sent) EXPECT_TRUE(names.contains(testing::qname_of(s.packet)));
}

TEST_F(ProberTest, FixedNameIsAskedEveryTime) {
  config.count = 3;
  config.qname = "www";
  run();
  for (const json& q : queries) EXPECT_EQ(q["qname"], "www.example.net");
}

TEST_F(ProberTest, ResultKindsFromRcodes) {
  config.count = 1;
  config.targets.resize(1);
  struct Case {
    int rcode;
    bool answer;
    const char* result;
    const char* rcode_name;
  };
  for (Case c : {Case{LDNS_RCODE_SERVFAIL, false, "servfail", "SERVFAIL"},
                 Case{LDNS_RCODE_NXDOMAIN, false, "nxdomain", "NXDOMAIN"},
                 Case{LDNS_RCODE_REFUSED, false, "refused", "REFUSED"},
                 Case{LDNS_RCODE_NOERROR, false, "rcode", "NOERROR"},
                 Case{LDNS_RCODE_FORMERR, false, "rcode", "FORMERR"},
                 Case{LDNS_RCODE_NOTIMPL, false, "rcode", "NOTIMPL"}}) {
    std::filesystem::remove(config.events);
    answer_with(c.rcode, c.answer, 7ms);
    run();
    ASSERT_EQ(queries.size(), 1u);
    EXPECT_EQ(queries[0]["result"], c.result) << c.rcode_name;
    EXPECT_EQ(queries[0]["rcode"], c.rcode_name);
    EXPECT_EQ(queries[0]["latency_us"], 7000);
    EXPECT_EQ(summary.answered, 1u) << "every rcode is an answer";
  }
}

TEST_F(ProberTest, SilenceIsATimeoutAtTheDeadline) {
  config.count = 3;
  config.timeout = 1500ms;
  config.targets.resize(1);
  network.behaviour = [](const SentQuery&) { return Behaviour{}; };
  run();
  ASSERT_EQ(queries.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(queries[i]["result"], "timeout");
    EXPECT_FALSE(queries[i].contains("latency_us"));
    EXPECT_FALSE(queries[i].contains("rcode"));
    EXPECT_EQ(queries[i]["ts"], testing::FakeClock::kRealtimeStartUs + int64_t(i) * 100'000);
  }
  EXPECT_EQ(summary.answered, 0u);
  // The last query is sent at 200 ms and times out at 1700 ms; then the run ends.
  EXPECT_EQ(events.back()["ts"], testing::FakeClock::kRealtimeStartUs + 1'700'000);
}

TEST_F(ProberTest, AnswerAfterTheTimeoutIsATimeout) {
  config.count = 1;
  config.timeout = 100ms;
  answer_with(LDNS_RCODE_NOERROR, true, 150ms);
  run();
  for (const json& q : queries) EXPECT_EQ(q["result"], "timeout");
}

TEST_F(ProberTest, SendErrorsAndIcmpErrors) {
  config.count = 1;
  config.targets = {{"a", "192.0.2.1", 53}, {"b", "192.0.2.2", 53}, {"c", "192.0.2.3", 53}};
  network.behaviour = [](const SentQuery& q) {
    Behaviour b;
    if (q.address == "192.0.2.1") b.send_error = {ENETUNREACH, "connect: network is unreachable"};
    if (q.address == "192.0.2.2") b.send_error = {EMFILE, "open socket: too many open files"};
    if (q.address == "192.0.2.3")
      b.later_error = {EHOSTUNREACH, "no route to host (icmp host unreachable from 198.18.0.1)"};
    return b;
  };
  run();
  ASSERT_EQ(queries.size(), 3u);
  std::map<std::string, json> by_target;
  for (const json& q : queries) by_target[q["target"]] = q;
  EXPECT_EQ(by_target["a"]["result"], "unreachable");
  EXPECT_EQ(by_target["a"]["error"], "connect: network is unreachable");
  EXPECT_EQ(by_target["b"]["result"], "error");
  EXPECT_EQ(by_target["b"]["error"], "open socket: too many open files");
  EXPECT_EQ(by_target["c"]["result"], "unreachable");
  EXPECT_EQ(by_target["c"]["error"], "no route to host (icmp host unreachable from 198.18.0.1)");
  EXPECT_EQ(summary.sent, 3u);
  EXPECT_EQ(summary.answered, 0u);
}

TEST_F(ProberTest, StraysAreIgnoredAndGarbageIsAnError) {
  config.count = 1;
  config.targets.resize(1);
  network.behaviour = [](const SentQuery& q) {
    auto stray = make_reply(q.packet, LDNS_RCODE_SERVFAIL, false);
    stray[1] ^= 0x01;  // another id
    return Behaviour{3ms, {stray, make_reply(q.packet, LDNS_RCODE_NOERROR, true)}};
  };
  run();
  ASSERT_EQ(queries.size(), 1u);
  EXPECT_EQ(queries[0]["result"], "ok");

  std::filesystem::remove(config.events);
  network.behaviour = [](const SentQuery& q) {
    std::vector<uint8_t> garbage = {q.packet[0], q.packet[1], 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0};
    return Behaviour{3ms, {garbage}};
  };
  run();
  ASSERT_EQ(queries.size(), 1u);
  EXPECT_EQ(queries[0]["result"], "error");
  EXPECT_NE(queries[0]["error"].get<std::string>().find("unparsable answer"), std::string::npos);
}

TEST_F(ProberTest, StopRequestLetsQueriesInFlightFinish) {
  answer_with(LDNS_RCODE_NOERROR, true, 400ms);
  network.on_wait = [&] {
    if (network.sent.size() == 10 && stop.count == 0) {
      stop.signal = SIGTERM;
      stop.count = 1;
    }
  };
  run();
  EXPECT_EQ(network.sent.size(), 10u) << "no query after the stop request";
  EXPECT_EQ(queries.size(), 10u) << "the ones in flight were still written";
  for (const json& q : queries) EXPECT_EQ(q["result"], "ok");
  EXPECT_EQ(events.back()["event"], "stop");
  EXPECT_EQ(events.back()["sent"], 10);
  EXPECT_EQ(events.back()["answered"], 10);
  EXPECT_EQ(events.back()["reason"], "SIGTERM");
}

TEST_F(ProberTest, SecondStopRequestAbandonsQueriesInFlight) {
  network.behaviour = [](const SentQuery&) { return Behaviour{}; };
  network.on_wait = [&] {
    if (network.sent.size() == 4 && stop.count == 0) {
      stop.signal = SIGINT;
      stop.count = 1;
    } else if (stop.count == 1) {
      stop.count = 2;
    }
  };
  run();
  EXPECT_EQ(summary.abandoned, 4u);
  EXPECT_TRUE(queries.empty());
  EXPECT_TRUE(network.open.empty());
  EXPECT_EQ(events.back()["reason"], "SIGINT");
  EXPECT_EQ(events.back()["sent"], 4);
}

}  // namespace
}  // namespace blastlab::dnsprobe
