#include <gtest/gtest.h>

#include "controller/model/test_support.hpp"

namespace blastlab::model {
namespace {

std::vector<std::string> loopbacks(const Topology& topology) {
  std::vector<std::string> out;
  for (const auto& node : topology.nodes) out.push_back(node.loopback->str());
  return out;
}

std::vector<std::string> link_ends(const Topology& topology) {
  std::vector<std::string> out;
  for (const auto& link : topology.links) {
    out.push_back(link.a.address->str() + " " + link.b.address->str());
  }
  return out;
}

TEST(AddressPlanTest, LoopbacksInFileOrderFromPoolBasePlusOne) {
  LoadResult result = load(R"(nodes:
  zz: {role: backbone}
  aa: {role: edge}
  mm: {role: peer}
)");
  EXPECT_EQ(loopbacks(loaded(result)),
            (std::vector<std::string>{"198.18.0.1/32", "198.18.0.2/32", "198.18.0.3/32"}));
}

TEST(AddressPlanTest, LoopbacksSkipExplicitAddresses) {
  LoadResult result = load(R"(addressing:
  loopbacks: 198.18.1.0/24
nodes:
  a: {role: backbone}
  b: {role: backbone}
  c: {role: backbone, loopback: 198.18.1.2}
  d: {role: backbone}
links:
  - endpoints: [a, b]
    prefix: 198.18.1.4/31
)");
  EXPECT_EQ(loopbacks(loaded(result)),
            (std::vector<std::string>{"198.18.1.1/32", "198.18.1.3/32", "198.18.1.2/32",
                                      "198.18.1.6/32"}));
}

TEST(AddressPlanTest, LinksGetConsecutiveSlash31sAEndEven) {
  LoadResult result = load(R"(nodes: {a: {role: backbone}, b: {role: backbone}, c: {role: edge}}
links: [[a, b], [b, c], [c, a]]
)");
  EXPECT_EQ(link_ends(loaded(result)),
            (std::vector<std::string>{"198.19.0.0/31 198.19.0.1/31", "198.19.0.2/31 198.19.0.3/31",
                                      "198.19.0.4/31 198.19.0.5/31"}));
}

TEST(AddressPlanTest, LinksSkipExplicitPrefixesAndTheirEndsFollowTheLength) {
  LoadResult result = load(R"(nodes:
  a: {role: backbone}
  b: {role: backbone}
  c: {role: edge}
  d: {role: edge, loopback: 198.19.0.6}
links:
  - [a, b]
  - endpoints: [b, c]
    prefix: 198.19.0.2/31
  - [c, a]
  - endpoints: [a, d]
    prefix: 198.19.1.0/24
  - [b, d]
)");
  EXPECT_EQ(link_ends(loaded(result)),
            (std::vector<std::string>{"198.19.0.0/31 198.19.0.1/31", "198.19.0.2/31 198.19.0.3/31",
                                      "198.19.0.4/31 198.19.0.5/31", "198.19.1.1/24 198.19.1.2/24",
                                      "198.19.0.8/31 198.19.0.9/31"}));
}

TEST(AddressPlanTest, LinkPoolExhausted) {
  LoadResult result = load(R"(addressing:
  links: 198.19.0.0/30
nodes: {a: {role: backbone}, b: {role: backbone}, c: {role: edge}, d: {role: edge}}
links: [[a, b], [b, c], [c, d], [d, a]]
)");
  EXPECT_FALSE(result.topology);
  ASSERT_EQ(result.errors.size(), 1u) << format_diagnostics(result.errors);
  EXPECT_TRUE(has_error(
      result, 2, 10, "addressing.links",
      {"pool 198.19.0.0/30 exhausted after 2 links", "2 more need one", "links[2] at line 4"}));
}

TEST(AddressPlanTest, LoopbackAndClientPoolsExhausted) {
  LoadResult result = load(R"(addressing:
  loopbacks: 198.18.0.0/31
  clients: 203.0.113.0/28
nodes:
  t1: {role: peer}
  c1: {role: client}
  c2: {role: client}
links: [[c1, t1], [c2, t1]]
)");
  EXPECT_TRUE(has_error(result, 2, 14, "addressing.loopbacks",
                        {"pool 198.18.0.0/31 exhausted after 1 loopbacks", "nodes.c1 at line 6"}));
  EXPECT_TRUE(has_error(result, 3, 12, "addressing.clients",
                        {"pool 203.0.113.0/28 exhausted after 1 client networks"}));
}

TEST(AddressPlanTest, ClientNetworksAreSlash28GatewayAddresses) {
  LoadResult result = load(R"(nodes:
  t1: {role: peer}
  c1: {role: client}
  c2: {role: client, network: 203.0.113.16/28}
  c3: {role: client}
links: [[c1, t1], [c2, t1], [c3, t1]]
)");
  const Topology& topology = loaded(result);
  ASSERT_EQ(topology.nodes.size(), 4u);
  EXPECT_FALSE(topology.nodes[0].network);
  EXPECT_EQ(topology.nodes[1].network->str(), "203.0.113.1/28");
  EXPECT_EQ(topology.nodes[2].network->str(), "203.0.113.17/28");
  EXPECT_EQ(topology.nodes[3].network->str(), "203.0.113.33/28");
}

TEST(AddressPlanTest, AsnsForPeersAndDnsNodesSkipExplicitOnes) {
  LoadResult result = load(R"(asn: 65000
nodes:
  dc1: {role: datacenter}
  pop1: {role: edge}
  t1: {role: peer}
  t2: {role: peer, asn: 64513}
  t3: {role: peer}
  dns1: {role: dns, site: pop1, asn: 65001}
  dns2: {role: dns, site: pop1}
  t4: {role: peer, asn: 65002}
  dns3: {role: dns, site: pop1}
  c1: {role: client}
links:
  - [pop1, dns1]
  - [pop1, dns2]
  - [pop1, dns3]
  - [c1, t1]
)");
  const Topology& topology = loaded(result);
  auto asn = [&](std::string_view name) { return topology.find_node(name)->asn; };
  EXPECT_EQ(asn("dc1"), 65000u);
  EXPECT_EQ(asn("pop1"), 65000u);
  EXPECT_EQ(asn("t1"), 64512u);
  EXPECT_EQ(asn("t2"), 64513u);
  EXPECT_EQ(asn("t3"), 64514u);
  EXPECT_EQ(asn("dns1"), 65001u);
  EXPECT_EQ(asn("dns2"), 65003u);
  EXPECT_EQ(asn("dns3"), 65004u);
  EXPECT_EQ(asn("t4"), 65002u);
  EXPECT_EQ(asn("c1"), 0u);
}

TEST(AddressPlanTest, InterfaceNamesDefaultToTheOtherNode) {
  LoadResult result = load(R"(nodes: {bb1: {role: backbone}, pop1: {role: edge}}
links:
  - ["bb1:eth8", pop1]
  - ["bb1:eth9", "pop1:up0"]
  - ["bb1:eth10", pop1]
)");
  EXPECT_TRUE(has_error(result, 5, 19, "links[2][1]",
                        {"interface 'bb1' on pop1 is already used by links[0] at line 3"}));
  LoadResult named = load(R"(nodes: {bb1: {role: backbone}, pop1: {role: edge}}
links:
  - ["bb1:eth9", pop1]
  - ["bb1:eth10", "pop1:up1"]
)");
  const Topology& topology = loaded(named);
  ASSERT_EQ(topology.links.size(), 2u);
  EXPECT_EQ(topology.links[0].a.ifname, "eth9");
  EXPECT_EQ(topology.links[0].b.ifname, "bb1");
  EXPECT_EQ(topology.links[1].a.ifname, "eth10");
  EXPECT_EQ(topology.links[1].b.ifname, "up1");
}

TEST(AddressPlanTest, DefaultTargetsAndAnnouncers) {
  LoadResult result = load(R"(nodes:
  dc1: {role: datacenter}
  bb1: {role: backbone}
  dc2: {role: datacenter}
  bb2: {role: backbone}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1}
links: [[pop1, dns1]]
services:
  prefixes:
    - prefix: 198.51.100.0/24
)");
  const Topology& topology = loaded(result);
  EXPECT_EQ(topology.services.dns->health.targets, (std::vector<std::string>{"dc1", "dc2"}));
  EXPECT_EQ(topology.services.prefixes[0].from, (std::vector<std::string>{"bb1", "bb2"}));
}

TEST(AddressPlanTest, SameFileSamePlan) {
  LoadResult first = load_topology_file(BLASTLAB_SOURCE_DIR "/topologies/minimal.yaml");
  LoadResult second = load_topology_file(BLASTLAB_SOURCE_DIR "/topologies/minimal.yaml");
  EXPECT_EQ(link_ends(loaded(first)), link_ends(loaded(second)));
  EXPECT_EQ(loopbacks(loaded(first)), loopbacks(loaded(second)));
}

}  // namespace
}  // namespace blastlab::model
