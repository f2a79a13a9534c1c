#include <gtest/gtest.h>

#include "controller/clab/test_support.hpp"

namespace blastlab::clab {
namespace {

TEST(ClabReaderTest, ReadsTheSmallestTopology) {
  ReadResult result = read(R"(name: tiny
prefix: lab
topology:
  nodes:
    r1:
      kind: linux
      image: alpine:3
)");
  const Topology& topology = loaded(result);
  EXPECT_EQ(topology.name.value, "tiny");
  EXPECT_TRUE(at(topology.name.mark, 1, 7));
  ASSERT_TRUE(topology.prefix);
  EXPECT_EQ(topology.prefix->value, "lab");
  EXPECT_EQ(topology.file, "/labs/t.clab.yml");
  EXPECT_EQ(topology.directory, "/labs");
  ASSERT_EQ(topology.nodes.size(), 1u);
  const Node& r1 = topology.nodes[0];
  EXPECT_EQ(r1.name, "r1");
  EXPECT_EQ(r1.field, "topology.nodes.r1");
  EXPECT_TRUE(at(r1.mark, 5, 5));
  EXPECT_EQ(r1.kind.value, "linux");
  EXPECT_TRUE(at(r1.kind.mark, 6, 13));
  EXPECT_EQ(r1.image->field, "topology.nodes.r1.image");
  EXPECT_TRUE(topology.links.empty());
  EXPECT_TRUE(topology.notes.empty());
}

TEST(ClabReaderTest, NodesKeepFileOrderAndEmptyNodesTakeDefaults) {
  const Topology& topology = loaded(read(R"(name: t
topology:
  defaults:
    kind: linux
  nodes:
    zeta:
    alpha:
)"));
  ASSERT_EQ(topology.nodes.size(), 2u);
  EXPECT_EQ(topology.nodes[0].name, "zeta");
  EXPECT_EQ(topology.nodes[1].name, "alpha");
  EXPECT_EQ(topology.nodes[1].kind.value, "linux");
  EXPECT_EQ(topology.find_node("alpha"), &topology.nodes[1]);
  EXPECT_EQ(topology.find_node("beta"), nullptr);
}

TEST(ClabReaderTest, ManagementNetworkAndAddressesAreNotedNotRefused) {
  const Topology& topology = loaded(read(R"(name: t
mgmt:
  network: custom
  ipv4-subnet: 192.0.2.0/24
topology:
  nodes:
    r1:
      kind: linux
      mgmt-ipv4: 192.0.2.11
)"));
  ASSERT_EQ(topology.notes.size(), 2u);
  EXPECT_EQ(topology.notes[0].str(),
            "/labs/t.clab.yml:2:1: mgmt: the management network is ignored; a blastlab lab has "
            "no management network");
  EXPECT_TRUE(at(topology.notes[1].mark, 9, 18));
  EXPECT_EQ(topology.notes[1].field, "topology.nodes.r1.mgmt-ipv4");
  EXPECT_EQ(topology.nodes[0].mgmt_ipv4->value, "192.0.2.11");
}

TEST(ClabReaderTest, RequiresNameAndTopology) {
  ReadResult result = read("prefix: x\n");
  EXPECT_TRUE(has_error(result, 1, 1, "name", {"no `name`"}));
  EXPECT_TRUE(has_error(result, 1, 1, "topology", {"no `topology`"}));
  EXPECT_FALSE(result.topology);
  EXPECT_TRUE(has_error(read("name: t\ntopology: {}\n"), 2, 11, "topology", {"no `nodes`"}));
  EXPECT_TRUE(has_error(read(""), 1, 1, "", {"file is empty", "`name`"}));
  EXPECT_TRUE(has_error(read("name: [\n"), 2, 1, "", {"not valid YAML"}));
}

TEST(ClabReaderTest, NamesFollowTheSchemaPatterns) {
  ReadResult result = read(R"(name: -bad
prefix: "x y"
topology:
  nodes:
    r/1:
      kind: linux
)");
  EXPECT_TRUE(has_error(result, 1, 7, "name", {"'-bad' is not a containerlab name"}));
  EXPECT_TRUE(has_error(result, 2, 9, "prefix", {"'x y' is not a lab prefix"}));
  EXPECT_TRUE(has_error(result, 5, 5, "topology.nodes.r/1", {"'r/1' is not a node name"}));
  const Topology& topology = loaded(read(R"(name: lab.v2_x
prefix: __lab-name
topology:
  nodes:
    leaf|1.a:
      kind: linux
)"));
  EXPECT_EQ(topology.nodes[0].name, "leaf|1.a");
}

TEST(ClabReaderTest, UnknownKeysAreReportedWithAGuess) {
  ReadResult result = read(R"(name: t
topolgy: {}
topology:
  nodez: {}
  nodes:
    r1:
      kind: linux
      imgae: alpine
  groups:
    g:
      exce: [ls]
)");
  EXPECT_TRUE(has_error(result, 2, 1, "topolgy", {"unknown key", "did you mean 'topology'?"}));
  EXPECT_TRUE(has_error(result, 4, 3, "topology.nodez", {"did you mean 'nodes'?"}));
  EXPECT_TRUE(has_error(result, 8, 7, "topology.nodes.r1.imgae", {"did you mean 'image'?"}));
  EXPECT_TRUE(has_error(result, 11, 7, "topology.groups.g.exce", {"did you mean 'exec'?"}));
}

TEST(ClabReaderTest, DuplicateNodesAreReported) {
  ReadResult result = read(R"(name: t
topology:
  nodes:
    r1: {kind: linux}
    r1: {kind: linux}
)");
  EXPECT_TRUE(
      has_error(result, 5, 5, "topology.nodes.r1", {"duplicate node 'r1', first at line 4"}));
}

TEST(ClabReaderTest, KindsMustBeKnownWhereverTheyAreGiven) {
  ReadResult result = read(R"(name: t
topology:
  defaults:
    kind: linx
  kinds:
    nokia_srlinx: {}
  nodes:
    r1:
      kind: nokia_srlinux
    r2:
)");
  EXPECT_TRUE(has_error(result, 4, 11, "topology.defaults.kind",
                        {"unknown kind 'linx'", "did you mean 'linux'?"}));
  EXPECT_TRUE(
      has_error(result, 6, 5, "topology.kinds.nokia_srlinx", {"did you mean 'nokia_srlinux'?"}));
  EXPECT_EQ(result.errors.size(), 2u) << model::format_diagnostics(result.errors);
}

TEST(ClabReaderTest, WrongValueTypesAreReportedAtTheValue) {
  ReadResult result = read(R"(name: t
topology:
  nodes:
    r1:
      kind: [linux]
      exec: ls
      labels: [a]
      binds:
        - /only/one/path
)");
  EXPECT_TRUE(
      has_error(result, 5, 13, "topology.nodes.r1.kind", {"expected a string, got a list"}));
  EXPECT_TRUE(has_error(result, 6, 13, "topology.nodes.r1.exec", {"expected a list"}));
  EXPECT_TRUE(has_error(result, 7, 15, "topology.nodes.r1.labels", {"expected a map"}));
  EXPECT_TRUE(
      has_error(result, 9, 11, "topology.nodes.r1.binds[0]", {"'/only/one/path' is not a bind"}));
}

}  // namespace
}  // namespace blastlab::clab
