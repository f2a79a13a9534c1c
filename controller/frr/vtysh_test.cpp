#include "controller/frr/vtysh.hpp"

#include <gtest/gtest.h>

namespace blastlab::frr {
namespace {

// Captured from FRR 8.4 (`show bgp summary json`), trimmed.
constexpr const char* kSummary = R"({
"ipv4Unicast":{
  "routerId":"198.18.0.1", "as":65001, "vrfId":0,
  "peers":{
    "198.19.0.1":{"hostname":"x2","remoteAs":65002,"localAs":65001,"version":4,
      "peerUptimeMsec":1000,"pfxRcd":1,"pfxSnt":2,"state":"Established","peerState":"OK",
      "desc":"pop1"},
    "198.18.0.2":{"remoteAs":64500,"state":"Active","peerUptimeMsec":0,"pfxRcd":0}
  },
  "failedPeers":1, "totalPeers":2
}
})";

TEST(ParseBgpSummary, ReadsPeersSortedByAddress) {
  std::string error;
  auto summary = parse_bgp_summary(kSummary, &error);
  ASSERT_TRUE(summary) << error;
  EXPECT_EQ(summary->as, 65001u);
  EXPECT_EQ(summary->router_id, "198.18.0.1");
  ASSERT_EQ(summary->peers.size(), 2u);
  EXPECT_EQ(summary->peers[0].address, "198.18.0.2");
  EXPECT_FALSE(summary->peers[0].established());
  EXPECT_EQ(summary->peers[1].description, "pop1");
  EXPECT_TRUE(summary->peers[1].established());
  EXPECT_EQ(summary->peers[1].prefixes_received, 1u);
  EXPECT_EQ(summary->peers[1].prefixes_sent, 2u);
  EXPECT_EQ(summary->peers[1].uptime_ms, 1000u);
}

TEST(ParseBgpSummary, NoInstanceIsAnEmptySummary) {
  auto summary = parse_bgp_summary("{}", nullptr);
  ASSERT_TRUE(summary);
  EXPECT_TRUE(summary->peers.empty());
}

TEST(ParseBgpSummary, RejectsWhatIsNotJson) {
  std::string error;
  EXPECT_FALSE(parse_bgp_summary("% Unknown command", &error));
  EXPECT_NE(error.find("not JSON"), std::string::npos) << error;
  EXPECT_FALSE(parse_bgp_summary("[1,2]", &error));
}

TEST(ParseIpRoutes, ReadsEveryProtocolsEntry) {
  constexpr const char* kRoutes = R"({
  "198.18.0.2/32":[{"prefix":"198.18.0.2/32","protocol":"bgp","selected":true,"installed":true,
    "nexthops":[{"ip":"198.19.0.1","afi":"ipv4","interfaceName":"eth0","active":true}]}],
  "198.19.0.0/31":[{"prefix":"198.19.0.0/31","protocol":"connected","selected":true,
    "nexthops":[{"directlyConnected":true,"interfaceName":"eth0"}]},
    {"prefix":"198.19.0.0/31","protocol":"ospf","selected":false}]
  })";
  std::string error;
  auto routes = parse_ip_routes(kRoutes, &error);
  ASSERT_TRUE(routes) << error;
  ASSERT_EQ(routes->size(), 3u);
  EXPECT_EQ((*routes)[0].protocol, "bgp");
  EXPECT_TRUE((*routes)[0].installed);
  EXPECT_EQ((*routes)[0].nexthops, std::vector<std::string>{"198.19.0.1"});
  EXPECT_EQ((*routes)[1].nexthops, std::vector<std::string>{"eth0"});
  EXPECT_FALSE((*routes)[2].selected);
}

TEST(Pathspace, JoinsLabAndNodeWithACharacterNeitherNameMayHold) {
  EXPECT_EQ(pathspace("lab1", "pop1"), "lab1_pop1");
}

}  // namespace
}  // namespace blastlab::frr
