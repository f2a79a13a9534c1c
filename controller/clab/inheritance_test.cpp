// containerlab's inheritance (types/topology.go): node over group over kind over defaults
// for single values, maps merged per key, lists appended, binds one per container path.
#include <gtest/gtest.h>

#include "controller/clab/test_support.hpp"

namespace blastlab::clab {
namespace {

constexpr std::string_view kLevels = R"(name: t
topology:
  defaults:
    kind: linux
    image: img-defaults
    cmd: cmd-defaults
    entrypoint: ep-defaults
    network-mode: none
    labels: {owner: defaults, tier: defaults, site: defaults, rack: defaults}
    env: {A: defaults}
    exec: [ip link, echo common]
    binds: [d/frr.conf:/etc/frr/frr.conf, d/hosts:/etc/hosts:ro]
  kinds:
    linux:
      image: img-kind
      cmd: cmd-kind
      entrypoint: ""
      labels: {tier: kind, site: kind, rack: kind}
      exec: [echo kind, echo common]
      binds: [k/daemons:/etc/frr/daemons]
  groups:
    routers:
      image: img-group
      labels: {site: group, rack: group}
      env: {B: group}
      exec: [echo group]
      binds: [g/frr.conf:/etc/frr/frr.conf]
  nodes:
    r1:
      group: routers
      image: img-node
      labels: {rack: node}
      exec: [echo node, echo kind]
    r2:
      group: routers
    r3:
      cmd: ""
)";

TEST(ClabInheritanceTest, SingleValuesComeFromTheMostSpecificLevel) {
  const Topology& topology = loaded(read(kLevels));
  const Node& r1 = *topology.find_node("r1");
  const Node& r2 = *topology.find_node("r2");
  const Node& r3 = *topology.find_node("r3");
  EXPECT_EQ(r1.image->value, "img-node");
  EXPECT_TRUE(at(r1.image->mark, 31, 14));
  EXPECT_EQ(r2.image->value, "img-group");
  EXPECT_EQ(r2.image->field, "topology.groups.routers.image");
  EXPECT_TRUE(at(r2.image->mark, 23, 14));
  EXPECT_EQ(r3.image->value, "img-kind");
  EXPECT_EQ(r3.image->field, "topology.kinds.linux.image");
  EXPECT_EQ(r3.kind.value, "linux");
  EXPECT_EQ(r3.kind.field, "topology.defaults.kind");
  // An empty string counts as not given, at the node as at the kind.
  EXPECT_EQ(r3.cmd->value, "cmd-kind");
  EXPECT_EQ(r3.entrypoint->value, "ep-defaults");
  EXPECT_EQ(r3.network_mode->value, "none");
  EXPECT_FALSE(r3.group);
  EXPECT_EQ(r1.group->value, "routers");
}

TEST(ClabInheritanceTest, LabelsAndEnvMergePerKey) {
  const Topology& topology = loaded(read(kLevels));
  const Node& r1 = *topology.find_node("r1");
  EXPECT_EQ(r1.label("owner")->value, "defaults");
  EXPECT_EQ(r1.label("tier")->value, "kind");
  EXPECT_EQ(r1.label("site")->value, "group");
  EXPECT_EQ(r1.label("rack")->value, "node");
  EXPECT_TRUE(at(r1.label("rack")->mark, 32, 22));
  EXPECT_EQ(r1.label("none"), nullptr);
  EXPECT_EQ(r1.env.size(), 2u);
  EXPECT_EQ(r1.env.at("A").value, "defaults");
  EXPECT_EQ(r1.env.at("B").value, "group");
  EXPECT_EQ(topology.find_node("r3")->env.size(), 1u);
}

TEST(ClabInheritanceTest, ExecIsAppendedFromDefaultsToNodeWithoutRepeats) {
  const Topology& topology = loaded(read(kLevels));
  std::vector<std::string> exec;
  for (const auto& line : topology.find_node("r1")->exec) exec.push_back(line.value);
  EXPECT_EQ(exec, (std::vector<std::string>{"ip link", "echo common", "echo kind", "echo group",
                                            "echo node"}));
  EXPECT_EQ(topology.find_node("r1")->exec[2].field, "topology.kinds.linux.exec[0]");
}

TEST(ClabInheritanceTest, BindsKeepOnePerContainerPathTheMostSpecific) {
  const Topology& topology = loaded(read(kLevels));
  const auto& binds = topology.find_node("r2")->binds;
  ASSERT_EQ(binds.size(), 3u);
  EXPECT_EQ(binds[0].container_path, "/etc/frr/frr.conf");
  EXPECT_EQ(binds[0].host_path, "/labs/g/frr.conf");
  EXPECT_EQ(binds[0].text.field, "topology.groups.routers.binds[0]");
  EXPECT_EQ(binds[1].container_path, "/etc/hosts");
  EXPECT_EQ(binds[1].mode, "ro");
  EXPECT_EQ(binds[2].host_path, "/labs/k/daemons");
  EXPECT_EQ(topology.find_node("r3")->binds[0].host_path, "/labs/d/frr.conf");
}

TEST(ClabInheritanceTest, KindComesFromTheNodesGroupThenTheDefaultGroup) {
  const Topology& topology = loaded(read(R"(name: t
topology:
  defaults:
    group: hosts
  groups:
    hosts:
      kind: linux
    routers:
      kind: frr
  nodes:
    h1: {}
    r1: {group: routers}
    s1: {kind: nokia_srlinux, group: routers}
)"));
  EXPECT_EQ(topology.find_node("h1")->kind.value, "linux");
  EXPECT_EQ(topology.find_node("h1")->kind.field, "topology.groups.hosts.kind");
  EXPECT_EQ(topology.find_node("h1")->group->value, "hosts");
  EXPECT_EQ(topology.find_node("r1")->kind.value, "frr");
  EXPECT_EQ(topology.find_node("s1")->kind.value, "nokia_srlinux");
}

TEST(ClabInheritanceTest, GroupComesFromTheKindWhenTheNodeHasNone) {
  const Topology& topology = loaded(read(R"(name: t
topology:
  kinds:
    linux:
      group: servers
  groups:
    servers:
      image: nginx:1
  nodes:
    web:
      kind: linux
)"));
  const Node& web = *topology.find_node("web");
  EXPECT_EQ(web.group->value, "servers");
  EXPECT_EQ(web.group->field, "topology.kinds.linux.group");
  EXPECT_EQ(web.image->value, "nginx:1");
}

TEST(ClabInheritanceTest, ANodeWithoutKindAndUnknownGroupsAreReported) {
  ReadResult result = read(R"(name: t
topology:
  groups:
    routers: {}
  nodes:
    r1:
      group: router
    r2: {}
)");
  EXPECT_TRUE(has_error(result, 7, 14, "topology.nodes.r1.group",
                        {"unknown group 'router'", "did you mean 'routers'?", "defined: routers"}));
  EXPECT_TRUE(has_error(result, 6, 5, "topology.nodes.r1", {"node 'r1' has no kind"}));
  EXPECT_TRUE(has_error(result, 8, 5, "topology.nodes.r2", {"has no kind", "topology.defaults"}));
}

TEST(ClabInheritanceTest, UninterpretedKeysAreListedOnceMostSpecificFirst) {
  const Topology& topology = loaded(read(R"(name: t
topology:
  defaults:
    kind: linux
    ports: [80:80]
    memory: 1Gb
  nodes:
    r1:
      memory: 2Gb
)"));
  const auto& keys = topology.nodes[0].uninterpreted;
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].value, "memory");
  EXPECT_TRUE(at(keys[0].mark, 9, 7));
  EXPECT_EQ(keys[1].value, "ports");
  EXPECT_EQ(keys[1].field, "topology.defaults.ports");
}

}  // namespace
}  // namespace blastlab::clab
