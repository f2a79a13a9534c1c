#include "controller/frr/bgp_log.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace blastlab::frr {
namespace {

// bb1's bgpd.log in a lab of topologies/minimal.yaml while `blastlab link LAB bb1 pop1 down`
// and then up (FRR 8.4.4, `log timestamp precision 6`), followed by lines of other runs:
// second precision, a session deleted by config, one shut down by config.
const std::string kBb1Log =
    "2026/11/21 05:47:27.107992 BGP: [HZN6M-XRM1G] %NOTIFICATION: sent to neighbor 198.18.0.4 "
    "4/0 (Hold Timer Expired) 0 bytes \n"
    "2026/11/21 05:47:27.107996 BGP: [X75FT-MC08E] [BGP_GR] Peer 198.18.0.4 UNSET "
    "PEER_STATUS_NSF_MODE!\n"
    "2026/11/21 05:47:27.108015 BGP: [PXVXG-TFNNT] %ADJCHANGE: neighbor 198.18.0.4(pop1) in vrf "
    "default Down BGP Notification send\n"
    "2026/11/21 05:47:28.182696 BGP: [X75FT-MC08E] [BGP_GR] Peer 198.18.0.4 UNSET "
    "PEER_STATUS_NSF_MODE!\n"
    "2026/11/21 05:47:28.183997 BGP: [N9HHH-F8H1M] %ADJCHANGE: neighbor 198.18.0.4(pop1) in vrf "
    "default Up\n"
    "2026/11/21 05:48:37 BGP: [PXVXG-TFNNT] %ADJCHANGE: neighbor 198.19.0.10(pop1) in vrf "
    "default Down Neighbor deleted\n"
    "2026/11/21 05:49:29 BGP: [MJ4D6-VBJKV][EC 33554454] 198.18.0.2 [Error] bgp_read_packet "
    "error: Connection reset by peer\n"
    "2026/11/21 05:49:37 BGP: [PXVXG-TFNNT] %ADJCHANGE: neighbor 198.18.0.5(pop2) in vrf "
    "default Down Admin. shutdown\n";

constexpr int64_t kUtc052727 = 1795240047;  // 2026-11-21T05:47:27Z

// Runs a test in a fixed time zone (POSIX TZ rules, so no tzdata is needed) and puts the
// process's zone back afterwards.
class TimeZone : public ::testing::Test {
 protected:
  void SetUp() override {
    if (const char* old = std::getenv("TZ")) saved_ = old;
  }
  void TearDown() override {
    if (saved_) {
      setenv("TZ", saved_->c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  void use(const char* zone) {
    setenv("TZ", zone, 1);
    tzset();
  }

 private:
  std::optional<std::string> saved_;
};

using BgpLogTime = TimeZone;
using BgpSessionEvents = TimeZone;

TEST_F(BgpLogTime, ReadsMicrosecondsAndFewerDigits) {
  use("UTC0");
  EXPECT_EQ(parse_frr_log_time("2026/11/21 05:47:27.108015 BGP: x"), kUtc052727 * 1000000 + 108015);
  EXPECT_EQ(parse_frr_log_time("2026/11/21 05:47:27 BGP: x"), kUtc052727 * 1000000);
  EXPECT_EQ(parse_frr_log_time("2026/11/21 05:47:27.108 BGP: x"), kUtc052727 * 1000000 + 108000);
  EXPECT_EQ(parse_frr_log_time("2026/11/21 05:47:27.000001"), kUtc052727 * 1000000 + 1);
}

TEST_F(BgpLogTime, ConvertsTheLocalTimeWithTheZonesRules) {
  use("CET-1CEST,M3.5.0,M10.5.0/3");  // Central Europe: UTC+1, in summer UTC+2
  EXPECT_EQ(parse_frr_log_time("2026/11/21 06:47:27.5 BGP: x"), kUtc052727 * 1000000 + 500000);
  EXPECT_EQ(parse_frr_log_time("2026/07/01 14:00:00 BGP: x"),
            int64_t{1782907200} * 1000000);  // 2026-07-01T12:00:00Z
  use("EST5EDT,M3.2.0,M11.1.0");             // US Eastern: UTC-5 in November
  EXPECT_EQ(parse_frr_log_time("2026/11/21 00:47:27 BGP: x"), kUtc052727 * 1000000);
}

TEST_F(BgpLogTime, RejectsWhatIsNoTimestamp) {
  use("UTC0");
  EXPECT_FALSE(parse_frr_log_time(""));
  EXPECT_FALSE(parse_frr_log_time("BGP: [N9HHH-F8H1M] %ADJCHANGE"));
  EXPECT_FALSE(parse_frr_log_time("2026/11/21 05:47"));
  EXPECT_FALSE(parse_frr_log_time("2026/11/21 05:47:27. BGP"));
  EXPECT_FALSE(parse_frr_log_time("2026/11/21 05:47:27.1234567 BGP"));
  EXPECT_FALSE(parse_frr_log_time("2026/13/21 05:47:27 BGP"));
  EXPECT_FALSE(parse_frr_log_time("2026/11/21 25:47:27 BGP"));
  EXPECT_FALSE(parse_frr_log_time("2026-11-21 05:47:27 BGP"));
}

TEST_F(BgpSessionEvents, OneEventPerSessionChange) {
  use("UTC0");
  auto events = bgp_session_events(kBb1Log, "bb1", {{"198.18.0.4", "pop1"}});
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0], (nlohmann::json{{"ts", kUtc052727 * 1000000 + 108015},
                                       {"agent", "bgpd"},
                                       {"node", "bb1"},
                                       {"event", "session"},
                                       {"peer", "198.18.0.4"},
                                       {"peer_node", "pop1"},
                                       {"state", "down"},
                                       {"reason", "BGP Notification send"}}));
  EXPECT_EQ(events[1]["state"], "up");
  EXPECT_EQ(events[1]["ts"], (kUtc052727 + 1) * 1000000 + 183997);
  EXPECT_FALSE(events[1].contains("reason"));
  EXPECT_EQ(events[2]["reason"], "Neighbor deleted");
  EXPECT_EQ(events[2]["ts"], (kUtc052727 + 70) * 1000000);
  EXPECT_EQ(events[3]["peer"], "198.18.0.5");
  EXPECT_EQ(events[3]["reason"], "Admin. shutdown");
}

TEST_F(BgpSessionEvents, PeerNodeFromTheMapElseFromBgpdsHostname) {
  use("UTC0");
  const std::string log =
      "2026/11/21 05:47:02 BGP: [N9HHH-F8H1M] %ADJCHANGE: neighbor 198.18.0.3(bb2) in vrf "
      "default Up\n"
      "2026/11/21 05:47:02 BGP: [N9HHH-F8H1M] %ADJCHANGE: neighbor 198.18.0.4(pop1) in vrf "
      "default Up\n"
      "2026/11/21 05:47:02 BGP: %ADJCHANGE: neighbor 198.19.0.15 in vrf blue Down Peer closed "
      "the session\n";
  auto events = bgp_session_events(log, "bb1", {{"198.18.0.3", "bb2-by-plan"}});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0]["peer_node"], "bb2-by-plan");
  EXPECT_EQ(events[1]["peer_node"], "pop1");
  EXPECT_EQ(events[2]["peer"], "198.19.0.15");
  EXPECT_FALSE(events[2].contains("peer_node"));
  EXPECT_EQ(events[2]["vrf"], "blue");
  EXPECT_EQ(events[2]["reason"], "Peer closed the session");
  EXPECT_FALSE(events[0].contains("vrf"));
}

TEST_F(BgpSessionEvents, SkipsATornLastLineAndMalformedOnes) {
  use("UTC0");
  const std::string complete =
      "2026/11/21 05:47:28.183997 BGP: [N9HHH-F8H1M] %ADJCHANGE: neighbor 198.18.0.4(pop1) in "
      "vrf default Up\n";
  const std::string torn =
      "2026/11/21 05:47:29.000001 BGP: [PXVXG-TFNNT] %ADJCHANGE: neighbor 198.18.0.4(pop1) in "
      "vrf default Do";
  EXPECT_EQ(bgp_session_events(complete + torn, "bb1", {}).size(), 1u);
  EXPECT_EQ(bgp_session_events(torn, "bb1", {}).size(), 0u);
  const std::string malformed =
      "garbage %ADJCHANGE: neighbor 198.18.0.4 in vrf default Up\n"
      "2026/11/21 05:47:29 BGP: %ADJCHANGE: neighbor 198.18.0.4 in vrf default Sideways\n"
      "2026/11/21 05:47:29 BGP: %ADJCHANGE: neighbor  in vrf default Up\n"
      "2026/11/21 05:47:29 BGP: %ADJCHANGE: neighbor 198.18.0.4 Up\n";
  EXPECT_TRUE(bgp_session_events(malformed, "bb1", {}).empty());
  EXPECT_TRUE(bgp_session_events("", "bb1", {}).empty());
}

TEST(ReadBgpSessionEvents, AMissingLogHasNoEvents) {
  EXPECT_TRUE(read_bgp_session_events("/nonexistent/bgpd.log", "bb1", {}).empty());
}

}  // namespace
}  // namespace blastlab::frr
