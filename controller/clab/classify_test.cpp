// Which nodes are FRR routers, plain hosts or unsupported, and where FRR's files come from.
#include <gtest/gtest.h>

#include "controller/clab/test_support.hpp"

namespace blastlab::clab {
namespace {

ReadResult one_node(std::string_view body) {
  return read(std::string("name: t\ntopology:\n  nodes:\n    r1:\n") + std::string(body));
}

// The node r1 of a file whose only node has this body, by value: the result it came from
// is gone when the test looks at it.
Node only_node(std::string_view body) {
  ReadResult result = one_node(body);
  const Topology& topology = loaded(result);
  return topology.nodes.empty() ? Node{} : topology.nodes[0];
}

TEST(ClabClassifyTest, AnFrrImageOnKindLinuxIsFrrWhateverItsRegistryAndTag) {
  for (const char* image : {"frrouting/frr", "frrouting/frr:v8.4.0", "quay.io/frrouting/frr:10.2.1",
                            "docker.io/frrouting/frr@sha256:0123abcd",
                            "registry.example:5000/mirror/frrouting/frr:9.1"}) {
    Node node = only_node(std::string("      kind: linux\n      image: ") + image);
    EXPECT_EQ(node.node_class, NodeClass::kFrr) << image;
    EXPECT_FALSE(node.frr_files.frr_conf) << image;
  }
  for (const char* image :
       {"alpine:3", "myfrrouting/frr:1", "frrouting/frr-exporter:1", "nicolaka/netshoot"}) {
    Node node = only_node(std::string("      kind: linux\n      image: ") + image);
    EXPECT_EQ(node.node_class, NodeClass::kHost) << image;
  }
}

TEST(ClabClassifyTest, BindsIntoEtcFrrMakeAnFrrNodeAndGiveItsFiles) {
  Node node = only_node(R"(      kind: linux
      image: example/router:1
      binds:
        - configs/__clabNodeName__/frr.conf:/etc/frr/frr.conf
        - ../shared/daemons:/etc/frr/daemons:ro
        - /abs/vtysh.conf:/etc/frr/vtysh.conf
)");
  EXPECT_EQ(node.node_class, NodeClass::kFrr);
  ASSERT_TRUE(node.frr_files.frr_conf);
  EXPECT_EQ(node.frr_files.frr_conf->value, "/labs/configs/r1/frr.conf");
  EXPECT_TRUE(at(node.frr_files.frr_conf->mark, 8, 11));
  EXPECT_EQ(node.frr_files.frr_conf->field, "topology.nodes.r1.binds[0]");
  ASSERT_TRUE(node.frr_files.daemons);
  EXPECT_EQ(node.frr_files.daemons->value, "/shared/daemons");
  EXPECT_EQ(node.binds[2].host_path, "/abs/vtysh.conf");
}

TEST(ClabClassifyTest, ADirectoryBoundOntoEtcFrrHoldsBothFiles) {
  Node node = only_node(R"(      kind: linux
      binds: ["~/labs/r1:/etc/frr/"]
)");
  EXPECT_EQ(node.node_class, NodeClass::kFrr);
  EXPECT_EQ(node.frr_files.frr_conf->value, "/home/eng/labs/r1/frr.conf");
  EXPECT_EQ(node.frr_files.daemons->value, "/home/eng/labs/r1/daemons");
}

TEST(ClabClassifyTest, HomeIsLeftUnexpandedWithoutAHomeDirectory) {
  ReadResult result = read_clab_text(
      "name: t\ntopology:\n  nodes:\n    r1:\n      kind: linux\n      binds: "
      "[\"~/f:/etc/frr/frr.conf\"]\n",
      "t.clab.yml");
  EXPECT_EQ(loaded(result).nodes[0].frr_files.frr_conf->value, "~/f");
}

TEST(ClabClassifyTest, KindFrrTakesItsStartupConfigAsFrrConf) {
  Node by_path = only_node(R"(      kind: frr
      startup-config: cfg/__clabNodeName__.conf
)");
  EXPECT_EQ(by_path.node_class, NodeClass::kFrr);
  EXPECT_EQ(by_path.frr_files.frr_conf->value, "/labs/cfg/r1.conf");
  EXPECT_TRUE(at(by_path.frr_files.frr_conf->mark, 6, 23));

  Node inline_config = only_node(R"(      kind: frr
      startup-config: |
        router ospf
         ospf router-id 198.18.0.1
)");
  ASSERT_TRUE(inline_config.frr_files.frr_conf_text);
  EXPECT_EQ(inline_config.frr_files.frr_conf_text->value,
            "router ospf\n ospf router-id 198.18.0.1\n");
  EXPECT_FALSE(inline_config.frr_files.frr_conf);

  EXPECT_EQ(only_node("      kind: frr\n").node_class, NodeClass::kFrr);
  // kind linux has no use for startup-config: it stays a host.
  EXPECT_EQ(only_node("      kind: linux\n      startup-config: x.cfg\n").node_class,
            NodeClass::kHost);
}

TEST(ClabClassifyTest, ARemoteStartupConfigIsRefused) {
  ReadResult result = one_node(R"(      kind: frr
      startup-config: https://example.com/r1.conf
)");
  EXPECT_TRUE(has_error(result, 6, 23, "topology.nodes.r1.startup-config",
                        {"is a URL", "downloads nothing"}));
}

TEST(ClabClassifyTest, OtherKindsAreUnsupportedWithTheirKind) {
  const Topology& topology = loaded(read(R"(name: t
topology:
  nodes:
    a: {kind: nokia_srlinux}
    b: {kind: srl}
    c: {kind: ceos}
    d: {kind: vr-sros}
    e: {kind: bridge}
    f: {kind: ovs-bridge}
    g: {kind: host}
    h: {kind: ext-container}
)"));
  for (const auto& node : topology.nodes) {
    EXPECT_EQ(node.node_class, NodeClass::kUnsupported) << node.name;
  }
  EXPECT_EQ(topology.find_node("e")->kind.value, "bridge");
  EXPECT_TRUE(at(topology.find_node("e")->kind.mark, 8, 15));
}

TEST(ClabClassifyTest, RoleLabelsAreKept) {
  Node node = only_node(R"(      kind: linux
      labels:
        blastlab.role: client
        graph-level: 3
)");
  EXPECT_EQ(node.label("blastlab.role")->value, "client");
  EXPECT_TRUE(at(node.label("blastlab.role")->mark, 7, 24));
  EXPECT_EQ(node.label("graph-level")->value, "3");
}

}  // namespace
}  // namespace blastlab::clab
