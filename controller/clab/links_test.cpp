// Links in containerlab's brief and extended forms, and every refusal at its position.
#include <gtest/gtest.h>

#include "controller/clab/test_support.hpp"

namespace blastlab::clab {
namespace {

// Nodes r1, r2, r3 on lines 3-7; links start on line 8.
ReadResult with_links(std::string_view links) {
  return read(std::string(R"(name: t
topology:
  defaults: {kind: linux}
  nodes:
    r1:
    r2:
    r3:
  links:
)") + std::string(links));
}

TEST(ClabLinksTest, ReadsTheBriefForm) {
  const Topology& topology = loaded(with_links(R"(    - endpoints: ["r1:eth1", "r2:eth1"]
      mtu: 9000
      ipv4: [198.18.1.0/31, 198.18.1.1/31]
)"));
  ASSERT_EQ(topology.links.size(), 1u);
  const Link& link = topology.links[0];
  EXPECT_TRUE(link.brief);
  EXPECT_EQ(link.type, LinkType::kVeth);
  EXPECT_EQ(link.field, "topology.links[0]");
  EXPECT_TRUE(at(link.mark, 9, 7));
  ASSERT_EQ(link.endpoints.size(), 2u);
  EXPECT_EQ(link.endpoints[0].node, "r1");
  EXPECT_EQ(link.endpoints[0].interface, "eth1");
  EXPECT_TRUE(at(link.endpoints[1].mark, 9, 30));
  EXPECT_EQ(link.endpoints[1].field, "topology.links[0].endpoints[1]");
  EXPECT_EQ(link.mtu->value, 9000);
  EXPECT_EQ(link.endpoints[1].ipv4->value.str(), "198.18.1.1/31");
  EXPECT_EQ(link.endpoints[1].ipv4->field, "topology.links[0].ipv4[1]");
}

TEST(ClabLinksTest, ReadsTheExtendedForm) {
  const Topology& topology = loaded(with_links(R"(    - type: veth
      labels: {speed: 10G}
      endpoints:
        - node: r1
          interface: eth2
          mac: 02:00:5E:00:53:01
          ipv4: 192.0.2.1/30
        - {node: r3, interface: e1-1, ipv6: "2001:db8::1/64"}
)"));
  const Link& link = topology.links[0];
  EXPECT_FALSE(link.brief);
  EXPECT_EQ(link.type, LinkType::kVeth);
  EXPECT_EQ(link.labels.at("speed").value, "10G");
  EXPECT_TRUE(at(link.endpoints[0].mark, 12, 11));
  EXPECT_EQ(link.endpoints[0].mac->value, "02:00:5E:00:53:01");
  EXPECT_EQ(link.endpoints[0].ipv4->value.str(), "192.0.2.1/30");
  EXPECT_TRUE(at(link.endpoints[0].ipv4->mark, 15, 17));
  EXPECT_EQ(link.endpoints[1].node, "r3");
  EXPECT_EQ(link.endpoints[1].interface, "e1-1");
  EXPECT_EQ(link.endpoints[1].ipv6->value, "2001:db8::1/64");
}

TEST(ClabLinksTest, OtherLinkTypesAreRecordedAsWhatTheyAre) {
  const Topology& topology = loaded(with_links(R"(    - endpoints: ["r1:eth9", "host:r1-eth9"]
    - endpoints: ["mgmt-net:r2-eth9", "r2:eth9"]
    - endpoints: ["r3:eth9", "macvlan:enp0s3"]
    - type: host
      endpoint: {node: r1, interface: eth8}
      host-interface: r1-eth8
    - type: VXLAN
      endpoint: {node: r2, interface: eth8}
      remote: 192.0.2.7
      vni: 100
      dst-port: 4789
    - type: vxlan-stitch
      endpoint: {node: r3, interface: eth8}
      remote: 192.0.2.7
      vni: 101
      dst-port: 4789
    - type: dummy
      endpoint: {node: r1, interface: dummy0}
    - type: macvlan
      endpoint: {node: r2, interface: eth7}
      host-interface: enp0s3
      mode: bridge
    - type: mgmt-net
      endpoint: {node: r3, interface: eth7}
      host-interface: r3-eth7
    - type: veth-stitch
      endpoints:
        - {node: r1, interface: eth7}
        - {node: r2, interface: eth6}
)"));
  std::vector<LinkType> types;
  for (const auto& link : topology.links) types.push_back(link.type);
  EXPECT_EQ(types, (std::vector<LinkType>{LinkType::kHost, LinkType::kMgmtNet, LinkType::kMacvlan,
                                          LinkType::kHost, LinkType::kVxlan, LinkType::kVxlanStitch,
                                          LinkType::kDummy, LinkType::kMacvlan, LinkType::kMgmtNet,
                                          LinkType::kVethStitch}));
  EXPECT_EQ(link_type_name(topology.links[4].type), "vxlan");
  EXPECT_EQ(topology.links[4].endpoints[0].node, "r2");
  EXPECT_TRUE(at(topology.links[4].mark, 15, 7));
}

TEST(ClabLinksTest, UnknownTypesAndKeysAreReportedWithAGuess) {
  ReadResult result = with_links(R"(    - type: vxaln
      endpoint: {node: r1, interface: eth1}
    - endpoints: ["r1:eth2", "r2:eth2"]
      labels: {a: b}
    - type: veth
      endpoints:
        - {node: r1, interface: eth3, iface: x}
        - {node: r2}
)");
  EXPECT_TRUE(has_error(result, 9, 13, "topology.links[0].type",
                        {"unknown link type 'vxaln'", "did you mean 'vxlan'?"}));
  EXPECT_TRUE(has_error(result, 12, 7, "topology.links[1].labels", {"unknown key 'labels'"}));
  EXPECT_TRUE(has_error(result, 15, 39, "topology.links[2].endpoints[0].iface",
                        {"unknown key 'iface'", "allowed: node, interface"}));
  EXPECT_TRUE(has_error(result, 16, 11, "topology.links[2].endpoints[1]", {"no `interface`"}));
}

TEST(ClabLinksTest, EndpointsMustBeNodeColonInterfaceAndTwo) {
  ReadResult result = with_links(R"(    - endpoints: ["r1", "r2:eth1"]
    - endpoints: ["r1:eth2", ":eth2"]
    - endpoints: ["r1:eth3"]
    - endpoints: ["r1:eth 4", "r2:eth4"]
    - mtu: 1500
    - r1:eth5
)");
  EXPECT_TRUE(has_error(result, 9, 19, "topology.links[0].endpoints[0]",
                        {"'r1' is not an endpoint", "node:interface"}));
  EXPECT_TRUE(has_error(result, 10, 30, "topology.links[1].endpoints[1]", {"':eth2'"}));
  EXPECT_TRUE(has_error(result, 11, 18, "topology.links[2].endpoints", {"2 endpoints", "has 1"}));
  EXPECT_TRUE(has_error(result, 12, 19, "topology.links[3].endpoints[0]", {"'r1:eth 4'"}));
  EXPECT_TRUE(has_error(result, 13, 7, "topology.links[4]", {"no `endpoints`"}));
  EXPECT_TRUE(has_error(result, 14, 7, "topology.links[5]", {"expected a link", "'r1:eth5'"}));
}

TEST(ClabLinksTest, NodesMustExist) {
  ReadResult result = with_links(R"(    - endpoints: ["r1:eth1", "r4:eth1"]
    - type: veth
      endpoints: [{node: rr2, interface: eth1}, {node: r3, interface: eth1}]
)");
  EXPECT_TRUE(has_error(result, 9, 30, "topology.links[0].endpoints[1]",
                        {"unknown node 'r4'", "did you mean 'r1'?"}));
  EXPECT_TRUE(has_error(result, 11, 19, "topology.links[1].endpoints[0]",
                        {"unknown node 'rr2'", "did you mean 'r2'?"}));
}

TEST(ClabLinksTest, AnInterfaceBelongsToOneLink) {
  ReadResult result = with_links(R"(    - endpoints: ["r1:eth1", "r2:eth1"]
    - endpoints: ["r3:eth1", "r1:eth1"]
    - endpoints: ["r3:eth2", "r3:eth2"]
)");
  EXPECT_TRUE(has_error(result, 10, 30, "topology.links[1].endpoints[1]",
                        {"r1:eth1 is already used by topology.links[0] at line 9"}));
  EXPECT_TRUE(
      has_error(result, 11, 30, "topology.links[2].endpoints[1]", {"link from r3:eth2 to itself"}));
}

TEST(ClabLinksTest, TwoInterfacesOfOneNodeMayBeLinkedAsContainerlabAllows) {
  const Topology& topology = loaded(with_links("    - endpoints: [\"r1:eth1\", \"r1:eth2\"]\n"));
  EXPECT_EQ(topology.links[0].endpoints[1].interface, "eth2");
}

TEST(ClabLinksTest, InterfaceNamesMustSuitLinux) {
  ReadResult result = with_links(R"(    - endpoints: ["r1:ethernet-1-1-long", "r2:eth1"]
    - endpoints: ["r1:a/b", "r2:eth2"]
)");
  EXPECT_TRUE(has_error(result, 9, 19, "topology.links[0].endpoints[0]",
                        {"is 17 characters", "at most 15"}));
  EXPECT_TRUE(has_error(result, 10, 19, "topology.links[1].endpoints[0]", {"'a/b'"}));
}

TEST(ClabLinksTest, EndpointValuesAreChecked) {
  ReadResult result = with_links(R"(    - type: veth
      mtu: 0
      ipv4: [198.18.1.0/33]
      endpoints:
        - {node: r1, interface: eth1, mac: "02:00:5e"}
        - {node: r2, interface: eth1, ipv4: 198.18.1.1}
)");
  EXPECT_TRUE(has_error(result, 10, 12, "topology.links[0].mtu", {"out of range"}));
  EXPECT_TRUE(has_error(result, 11, 14, "topology.links[0].ipv4[0]", {"IPv4 prefix"}));
  EXPECT_TRUE(
      has_error(result, 13, 44, "topology.links[0].endpoints[0].mac", {"not a MAC address"}));
  EXPECT_TRUE(has_error(result, 14, 45, "topology.links[0].endpoints[1].ipv4", {"IPv4 prefix"}));
}

}  // namespace
}  // namespace blastlab::clab
