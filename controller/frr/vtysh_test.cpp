#include "controller/frr/vtysh.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

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

namespace blastlab::frr {
namespace {

std::string read_testdata(const std::string& name) {
  std::ifstream in(std::string(BLASTLAB_SOURCE_DIR) + "/controller/frr/testdata/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Captured from a user router of a lab (r1 of two OSPF routers over a point-to-point link,
// with a passive interface toward a host and one external route from r2).
TEST(OspfViewTest, FourAnswersGiveInterfacesNeighborsOwnLsaAndDatabase) {
  std::string error;
  auto view = parse_ospf_view(read_testdata("ospf_view_r1.txt"), &error);
  ASSERT_TRUE(view) << error;
  ASSERT_EQ(view->interfaces.size(), 3u);
  const auto& eth1 = view->interfaces[0];
  EXPECT_EQ(eth1.ifname, "eth1");
  EXPECT_TRUE(eth1.enabled && eth1.up && !eth1.passive);
  EXPECT_EQ(eth1.area, "0.0.0.0");
  EXPECT_EQ(eth1.adjacent, 1);
  EXPECT_TRUE(view->interfaces[1].passive);  // eth2, toward the host
  EXPECT_EQ(view->full_neighbors, (std::vector<std::string>{"198.18.0.2"}));
  EXPECT_EQ(view->lsa_neighbors, (std::vector<std::string>{"198.18.0.2"}));
  EXPECT_EQ(view->lsa_transit_links, 0);
  EXPECT_NE(view->database.find("0.0.0.0 router 198.18.0.2 198.18.0.2 80000004"), std::string::npos)
      << view->database;
  EXPECT_NE(view->database.find("- external 203.0.113.1 198.18.0.2 80000001"), std::string::npos);
}

TEST(OspfViewTest, MissingAnswersOrTextThatIsNotJsonAreErrors) {
  std::string error;
  EXPECT_FALSE(parse_ospf_view("{}\n{}\n", &error));
  EXPECT_NE(error.find("expected 4 answers"), std::string::npos) << error;
  EXPECT_FALSE(parse_ospf_view("{}\n{}\n% ospfd is not running\n{}", &error));
  EXPECT_NE(error.find("FRR answered: % ospfd is not running"), std::string::npos) << error;
  EXPECT_FALSE(parse_ospf_view("{}\n{}\n{]\n{}", &error));
  EXPECT_NE(error.find("not JSON"), std::string::npos) << error;
}

// ospfd runs (the daemons file says so) but the config has no `router ospf`.
TEST(OspfViewTest, AnOspfdWithoutAnInstanceHasAnEmptyView) {
  std::string error;
  auto view = parse_ospf_view(
      "{\n}\n{\n}\n% OSPF is not enabled on vrf default\n% OSPF is not enabled in vrf default\n",
      &error);
  ASSERT_TRUE(view) << error;
  EXPECT_TRUE(view->interfaces.empty());
  EXPECT_TRUE(view->full_neighbors.empty());
  EXPECT_EQ(view->database, "");
}

}  // namespace
}  // namespace blastlab::frr

namespace blastlab::frr {
namespace {

// Captured from r2 of a chain r1 - r2 - r3 running IS-IS level 2 on point-to-point links,
// with a passive loopback.
TEST(IsisViewTest, CircuitsWithPassiveLoopbackAndUpAdjacencies) {
  std::string error;
  auto view = parse_isis_view(read_testdata("isis_view_r2.txt"), &error);
  ASSERT_TRUE(view) << error;
  ASSERT_EQ(view->circuits.size(), 3u);
  EXPECT_EQ(view->circuits[0].ifname, "eth1");
  EXPECT_FALSE(view->circuits[0].passive);
  EXPECT_EQ(view->circuits[2].ifname, "lo");
  EXPECT_TRUE(view->circuits[2].passive);
  ASSERT_EQ(view->adjacencies.size(), 2u);
  EXPECT_EQ(view->adjacencies[0].ifname, "eth1");
  EXPECT_EQ(view->adjacencies[0].neighbor, "r1");
  EXPECT_EQ(view->adjacencies[0].state, "Up");
  EXPECT_EQ(view->adjacencies[1].neighbor, "r3");
}

TEST(IsisViewTest, AnIsisdWithoutAnInstanceHasNoCircuits) {
  std::string error;
  auto view = parse_isis_view("{\n}\n{\n}\n", &error);
  ASSERT_TRUE(view) << error;
  EXPECT_TRUE(view->circuits.empty());
  EXPECT_FALSE(parse_isis_view("{}\n", &error));
  EXPECT_NE(error.find("expected 2 answers"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::frr
