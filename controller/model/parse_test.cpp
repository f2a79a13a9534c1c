#include <gtest/gtest.h>

#include "controller/model/test_support.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::model {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(MinimalTopologyTest, LoadsWithoutErrors) {
  LoadResult result = load_topology_file(BLASTLAB_SOURCE_DIR "/topologies/minimal.yaml");
  ASSERT_TRUE(result.errors.empty()) << format_diagnostics(result.errors);
  ASSERT_TRUE(result.topology);
  const Topology& topology = *result.topology;
  EXPECT_EQ(topology.name, "minimal");
  EXPECT_EQ(topology.asn, 64500u);
  ASSERT_EQ(topology.nodes.size(), 10u);
  ASSERT_EQ(topology.links.size(), 11u);
  EXPECT_EQ(topology.file, BLASTLAB_SOURCE_DIR "/topologies/minimal.yaml");

  EXPECT_EQ(topology.nodes[0].name, "dc1");
  EXPECT_EQ(topology.nodes[9].name, "client1");
  EXPECT_EQ(topology.nodes[0].loopback->str(), "198.18.0.1/32");
  EXPECT_EQ(topology.nodes[9].loopback->str(), "198.18.0.10/32");

  const Node* bb1 = topology.find_node("bb1");
  ASSERT_TRUE(bb1);
  EXPECT_EQ(bb1->role, Role::kBackbone);
  EXPECT_EQ(bb1->region, "west");
  EXPECT_TRUE(bb1->route_reflector);
  EXPECT_EQ(bb1->asn, 64500u);
  EXPECT_EQ(bb1->mark.line, 9);
  EXPECT_EQ(topology.find_node("dns1")->site, "pop1");
  EXPECT_EQ(topology.find_node("dns1")->asn, 65001u);
  EXPECT_EQ(topology.find_node("dns2")->asn, 65002u);
  EXPECT_EQ(topology.find_node("transit1")->asn, 64510u);
  EXPECT_EQ(topology.find_node("client1")->asn, 0u);
  EXPECT_EQ(topology.find_node("client1")->network->str(), "203.0.113.1/28");

  const Link& first = topology.links[0];
  EXPECT_EQ(first.a.node, "dc1");
  EXPECT_EQ(first.a.ifname, "bb1");
  EXPECT_EQ(first.a.address->str(), "198.19.0.0/31");
  EXPECT_EQ(first.b.ifname, "dc1");
  EXPECT_EQ(first.b.address->str(), "198.19.0.1/31");
  EXPECT_EQ(first.mtu, 1500);
  // minimal.yaml has no impairments: it must build on kernels without sch_netem.
  for (const auto& link : topology.links) EXPECT_FALSE(link.impairment.any());
  EXPECT_EQ(topology.links[10].a.address->str(), "198.19.0.20/31");

  ASSERT_TRUE(topology.services.dns);
  const DnsService& dns = *topology.services.dns;
  EXPECT_EQ(dns.zone, "example.net");
  ASSERT_EQ(dns.anycast.size(), 1u);
  EXPECT_EQ(dns.anycast[0].prefix.str(), "198.51.100.0/26");
  ASSERT_EQ(dns.anycast[0].nameservers.size(), 2u);
  EXPECT_EQ(dns.anycast[0].nameservers[1].name, "b.ns");
  EXPECT_EQ(dns.anycast[0].nameservers[1].address.str(), "198.51.100.13");
  EXPECT_EQ(dns.health.interval, milliseconds{1000});
  EXPECT_EQ(dns.health.timeout, milliseconds{500});
  EXPECT_EQ(dns.health.action, HealthAction::kWithdraw);
  EXPECT_EQ(dns.health.checks, (std::vector<std::string>{"tcp", "icmp"}));
  EXPECT_EQ(dns.health.targets, std::vector<std::string>{"dc1"});
  ASSERT_EQ(topology.services.prefixes.size(), 1u);
  EXPECT_TRUE(topology.services.prefixes[0].covering);
  EXPECT_EQ(topology.services.prefixes[0].from, (std::vector<std::string>{"bb1", "bb2"}));
}

TEST(MinimalTopologyTest, LinksOfNodeInFileOrder) {
  LoadResult result = load_topology_file(BLASTLAB_SOURCE_DIR "/topologies/minimal.yaml");
  const Topology& topology = loaded(result);
  auto links = topology.links_of("pop1");
  ASSERT_EQ(links.size(), 3u);
  EXPECT_EQ(links[0]->a.node, "bb1");
  EXPECT_EQ(links[1]->b.node, "dns1");
  EXPECT_EQ(links[2]->b.node, "transit1");
  EXPECT_TRUE(topology.links_of("nobody").empty());
  EXPECT_EQ(topology.find_node("nobody"), nullptr);
}

TEST(ParseTest, BothLinkForms) {
  LoadResult result = load(R"(nodes:
  a: {role: backbone}
  b: {role: backbone}
  c: {role: backbone}
links:
  - [a, b]
  - endpoints: ["b:eth1", "c:up0"]
)");
  const Topology& topology = loaded(result);
  ASSERT_EQ(topology.links.size(), 2u);
  EXPECT_EQ(topology.links[0].a.ifname, "b");
  EXPECT_EQ(topology.links[0].b.ifname, "a");
  EXPECT_EQ(topology.links[0].mark.line, 6);
  EXPECT_EQ(topology.links[1].a.node, "b");
  EXPECT_EQ(topology.links[1].a.ifname, "eth1");
  EXPECT_EQ(topology.links[1].b.node, "c");
  EXPECT_EQ(topology.links[1].b.ifname, "up0");
}

TEST(ParseTest, LinkFieldsOverrideDefaultsFieldByField) {
  LoadResult result = load(R"(defaults:
  mtu: 9000
  link: {delay: 1ms, jitter: 100us, loss: 0%, rate: 1gbit}
nodes:
  a: {role: backbone}
  b: {role: backbone}
  c: {role: backbone}
links:
  - [a, b]
  - endpoints: [a, c]
    mtu: 1400
    delay: 1.5ms
    loss: 0.5%
    rate: 100mbit
  - endpoints: [b, c]
    loss: 2
    jitter: 2ms
)");
  const Topology& topology = loaded(result);
  ASSERT_EQ(topology.links.size(), 3u);
  const Impairment& plain = topology.links[0].impairment;
  EXPECT_EQ(topology.links[0].mtu, 9000);
  EXPECT_EQ(plain.delay, microseconds{1000});
  EXPECT_EQ(plain.jitter, microseconds{100});
  EXPECT_EQ(plain.loss_percent, 0.0);
  EXPECT_EQ(plain.rate_bits_per_second, 1000000000u);
  const Impairment& own = topology.links[1].impairment;
  EXPECT_EQ(topology.links[1].mtu, 1400);
  EXPECT_EQ(own.delay, microseconds{1500});
  EXPECT_EQ(own.jitter, microseconds{100});
  EXPECT_EQ(own.loss_percent, 0.5);
  EXPECT_EQ(own.rate_bits_per_second, 100000000u);
  EXPECT_EQ(topology.links[2].impairment.loss_percent, 2.0);
  EXPECT_EQ(topology.links[2].impairment.jitter, microseconds{2000});
  EXPECT_EQ(topology.links[2].impairment.delay, microseconds{1000});
}

TEST(ParseTest, NoImpairmentWithoutDefaults) {
  LoadResult result = load("nodes: {a: {role: backbone}, b: {role: edge}}\nlinks: [[a, b]]\n");
  const Topology& topology = loaded(result);
  ASSERT_EQ(topology.links.size(), 1u);
  EXPECT_FALSE(topology.links[0].impairment.any());
  EXPECT_EQ(topology.links[0].mtu, 1500);
  EXPECT_EQ(topology.name, "");
  EXPECT_EQ(topology.asn, 64500u);
  EXPECT_FALSE(topology.services.dns);
}

TEST(ParseTest, NodeFields) {
  LoadResult result = load(R"(asn: 65100
nodes:
  bb1: {role: backbone, tags: [core, west], loopback: 198.18.0.100}
  dc1: {role: datacenter, loopback: 198.18.0.101/32}
)");
  const Topology& topology = loaded(result);
  EXPECT_EQ(topology.asn, 65100u);
  EXPECT_EQ(topology.nodes[0].tags, (std::vector<std::string>{"core", "west"}));
  EXPECT_EQ(topology.nodes[0].loopback->str(), "198.18.0.100/32");
  EXPECT_EQ(topology.nodes[1].loopback->str(), "198.18.0.101/32");
  EXPECT_EQ(topology.nodes[1].asn, 65100u);
  EXPECT_FALSE(topology.nodes[0].route_reflector);
}

TEST(ParseTest, DnsNodesWithoutServiceGetTheDefaultService) {
  LoadResult result = load(R"(nodes:
  dc1: {role: datacenter}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1}
links: [[pop1, dns1], [dc1, pop1]]
)");
  const Topology& topology = loaded(result);
  ASSERT_TRUE(topology.services.dns);
  const DnsService& dns = *topology.services.dns;
  EXPECT_EQ(dns.zone, "example.net");
  EXPECT_EQ(dns.ttl, 300u);
  ASSERT_EQ(dns.anycast.size(), 1u);
  EXPECT_EQ(dns.anycast[0].prefix.str(), "198.51.100.0/26");
  ASSERT_EQ(dns.anycast[0].nameservers.size(), 1u);
  EXPECT_EQ(dns.anycast[0].nameservers[0].name, "ns1");
  EXPECT_EQ(dns.anycast[0].nameservers[0].address.str(), "198.51.100.53");
  EXPECT_EQ(dns.health.targets, std::vector<std::string>{"dc1"});
  EXPECT_EQ(dns.health.checks, std::vector<std::string>{"tcp"});
}

TEST(ParseTest, HealthAndServiceFields) {
  LoadResult result = load(R"(nodes:
  dc1: {role: datacenter}
  dc2: {role: datacenter}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1, asn: 65010}
links: [[pop1, dns1]]
services:
  dns:
    zone: corp.example.
    ttl: 60
    health:
      interval: 2s
      timeout: 1500ms
      rise: 1
      fall: 5
      action: fail-static
      checks: [http, dns]
      port: 8080
      targets: [dc2]
  prefixes:
    - prefix: 192.0.2.0/24
      from: [pop1, dc1]
)");
  const Topology& topology = loaded(result);
  const DnsService& dns = *topology.services.dns;
  EXPECT_EQ(dns.ttl, 60u);
  EXPECT_EQ(dns.health.interval, milliseconds{2000});
  EXPECT_EQ(dns.health.timeout, milliseconds{1500});
  EXPECT_EQ(dns.health.rise, 1);
  EXPECT_EQ(dns.health.fall, 5);
  EXPECT_EQ(dns.health.action, HealthAction::kFailStatic);
  EXPECT_EQ(to_string(dns.health.action), "fail-static");
  EXPECT_EQ(dns.health.checks, (std::vector<std::string>{"http", "dns"}));
  EXPECT_EQ(dns.health.port, 8080);
  EXPECT_EQ(dns.health.targets, std::vector<std::string>{"dc2"});
  EXPECT_EQ(dns.health.mark.line, 12);
  EXPECT_EQ(topology.nodes[3].asn, 65010u);
  EXPECT_EQ(topology.services.prefixes[0].prefix.str(), "192.0.2.0/24");
  EXPECT_FALSE(topology.services.prefixes[0].covering);
  EXPECT_EQ(topology.services.prefixes[0].from, (std::vector<std::string>{"pop1", "dc1"}));
}

TEST(ParseTest, MinSitesGuard) {
  const char* nodes = R"(nodes:
  dc1: {role: datacenter}
  pop1: {role: edge}
  pop2: {role: edge}
  pop3: {role: edge}
  dns1: {role: dns, site: pop1}
  dns2: {role: dns, site: pop2}
  dns3: {role: dns, site: pop3}
links: [[pop1, dns1], [pop2, dns2], [pop3, dns3]]
)";
  LoadResult off = load(std::string(nodes) + "services: {dns: {health: {rise: 1}}}\n");
  EXPECT_EQ(loaded(off).services.dns->health.min_sites, 0) << "off unless given";
  LoadResult two = load(std::string(nodes) + "services: {dns: {health: {min-sites: 2}}}\n");
  EXPECT_EQ(loaded(two).services.dns->health.min_sites, 2) << "every other site of three";
  LoadResult zero = load(std::string(nodes) + "services: {dns: {health: {min-sites: 0}}}\n");
  EXPECT_EQ(loaded(zero).services.dns->health.min_sites, 0);
}

TEST(NamesTest, RolesRoundTrip) {
  for (Role role : {Role::kDatacenter, Role::kBackbone, Role::kEdge, Role::kDns, Role::kPeer,
                    Role::kClient, Role::kRouter, Role::kHost}) {
    EXPECT_EQ(role_from_string(to_string(role)), role);
  }
  EXPECT_EQ(to_string(Role::kDatacenter), "datacenter");
  EXPECT_FALSE(role_from_string("switch"));
  EXPECT_FALSE(role_from_string("Backbone"));
}

TEST(NamesTest, ValidNames) {
  EXPECT_TRUE(is_valid_name("bb1"));
  EXPECT_TRUE(is_valid_name("a"));
  EXPECT_TRUE(is_valid_name("pop-1-west"));
  EXPECT_FALSE(is_valid_name(""));
  EXPECT_FALSE(is_valid_name("1bb"));
  EXPECT_FALSE(is_valid_name("-bb"));
  EXPECT_FALSE(is_valid_name("Bb1"));
  EXPECT_FALSE(is_valid_name("bb_1"));
  EXPECT_FALSE(is_valid_name("bb.1"));
}

TEST(NamesTest, LabAndNodeNamesHaveTheirLengths) {
  EXPECT_TRUE(is_valid_lab_name("lab-twelve12"));
  EXPECT_FALSE(is_valid_lab_name("lab-thirteen1"));
  EXPECT_FALSE(is_valid_lab_name("../x"));
  EXPECT_TRUE(is_valid_node_name("node-fifteen-15"));
  EXPECT_FALSE(is_valid_node_name("node-sixteen-16x"));
  EXPECT_FALSE(is_valid_node_name("a/b"));
}

TEST(DiagnosticTest, Formats) {
  Diagnostic d{"topo.yaml", {12, 7}, "nodes.dns1.site", "unknown node 'pop9'"};
  EXPECT_EQ(d.str(), "topo.yaml:12:7: nodes.dns1.site: unknown node 'pop9'");
  Diagnostic no_field{"topo.yaml", {1, 1}, "", "file is empty"};
  EXPECT_EQ(no_field.str(), "topo.yaml:1:1: file is empty");
  EXPECT_EQ(format_diagnostics({d, no_field}),
            "topo.yaml:12:7: nodes.dns1.site: unknown node 'pop9'\ntopo.yaml:1:1: file is empty");
  EXPECT_EQ(format_diagnostics({}), "");
}

TEST(LoadFileTest, MissingFileIsOneDiagnostic) {
  LoadResult result = load_topology_file("/nonexistent/blastlab/topo.yaml");
  EXPECT_FALSE(result.topology);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].str().find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::model
