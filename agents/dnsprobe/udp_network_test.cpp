// The prober over real sockets against a DNS responder on 127.0.0.1: every result kind as
// the kernel delivers it, NSID, unique names on the wire, ICMP port unreachable, and the
// rate in real time. Assertions count queries rather than time them, so a loaded host only
// makes the tests slower, not wrong.
#include "agents/dnsprobe/udp_network.hpp"

#include <gtest/gtest.h>

#include <set>

#include "agents/dnsprobe/log.hpp"
#include "agents/dnsprobe/prober.hpp"
#include "agents/dnsprobe/test_support.hpp"

namespace blastlab::dnsprobe {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::Responder;

class UdpProbeTest : public ::testing::Test {
 protected:
  UdpProbeTest() {
    config.node = "c1";
    config.targets = {{"resolver", "127.0.0.1", responder.port()}};
    config.rate = 50;
    config.timeout = 2s;  // generous: a loaded host must not turn answers into timeouts
    config.count = 3;
    config.events = dir.file("dnsprobe-c1.jsonl");
  }
  void SetUp() override {
    ASSERT_NE(responder.port(), 0) << "the test responder could not bind 127.0.0.1";
    logger()->set_level(spdlog::level::warn);
  }
  void TearDown() override { logger()->set_level(spdlog::level::info); }

  std::vector<json> run() {
    std::filesystem::remove(config.events);
    SystemClock clock;
    UdpNetwork network(clock, config.source);
    agent::EventLog log(config.events, "dnsprobe", config.node);
    Prober prober(config, clock, network, log);
    summary = prober.run(stop);
    EXPECT_EQ(network.open_sockets(), 0u) << "every query's socket is closed";
    return testing::of_kind(testing::read_events(config.events), "query");
  }

  testing::TempDir dir;
  Responder responder;
  Config config;
  StopRequest stop;
  RunSummary summary;
};

TEST_F(UdpProbeTest, OkWithLatencyAndNsid) {
  config.nsid = true;
  auto queries = run();
  ASSERT_EQ(queries.size(), 3u);
  for (const json& q : queries) {
    EXPECT_EQ(q["result"], "ok") << q.dump();
    EXPECT_EQ(q["rcode"], "NOERROR");
    EXPECT_EQ(q["server"], "127.0.0.1:" + std::to_string(responder.port()));
    ASSERT_TRUE(q.contains("latency_us"));
    EXPECT_GT(q["latency_us"].get<int64_t>(), 0);
    EXPECT_LT(q["latency_us"].get<int64_t>(), 2'000'000);
    EXPECT_EQ(q["nsid"], "dns1");
  }
  EXPECT_EQ(summary.answered, 3u);
}

TEST_F(UdpProbeTest, NoNsidUnlessAsked) {
  auto queries = run();
  ASSERT_EQ(queries.size(), 3u);
  for (const json& q : queries) EXPECT_FALSE(q.contains("nsid")) << q.dump();
}

TEST_F(UdpProbeTest, UniqueNamesReachTheServer) {
  config.count = 5;
  auto queries = run();
  auto asked = responder.names();
  ASSERT_EQ(asked.size(), 5u);
  std::set<std::string> distinct(asked.begin(), asked.end());
  EXPECT_EQ(distinct.size(), 5u);
  for (const json& q : queries) EXPECT_TRUE(distinct.contains(q["qname"])) << q["qname"];
}

TEST_F(UdpProbeTest, ErrorRcodes) {
  for (auto [mode, result, rcode] : {std::tuple{Responder::Mode::kServfail, "servfail", "SERVFAIL"},
                                     std::tuple{Responder::Mode::kNxdomain, "nxdomain", "NXDOMAIN"},
                                     std::tuple{Responder::Mode::kRefused, "refused", "REFUSED"},
                                     std::tuple{Responder::Mode::kNoData, "rcode", "NOERROR"}}) {
    responder.mode = mode;
    config.count = 1;
    auto queries = run();
    ASSERT_EQ(queries.size(), 1u);
    EXPECT_EQ(queries[0]["result"], result);
    EXPECT_EQ(queries[0]["rcode"], rcode);
    EXPECT_TRUE(queries[0].contains("latency_us"));
  }
}

TEST_F(UdpProbeTest, StrayDatagramIsIgnored) {
  responder.mode = Responder::Mode::kStrayFirst;
  auto queries = run();
  ASSERT_EQ(queries.size(), 3u);
  for (const json& q : queries) EXPECT_EQ(q["result"], "ok") << q.dump();
}

TEST_F(UdpProbeTest, SilenceIsATimeout) {
  responder.mode = Responder::Mode::kDrop;
  config.timeout = 200ms;
  config.count = 2;
  auto queries = run();
  ASSERT_EQ(queries.size(), 2u);
  for (const json& q : queries) {
    EXPECT_EQ(q["result"], "timeout");
    EXPECT_FALSE(q.contains("latency_us"));
  }
  EXPECT_EQ(summary.answered, 0u);
}

TEST_F(UdpProbeTest, ClosedPortIsUnreachable) {
  uint16_t port = testing::closed_port();
  config.targets = {{"anycast", "127.0.0.1", port}};
  config.count = 2;
  auto queries = run();
  ASSERT_EQ(queries.size(), 2u);
  for (const json& q : queries) {
    EXPECT_EQ(q["result"], "unreachable") << q.dump();
    EXPECT_EQ(q["error"], "connection refused (icmp port unreachable from 127.0.0.1)");
  }
}

TEST_F(UdpProbeTest, TwoTargetsAtTwentyPerSecondForOneSecond) {
  config.targets.push_back({"anycast", "127.0.0.1", responder.port()});
  config.rate = 20;
  config.count.reset();
  config.duration = 1s;
  auto queries = run();
  std::map<std::string, int> per_target;
  for (const json& q : queries) {
    ++per_target[q["target"]];
    EXPECT_EQ(q["result"], "ok") << q.dump();
  }
  // 20 slots in [0, 1 s); a host too busy to wake in time may skip one or two.
  EXPECT_NEAR(per_target["resolver"], 20, 2);
  EXPECT_NEAR(per_target["anycast"], 20, 2);
  EXPECT_EQ(summary.sent, queries.size());
}

TEST_F(UdpProbeTest, SourceAddressIsUsed) {
  config.source = "127.0.0.1";
  config.count = 1;
  auto queries = run();
  ASSERT_EQ(queries.size(), 1u);
  EXPECT_EQ(queries[0]["result"], "ok");
}

}  // namespace
}  // namespace blastlab::dnsprobe
