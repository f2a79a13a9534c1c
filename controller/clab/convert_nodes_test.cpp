// Nodes through the conversion: FRR routers from each of containerlab's forms, hosts and
// their exec lines, inherited settings, refused kinds and names, labels, and the warning for
// every container setting a namespace does not have.
#include <gtest/gtest.h>

#include "controller/clab/convert_test_support.hpp"
#include "controller/execline/exec_line.hpp"

namespace blastlab::clab {
namespace {

using model::Role;

TEST_F(ConvertTest, FrrRoutersFromTheirBindsTheirImageAndKindFrr) {
  write("r1/frr.conf", "hostname r1\n");
  write("r1/daemons", "ospfd=yes\n");
  write("r2.conf", "hostname r2\n");
  write("cfg/frr.conf", "hostname r4\n");
  auto result = convert_here(R"(
name: frr
topology:
  nodes:
    r1:
      kind: linux
      image: alpine:3
      binds: [r1/frr.conf:/etc/frr/frr.conf, r1/daemons:/etc/frr/daemons]
    r2:
      kind: frr
      startup-config: r2.conf
    r3:
      kind: frr
      startup-config: |
        hostname r3
        router ospf
    r4:
      kind: linux
      image: quay.io/frrouting/frr:8.4.1
      binds: [cfg:/etc/frr]
)");
  const model::Topology& t = converted(result);
  ASSERT_EQ(t.nodes.size(), 4u);
  for (const auto& node : t.nodes) {
    EXPECT_EQ(node.role, Role::kRouter) << node.name;
    ASSERT_TRUE(node.frr) << node.name;
    EXPECT_FALSE(node.loopback) << node.name;
  }
  EXPECT_EQ(t.nodes[0].frr->config, path("r1/frr.conf"));
  EXPECT_EQ(t.nodes[0].frr->daemons, path("r1/daemons"));
  EXPECT_EQ(t.nodes[1].frr->config, path("r2.conf"));
  EXPECT_EQ(t.nodes[1].frr->daemons, "");
  ASSERT_TRUE(t.nodes[2].frr->config_text);
  EXPECT_EQ(*t.nodes[2].frr->config_text, "hostname r3\nrouter ospf\n");
  EXPECT_EQ(t.nodes[2].frr->text_first_line, 15);
  EXPECT_EQ(t.nodes[2].frr->config, path("t.clab.yml"));
  // A directory bound onto /etc/frr without a daemons file: FRR runs what its config needs.
  EXPECT_EQ(t.nodes[3].frr->config, path("cfg/frr.conf"));
  EXPECT_EQ(t.nodes[3].frr->daemons, "");
  EXPECT_TRUE(has_warning(result, 7, 14, "topology.nodes.r1.image",
                          {"image alpine:3 is not run", "host's FRR"}));
  EXPECT_TRUE(has_warning(result, 19, 14, "topology.nodes.r4.image", {"not run"}));
}

TEST_F(ConvertTest, AnFrrNodeWithoutConfigurationRunsAnEmptyOneAndSaysSo) {
  auto result = convert_here(R"(
name: t
topology:
  nodes:
    r1: {kind: linux, image: frrouting/frr:v8.4.1}
)");
  const model::Topology& t = converted(result);
  ASSERT_TRUE(t.nodes[0].frr);
  ASSERT_TRUE(t.nodes[0].frr->config_text);
  EXPECT_EQ(*t.nodes[0].frr->config_text, "");
  EXPECT_TRUE(has_warning(result, 5, 5, "topology.nodes.r1",
                          {"no configuration", "empty one", "blastlab vtysh"}));
}

TEST_F(ConvertTest, MissingFrrFilesAreRefusedAtTheBindThatNamesThem) {
  auto result = convert_here(R"(
name: t
topology:
  groups:
    rtr:
      binds: [shared/daemons:/etc/frr/daemons]
  nodes:
    r1:
      kind: linux
      group: rtr
      binds: [r1/frr.conf:/etc/frr/frr.conf]
    r2: {kind: frr, startup-config: ~/r2.conf}
)");
  EXPECT_TRUE(has_error(result, 11, 15, "topology.nodes.r1.binds[0]",
                        {"FRR configuration", path("r1/frr.conf"), "does not exist"}));
  EXPECT_TRUE(has_error(result, 6, 15, "topology.groups.rtr.binds[0]",
                        {"FRR daemons file", "does not exist"}));
  EXPECT_TRUE(
      has_error(result, 12, 37, "topology.nodes.r2.startup-config", {"does not expand `~`"}));
  EXPECT_FALSE(result.topology);
}

TEST_F(ConvertTest, HostsGetTheirExecLinesAsIpOperations) {
  auto result = convert_here(R"(
name: t
topology:
  nodes:
    h1:
      kind: linux
      image: alpine:3.20
      exec:
        - ip addr add 192.0.2.10/24 dev eth1
        - "ip route add default via 192.0.2.1"
        - sysctl -w net.ipv4.ip_forward=1
)");
  const model::Topology& t = converted(result);
  const model::Node& h1 = t.nodes[0];
  EXPECT_EQ(h1.role, Role::kHost);
  EXPECT_FALSE(h1.frr);
  // The sysctl line asks for what every lab node has: nothing to run.
  ASSERT_EQ(h1.exec.size(), 2u);
  ASSERT_TRUE(h1.exec[0].ip);
  EXPECT_EQ(execline::render_ip_command(*h1.exec[0].ip), "ip address add 192.0.2.10/24 dev eth1");
  ASSERT_TRUE(h1.exec[1].ip);
  EXPECT_EQ(execline::render_ip_command(*h1.exec[1].ip), "ip route add default via 192.0.2.1");
  EXPECT_EQ(h1.exec[1].mark.line, 10);
  EXPECT_TRUE(has_warning(result, 7, 14, "topology.nodes.h1.image", {"host's own programs"}));
}

constexpr std::string_view kShellLines = R"(
name: t
topology:
  kinds:
    linux:
      exec: ["ip link set eth1 up", "echo hi > /tmp/x"]
  nodes:
    h1: {kind: linux}
    h2:
      kind: linux
      exec:
        - ip route add default via 192.0.2.1 dev eth1 metrc 5
        - sysctl -w net.ipv4.ip_forward=0
)";

TEST_F(ConvertTest, OtherExecLinesAreRefusedAtTheirWordOnceWhereverInherited) {
  auto result = convert_here(kShellLines);
  // The column of '>' inside the quoted string, reported once although two nodes inherit it.
  EXPECT_TRUE(
      has_error(result, 6, 46, "topology.kinds.linux.exec[1]", {"redirection", "--trust-exec"}));
  // `metrc` is no keyword, so iproute2 (and blastlab) read it as a second destination.
  EXPECT_TRUE(
      has_error(result, 12, 55, "topology.nodes.h2.exec[0]", {"given twice", "--trust-exec"}));
  EXPECT_TRUE(has_error(result, 13, 11, "topology.nodes.h2.exec[1]", {"--trust-exec"}));
  size_t at_kind = std::count_if(result.errors.begin(), result.errors.end(), [](const auto& d) {
    return d.field == "topology.kinds.linux.exec[1]";
  });
  EXPECT_EQ(at_kind, 1u);
}

TEST_F(ConvertTest, TrustExecKeepsOtherLinesAsShellLinesInInheritedOrder) {
  auto result = convert_here(kShellLines, {.trust_exec = true});
  const model::Topology& t = converted(result);
  const model::Node& h2 = *t.find_node("h2");
  // containerlab's order: the kind's lines first, then the node's.
  ASSERT_EQ(h2.exec.size(), 4u);
  EXPECT_TRUE(h2.exec[0].ip);
  EXPECT_EQ(h2.exec[1].line, "echo hi > /tmp/x");
  EXPECT_FALSE(h2.exec[1].ip);
  EXPECT_FALSE(h2.exec[2].ip);
  EXPECT_EQ(h2.exec[3].line, "sysctl -w net.ipv4.ip_forward=0");
}

TEST_F(ConvertTest, InheritedSettingsReachTheModelFromTheirLevel) {
  write("g/frr.conf", "hostname g\n");
  write("k/daemons", "bgpd=yes\n");
  write("r2.conf", "hostname r2\n");
  auto result = convert_here(R"(
name: t
topology:
  defaults:
    kind: linux
    labels: {blastlab.role: backbone}
  kinds:
    linux:
      image: frrouting/frr:v8.4.1
  groups:
    frr:
      binds: [k/daemons:/etc/frr/daemons]
    edge:
      binds: [k/daemons:/etc/frr/daemons, g/frr.conf:/etc/frr/frr.conf]
      labels: {blastlab.role: peer, blastlab.tags: "west, border"}
  nodes:
    r1: {group: edge}
    r2:
      group: frr
      binds: [r2.conf:/etc/frr/frr.conf]
    h1: {image: alpine}
)");
  const model::Topology& t = converted(result);
  const model::Node& r1 = *t.find_node("r1");
  const model::Node& r2 = *t.find_node("r2");
  const model::Node& h1 = *t.find_node("h1");
  EXPECT_EQ(r1.frr->config, path("g/frr.conf"));
  EXPECT_EQ(r1.frr->daemons, path("k/daemons"));
  EXPECT_EQ(r2.frr->config, path("r2.conf"));
  EXPECT_EQ(r2.frr->daemons, path("k/daemons"));
  EXPECT_EQ(r2.frr->config, path("r2.conf"));
  EXPECT_EQ(r1.measured_as, Role::kPeer);
  EXPECT_EQ(r1.tags, (std::vector<std::string>{"west", "border"}));
  EXPECT_EQ(r2.measured_as, Role::kBackbone);
  // The routing role stays the node's own: a router measured as a peer gets nothing planned.
  EXPECT_EQ(r1.role, Role::kRouter);
  EXPECT_EQ(r1.asn, 0u);
  EXPECT_FALSE(r1.generated_routing());
  EXPECT_EQ(h1.role, Role::kHost);
  EXPECT_EQ(h1.measured_as, Role::kBackbone);
  // The kind's image, inherited by both routers, is one warning at the kind.
  size_t image_warnings = std::count_if(result.warnings.begin(), result.warnings.end(),
                                        [](const auto& d) { return d.field.ends_with(".image"); });
  EXPECT_EQ(image_warnings, 2u);  // the kind's (routers) and h1's own
  EXPECT_TRUE(has_warning(result, 9, 14, "topology.kinds.linux.image", {"host's FRR"}));
}

TEST_F(ConvertTest, UnsupportedKindsAreRefusedAtTheirKindSayingWhatRuns) {
  auto result = convert_here(R"(
name: t
topology:
  kinds:
    nokia_srlinux: {image: ghcr.io/nokia/srlinux}
  nodes:
    srl1: {kind: nokia_srlinux}
    br1: {kind: bridge}
    ovs: {kind: ovs-bridge}
    hst: {kind: host}
    vr1: {kind: vr-sros}
    ceos: {kind: ceos}
)");
  EXPECT_TRUE(has_error(result, 7, 18, "topology.nodes.srl1.kind",
                        {"nokia_srlinux", "vendor's image", "blastlab runs FRR routers"}));
  EXPECT_TRUE(has_error(result, 8, 17, "topology.nodes.br1.kind", {"bridge", "sealed"}));
  EXPECT_TRUE(has_error(result, 9, 17, "topology.nodes.ovs.kind", {"ovs-bridge", "sealed"}));
  EXPECT_TRUE(has_error(result, 10, 17, "topology.nodes.hst.kind", {"host's own network"}));
  EXPECT_TRUE(has_error(result, 11, 17, "topology.nodes.vr1.kind", {"vr-sros"}));
  EXPECT_TRUE(has_error(result, 12, 18, "topology.nodes.ceos.kind", {"ceos"}));
}

TEST_F(ConvertTest, NamesBlastlabCannotUseAreRefusedWithARename) {
  auto result = convert_here(R"(
name: t
topology:
  nodes:
    Router_1: {kind: linux}
    a-very-long-router-name: {kind: linux}
)");
  EXPECT_TRUE(has_error(result, 5, 5, "topology.nodes.Router_1", {"rename it", "'router-1'"}));
  EXPECT_TRUE(has_error(result, 6, 5, "topology.nodes.a-very-long-router-name",
                        {"at most 15", "'a-very-long-rou'"}));
}

TEST_F(ConvertTest, LabelsThatBlastlabReadsAreChecked) {
  auto result = convert_here(R"(
name: t
topology:
  nodes:
    h1: {kind: linux, labels: {blastlab.role: router}}
    h2: {kind: linux, labels: {blastlab.role: peeer}}
    h3: {kind: linux, labels: {blastlab.rol: peer, team: netops}}
    h4: {kind: linux, labels: {blastlab.tags: "ok, Not_OK"}}
)");
  EXPECT_TRUE(has_error(result, 5, 47, "topology.nodes.h1.labels.blastlab.role",
                        {"'router' is not a role to measure", "peer"}));
  EXPECT_TRUE(has_error(result, 6, 47, "topology.nodes.h2.labels.blastlab.role", {"'peeer'"}));
  EXPECT_TRUE(has_error(result, 7, 46, "topology.nodes.h3.labels.blastlab.rol",
                        {"unknown label", "did you mean 'blastlab.role'"}));
  EXPECT_TRUE(has_error(result, 8, 47, "topology.nodes.h4.labels.blastlab.tags", {"'Not_OK'"}));
  EXPECT_EQ(result.errors.size(), 4u);  // `team` is the user's own label
}

TEST_F(ConvertTest, NetworkModesThatLeaveTheNodesNamespaceAreRefused) {
  auto result = convert_here(R"(
name: t
topology:
  nodes:
    h1: {kind: linux, network-mode: host}
    h2: {kind: linux, network-mode: "container:h1"}
    h3: {kind: linux, network-mode: none}
    h4: {kind: linux, network-mode: mybridge}
)");
  EXPECT_TRUE(has_error(result, 5, 37, "topology.nodes.h1.network-mode", {"sealed"}));
  EXPECT_TRUE(has_error(result, 6, 37, "topology.nodes.h2.network-mode", {"link the two nodes"}));
  EXPECT_TRUE(has_warning(result, 8, 37, "topology.nodes.h4.network-mode", {"ignored"}));
  EXPECT_EQ(result.errors.size(), 2u);
}

TEST_F(ConvertTest, EveryContainerSettingIsAWarningAtItsPlace) {
  write("r1.conf", "hostname r1\n");
  auto result = convert_here(R"(
name: t
topology:
  nodes:
    r1:
      kind: frr
      startup-config: r1.conf
      cmd: /usr/lib/frr/docker-start
      env: {DEBUG: "1"}
      binds: [r1.conf:/etc/frr/frr.conf, scripts:/scripts]
      sysctls: {net.ipv4.ip_forward: "1", net.ipv6.conf.all.disable_ipv6: "0"}
      ports: ["8080:80"]
      memory: 1Gb
      startup-delay: 5
      type: ixrd2
    h1:
      kind: linux
      entrypoint: /bin/sh
      startup-config: h1.cfg
)");
  const model::Topology& t = converted(result);
  EXPECT_EQ(t.nodes.size(), 2u);
  EXPECT_TRUE(has_warning(result, 8, 12, "topology.nodes.r1.cmd", {"starts FRR itself"}));
  EXPECT_TRUE(has_warning(result, 9, 20, "topology.nodes.r1.env.DEBUG", {"DEBUG"}));
  EXPECT_TRUE(
      has_warning(result, 10, 15, "topology.nodes.r1.binds[0]", {"not used", "startup-config"}));
  EXPECT_TRUE(has_warning(result, 10, 42, "topology.nodes.r1.binds[1]", {"not made", "/scripts"}));
  EXPECT_TRUE(has_warning(result, 11, 75,
                          "topology.nodes.r1.sysctls.net.ipv6.conf.all.disable_ipv6", {"not set"}));
  EXPECT_TRUE(has_warning(result, 12, 7, "topology.nodes.r1.ports", {"not published"}));
  EXPECT_TRUE(has_warning(result, 13, 7, "topology.nodes.r1.memory", {"not a container"}));
  EXPECT_TRUE(has_warning(result, 14, 7, "topology.nodes.r1.startup-delay", {"together"}));
  EXPECT_TRUE(has_warning(result, 15, 13, "topology.nodes.r1.type", {"ignored"}));
  EXPECT_TRUE(has_warning(result, 18, 19, "topology.nodes.h1.entrypoint", {"exec lines"}));
  // Only kind frr reads startup-config; a linux host's is not a file blastlab looks for.
  EXPECT_TRUE(has_warning(result, 19, 23, "topology.nodes.h1.startup-config", {"kind linux"}));
  // ip_forward=1 is what every node has: no warning for it.
  for (const auto& w : result.warnings) EXPECT_EQ(w.field.find("ip_forward"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::clab
