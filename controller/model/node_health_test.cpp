// A dns node's own health check (`health:` on the node): read, validated against the
// nodes it names, and merged over services.dns.health by Topology::health_of.
#include <gtest/gtest.h>

#include "controller/model/test_support.hpp"

namespace blastlab::model {
namespace {

using Names = std::vector<std::string>;

// Two PoPs with a DNS host each; `dns1` is dns1's node entry.
std::string two_sites(const std::string& dns1) {
  return R"(nodes:
  dc1: {role: datacenter}
  dc2: {role: datacenter}
  bb1: {role: backbone}
  pop1: {role: edge}
  pop2: {role: edge}
  dns1: )" +
         dns1 +
         R"(
  dns2: {role: dns, site: pop2}
  t1: {role: peer}
links: [[dc1, bb1], [dc2, bb1], [bb1, pop1], [bb1, pop2], [pop1, dns1], [pop2, dns2], [pop1, t1]]
services:
  dns:
    health: {interval: 2s, timeout: 1s, checks: [tcp, icmp], targets: [dc1, dc2]}
)";
}

TEST(NodeHealthTest, TheNodesOwnValuesReplaceTheServicesForThatNodeAlone) {
  LoadResult result =
      load(two_sites("{role: dns, site: pop1, health: {targets: [pop1], checks: [icmp]}}"));
  const Topology& topology = loaded(result);
  ASSERT_TRUE(topology.services.dns);
  HealthCheck own = topology.health_of(*topology.find_node("dns1"));
  EXPECT_EQ(own.targets, Names{"pop1"});
  EXPECT_EQ(own.checks, Names{"icmp"});
  EXPECT_EQ(own.interval, std::chrono::seconds(2));  // the rest is the service's
  EXPECT_EQ(own.timeout, std::chrono::seconds(1));
  HealthCheck other = topology.health_of(*topology.find_node("dns2"));
  EXPECT_EQ(other.targets, (Names{"dc1", "dc2"}));
  EXPECT_EQ(other.checks, (Names{"tcp", "icmp"}));
  EXPECT_EQ(topology.services.dns->health.targets, (Names{"dc1", "dc2"}));
}

TEST(NodeHealthTest, WhatTheNodeLeavesOutIsTheServices) {
  LoadResult checks_result = load(two_sites("{role: dns, site: pop1, health: {checks: [dns]}}"));
  const Topology& checks_only = loaded(checks_result);
  HealthCheck health = checks_only.health_of(*checks_only.find_node("dns1"));
  EXPECT_EQ(health.targets, (Names{"dc1", "dc2"}));
  EXPECT_EQ(health.checks, Names{"dns"});
  // A datacenter target takes any check, as the service's do.
  LoadResult targets_result = load(two_sites("{role: dns, site: pop1, health: {targets: [dc2]}}"));
  const Topology& targets_only = loaded(targets_result);
  health = targets_only.health_of(*targets_only.find_node("dns1"));
  EXPECT_EQ(health.targets, Names{"dc2"});
  EXPECT_EQ(health.checks, (Names{"tcp", "icmp"}));
}

TEST(NodeHealthTest, BackboneAndEdgeTargetsTakeIcmpAndTheLocalDnsCheck) {
  LoadResult result = load(two_sites(
      "{role: dns, site: pop1, health: {targets: [bb1, pop2, dc1], checks: [icmp, dns]}}"));
  const Topology& topology = loaded(result);
  EXPECT_EQ(topology.health_of(*topology.find_node("dns1")).targets, (Names{"bb1", "pop2", "dc1"}));
}

TEST(NodeHealthTest, TargetsNeedARoleWithALoopbackThatAnswers) {
  LoadResult result = load(
      two_sites("{role: dns, site: pop1, health: {targets: [dns2, t1, dc9], checks: [icmp]}}"));
  EXPECT_TRUE(has_error(result, 7, 52, "nodes.dns1.health.targets[0]",
                        {"target 'dns2' is a dns node", "datacenter, backbone or edge nodes"}));
  EXPECT_TRUE(
      has_error(result, 7, 58, "nodes.dns1.health.targets[1]", {"target 't1' is a peer node"}));
  EXPECT_TRUE(has_error(result, 7, 62, "nodes.dns1.health.targets[2]",
                        {"unknown node 'dc9'", "did you mean 'dc1'?"}));
}

// Nothing listens on a router for tcp or http: the check would fail from the start.
TEST(NodeHealthTest, TcpAndHttpOnlyReachDatacenters) {
  LoadResult inherited = load(two_sites("{role: dns, site: pop1, health: {targets: [pop1]}}"));
  EXPECT_EQ(only_error(inherited.errors),
            "t.yaml:7:52: nodes.dns1.health.targets[0]: target 'pop1' is an edge node, where "
            "nothing listens for tcp, the checks of services.dns.health (only datacenter nodes "
            "run the backends); its loopback answers icmp: give dns1 `checks` without tcp, like "
            "[icmp]");
  LoadResult own = load(two_sites(
      "{role: dns, site: pop1, health: {targets: [dc1, bb1], checks: [http, icmp, tcp]}}"));
  EXPECT_TRUE(has_error(own, 7, 57, "nodes.dns1.health.targets[1]",
                        {"target 'bb1' is a backbone node, where nothing listens for http or "
                         "tcp (only",
                         "`checks` without http and tcp"}));
}

TEST(NodeHealthTest, MalformedValues) {
  LoadResult result = load(R"(nodes:
  dc1: {role: datacenter}
  pop1: {role: edge, health: {targets: [dc1]}}
  dns1: {role: dns, site: pop1, health: {target: [pop1]}}
  dns2: {role: dns, site: pop1, health: {}}
  dns3: {role: dns, site: pop1, health: {targets: [], checks: [icmp, ping, icmp]}}
  dns4: {role: dns, site: pop1, health: {targets: [dc1, dc1]}}
  dns5: {role: dns, site: pop1, health: icmp}
links: [[pop1, dns1], [pop1, dns2], [pop1, dns3], [pop1, dns4], [pop1, dns5]]
)");
  EXPECT_TRUE(has_error(result, 3, 22, "nodes.pop1.health",
                        {"`health` is only for dns nodes", "pop1 is an edge node"}));
  EXPECT_TRUE(has_error(result, 4, 42, "nodes.dns1.health.target", {"did you mean 'targets'?"}));
  EXPECT_TRUE(
      has_error(result, 5, 41, "nodes.dns2.health", {"empty; give `targets`, `checks` or both"}));
  EXPECT_TRUE(has_error(result, 6, 51, "nodes.dns3.health.targets",
                        {"no targets; list the nodes this DNS host probes"}));
  EXPECT_TRUE(has_error(result, 6, 70, "nodes.dns3.health.checks[1]",
                        {"unknown check 'ping'", "tcp, icmp, dns or http"}));
  EXPECT_TRUE(
      has_error(result, 6, 76, "nodes.dns3.health.checks[2]", {"check 'icmp' is listed twice"}));
  EXPECT_TRUE(
      has_error(result, 7, 57, "nodes.dns4.health.targets[1]", {"target 'dc1' is listed twice"}));
  EXPECT_TRUE(has_error(result, 8, 41, "nodes.dns5.health", {"expected a map"}));
}

TEST(NodeHealthTest, ATargetIsNotNamedLocal) {
  LoadResult result = load(R"(nodes:
  dc1: {role: datacenter}
  local: {role: backbone}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1, health: {targets: [local], checks: [icmp]}}
links: [[dc1, local], [local, pop1], [pop1, dns1]]
)");
  EXPECT_EQ(only_error(result.errors),
            "t.yaml:5:52: nodes.dns1.health.targets[0]: 'local' is the name healthd keeps for "
            "its own dns check; a node the health checks probe needs another name");
}

}  // namespace
}  // namespace blastlab::model
