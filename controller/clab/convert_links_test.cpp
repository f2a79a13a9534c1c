// Links through the conversion: veth links in both forms with the user's addresses and
// MTUs, and every link blastlab refuses, at its place.
#include <gtest/gtest.h>

#include "controller/clab/convert_test_support.hpp"

namespace blastlab::clab {
namespace {

constexpr std::string_view kHosts = R"(
name: t
topology:
  defaults: {kind: linux}
  nodes:
    a: {}
    b: {}
    c: {}
  links:
)";

std::string with_links(std::string_view links) {
  return std::string(kHosts) + std::string(links);
}

TEST_F(ConvertTest, VethLinksKeepTheirInterfacesAddressesAndMtu) {
  auto result = convert_here(with_links(R"(    - endpoints: ["a:eth1", "b:eth1"]
    - endpoints: ["b:eth2", "c:e2"]
      ipv4: [198.18.0.1/31, 198.18.0.0/31]
      mtu: 1500
    - type: veth
      endpoints:
        - {node: a, interface: eth2, ipv4: 10.1.1.1/24}
        - {node: c, interface: eth1}
)"));
  const model::Topology& t = converted(result);
  ASSERT_EQ(t.links.size(), 3u);
  const model::Link& ab = t.links[0];
  EXPECT_EQ(ab.a.node, "a");
  EXPECT_EQ(ab.a.ifname, "eth1");
  EXPECT_EQ(ab.b.ifname, "eth1");
  EXPECT_FALSE(ab.a.address);
  EXPECT_EQ(ab.mtu, kDefaultLinkMtu);  // containerlab's default, so OSPF sees what it would
  const model::Link& bc = t.links[1];
  EXPECT_EQ(bc.a.address->str(), "198.18.0.1/31");
  EXPECT_EQ(bc.b.address->str(), "198.18.0.0/31");
  EXPECT_EQ(bc.b.ifname, "e2");
  EXPECT_EQ(bc.mtu, 1500);
  // The user's own address, kept whatever its range: the lab is sealed.
  EXPECT_EQ(t.links[2].a.address->str(), "10.1.1.1/24");
  EXPECT_FALSE(t.links[2].b.address);
  EXPECT_EQ(t.links[2].mark.line, 14);
  EXPECT_FALSE(t.links[0].impairment.any());
}

TEST_F(ConvertTest, LinksOutOfTheLabAreRefusedByType) {
  auto result = convert_here(with_links(R"(    - endpoints: ["a:eth1", "host:veth-a"]
    - endpoints: ["b:eth1", "macvlan:enp0s3"]
    - endpoints: ["c:eth1", "mgmt-net:c-eth1"]
    - type: vxlan
      endpoint: {node: a, interface: vx1}
      remote: 192.0.2.9
      vni: 10
    - type: dummy
      endpoint: {node: b, interface: dummy0}
    - type: host
      endpoint: {node: c, interface: eth2}
      host-interface: c-eth2
)"));
  EXPECT_TRUE(has_error(result, 10, 7, "topology.links[0]", {"host link", "sealed"}));
  EXPECT_TRUE(has_error(result, 11, 7, "topology.links[1]", {"macvlan link", "sealed"}));
  EXPECT_TRUE(has_error(result, 12, 7, "topology.links[2]", {"mgmt-net link", "sealed"}));
  EXPECT_TRUE(has_error(result, 13, 7, "topology.links[3]", {"vxlan", "another machine"}));
  EXPECT_TRUE(has_error(result, 17, 7, "topology.links[4]", {"dummy", "no other end"}));
  EXPECT_TRUE(has_error(result, 19, 7, "topology.links[5]", {"host link"}));
  EXPECT_EQ(result.errors.size(), 6u);
}

TEST_F(ConvertTest, ALinkFromANodeToItselfIsRefusedAtItsSecondEnd) {
  auto result = convert_here(with_links(R"(    - endpoints: ["a:eth1", "a:eth2"]
)"));
  EXPECT_TRUE(has_error(result, 10, 29, "topology.links[0].endpoints[1]",
                        {"a:eth1 to a:eth2", "two different nodes"}));
}

TEST_F(ConvertTest, InterfaceNamesAndMtusBlastlabCannotUseAreRefused) {
  auto result = convert_here(with_links(R"(    - endpoints: ["a:eth@1", "b:eth1"]
    - endpoints: ["a:eth2", "b:eth2"]
      mtu: 60
)"));
  EXPECT_TRUE(
      has_error(result, 10, 19, "topology.links[0].endpoints[0]", {"'eth@1'", "rename it"}));
  EXPECT_TRUE(has_error(result, 12, 12, "topology.links[1].mtu", {"below 68"}));
}

TEST_F(ConvertTest, Ipv6AndMacAddressesAreWarnings) {
  auto result = convert_here(with_links(R"(    - endpoints: ["a:eth1", "b:eth1"]
      ipv4: [192.0.2.1/30, 192.0.2.2/30]
      ipv6: ["2001:db8::1/64", "2001:db8::2/64"]
    - type: veth
      endpoints:
        - {node: a, interface: eth2, mac: "02:00:5e:00:53:01"}
        - {node: c, interface: eth2}
)"));
  const model::Topology& t = converted(result);
  EXPECT_EQ(t.links.size(), 2u);
  EXPECT_TRUE(has_warning(result, 12, 14, "topology.links[0].ipv6[0]", {"IPv4 addresses only"}));
  EXPECT_TRUE(has_warning(result, 12, 32, "topology.links[0].ipv6[1]", {"2001:db8::2/64"}));
  EXPECT_TRUE(has_warning(result, 15, 43, "topology.links[1].endpoints[0].mac", {"kernel picks"}));
}

TEST_F(ConvertTest, ALinkToARefusedNodeIsReportedOnlyAtTheNode) {
  auto result = convert_here(R"(
name: t
topology:
  nodes:
    a: {kind: linux}
    sw: {kind: bridge}
  links:
    - endpoints: ["a:eth1", "sw:p1"]
)");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].field, "topology.nodes.sw.kind");
}

}  // namespace
}  // namespace blastlab::clab
