// A realistic containerlab FRR lab, read from a file as the CLI will read it.
#include <gtest/gtest.h>

#include "controller/clab/test_support.hpp"

namespace blastlab::clab {
namespace {

constexpr const char* kLab = BLASTLAB_SOURCE_DIR "/controller/clab/testdata/frr5.clab.yml";
constexpr const char* kDir = BLASTLAB_SOURCE_DIR "/controller/clab/testdata";

TEST(ClabLabTest, ReadsFiveFrrRoutersAndTwoHosts) {
  ReadResult result = read_clab_file(kLab);
  const Topology& topology = loaded(result);
  EXPECT_EQ(topology.name.value, "frr5");
  EXPECT_EQ(topology.directory, kDir);
  ASSERT_EQ(topology.nodes.size(), 7u);
  for (const char* name : {"r1", "r2", "r3", "r4", "r5"}) {
    const Node& router = *topology.find_node(name);
    EXPECT_EQ(router.node_class, NodeClass::kFrr) << name;
    EXPECT_EQ(router.frr_files.frr_conf->value,
              std::string(kDir) + "/configs/" + name + "/frr.conf");
    EXPECT_EQ(router.frr_files.daemons->value, std::string(kDir) + "/configs/daemons");
    EXPECT_EQ(router.frr_files.daemons->field, "topology.groups.routers.binds[0]");
    EXPECT_EQ(router.exec.size(), 1u);
    EXPECT_EQ(router.network_mode->value, "none");
  }
  EXPECT_EQ(topology.find_node("r1")->label("blastlab.role")->value, "backbone");
  EXPECT_EQ(topology.find_node("r4")->label("blastlab.role")->value, "edge");
  EXPECT_TRUE(at(topology.find_node("r4")->label("blastlab.role")->mark, 43, 24));

  const Node& h1 = *topology.find_node("h1");
  EXPECT_EQ(h1.node_class, NodeClass::kHost);
  EXPECT_EQ(h1.image->value, "nicolaka/netshoot:v0.13");
  EXPECT_EQ(h1.label("blastlab.role")->value, "client");
  ASSERT_EQ(h1.exec.size(), 2u);
  EXPECT_EQ(h1.exec[1].value, "ip route replace default via 192.0.2.1");

  ASSERT_EQ(topology.links.size(), 8u);
  const Link& chord = topology.links[5];
  EXPECT_EQ(chord.mtu->value, 9000);
  EXPECT_EQ(chord.endpoints[1].ipv4->value.str(), "198.18.1.11/31");
  EXPECT_EQ(topology.links[4].endpoints[1].ipv4->value.str(), "198.18.1.9/31");
  for (const auto& link : topology.links) EXPECT_EQ(link.type, LinkType::kVeth);
  EXPECT_TRUE(topology.notes.empty());
}

TEST(ClabLabTest, AMissingFileIsOneDiagnostic) {
  ReadResult result = read_clab_file("/nonexistent/lab.clab.yml");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].message.find("cannot read the file"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::clab
