// The topology through the conversion: its name, what the management network becomes, and
// whole files (the reader's test lab, the shipped example) converting as a lab would.
#include "controller/clab/convert.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "controller/clab/convert_test_support.hpp"

namespace blastlab::clab {
namespace {

TEST_F(ConvertTest, TheClabNameIsTheLabNameWhenItCanBeOne) {
  auto result = convert_here("name: ospf-lab\ntopology:\n  nodes:\n    h1: {kind: linux}\n");
  EXPECT_EQ(converted(result).name, "ospf-lab");
  EXPECT_EQ(converted(result).file, path("t.clab.yml"));
  EXPECT_TRUE(result.warnings.empty()) << model::format_diagnostics(result.warnings);
}

TEST_F(ConvertTest, AClabNameThatCannotNameALabAsksForName) {
  for (const char* name : {"My_Lab", "a-name-too-long-for-a-lab"}) {
    auto result =
        convert_here(fmt::format("name: {}\ntopology:\n  nodes:\n    h1: {{kind: linux}}\n", name));
    EXPECT_EQ(converted(result).name, "") << name;
    EXPECT_TRUE(has_warning(result, 1, 7, "name", {name, "--name"}));
  }
}

TEST_F(ConvertTest, TheManagementNetworkAndAddressesAreWarnings) {
  auto result = convert_here(R"(name: t
mgmt:
  network: custom
  ipv4-subnet: 192.0.2.0/24
topology:
  nodes:
    h1: {kind: linux, mgmt-ipv4: 192.0.2.10, mgmt-ipv6: "2001:db8::10"}
)");
  converted(result);
  EXPECT_TRUE(has_warning(result, 2, 1, "mgmt", {"no management network"}));
  EXPECT_TRUE(has_warning(result, 7, 34, "topology.nodes.h1.mgmt-ipv4", {"192.0.2.10"}));
  EXPECT_TRUE(has_warning(result, 7, 57, "topology.nodes.h1.mgmt-ipv6", {"ignored"}));
}

TEST_F(ConvertTest, ReadErrorsComeThroughUnconverted) {
  auto result = convert_here("name: t\ntopology:\n  nodes:\n    h1: {kind: lnux}\n");
  EXPECT_TRUE(has_error(result, 4, 16, "topology.nodes.h1.kind", {"unknown kind"}));
  EXPECT_FALSE(result.topology);
}

TEST(ClabConvertFileTest, TheReadersLabNamesTheConfigurationsItLacks) {
  // frr5.clab.yml names configs/ that the test data does not ship: each missing file is an
  // error at the bind that names it, and the routers' sysctl exec line is no error at all.
  auto result =
      load_clab_file(BLASTLAB_SOURCE_DIR "/controller/clab/testdata/frr5.clab.yml", {}, {});
  EXPECT_TRUE(has_error(result, 18, 11, "topology.groups.routers.binds[0]",
                        {"FRR daemons file", "does not exist"}));
  EXPECT_TRUE(has_error(result, 31, 11, "topology.nodes.r1.binds[0]",
                        {"FRR configuration", "configs/r1/frr.conf"}));
  for (const auto& e : result.errors) EXPECT_EQ(e.field.find("exec"), std::string::npos) << e.str();
}

TEST(ClabConvertFileTest, TheShippedExampleConvertsWithItsRoutersHostsAndPeers) {
  const std::string dir = BLASTLAB_SOURCE_DIR "/topologies";
  auto result = load_clab_file(dir + "/ospf-bgp.clab.yml", {}, {});
  const model::Topology& t = converted(result);
  EXPECT_EQ(t.name, "ospf-bgp");
  ASSERT_EQ(t.nodes.size(), 9u);
  for (const char* name : {"r1", "r2", "r3", "r4", "r5"}) {
    const model::Node& r = *t.find_node(name);
    EXPECT_EQ(r.role, model::Role::kRouter) << name;
    EXPECT_EQ(r.frr->config, dir + "/ospf-bgp/" + name + ".conf");
    EXPECT_EQ(r.frr->daemons, dir + "/ospf-bgp/daemons");
    EXPECT_FALSE(r.measured_as) << name;
  }
  for (const char* name : {"x1", "x2"}) {
    const model::Node& x = *t.find_node(name);
    EXPECT_EQ(x.frr->config, dir + "/ospf-bgp/" + name + ".conf");  // kind frr's startup-config
    EXPECT_EQ(x.measured_as, model::Role::kPeer) << name;
  }
  for (const char* name : {"h1", "h2"}) {
    const model::Node& h = *t.find_node(name);
    EXPECT_EQ(h.role, model::Role::kHost);
    ASSERT_EQ(h.exec.size(), 2u);
    EXPECT_TRUE(h.exec[0].ip && h.exec[1].ip) << name;
  }
  ASSERT_EQ(t.links.size(), 11u);
  const model::Link& x1x2 = t.links[8];
  EXPECT_EQ(x1x2.a.address->str(), "198.18.2.4/31");
  EXPECT_EQ(x1x2.b.address->str(), "198.18.2.5/31");
  for (const auto& link : t.links) EXPECT_EQ(link.mtu, kDefaultLinkMtu);
  // What differs from containerlab: the images that are not run, one warning per level.
  ASSERT_EQ(result.warnings.size(), 3u) << model::format_diagnostics(result.warnings);
  EXPECT_EQ(result.warnings[0].field, "topology.kinds.linux.image");
  EXPECT_EQ(result.warnings[1].field, "topology.groups.outside.image");
  EXPECT_EQ(result.warnings[2].field, "topology.groups.hosts.image");
}

}  // namespace
}  // namespace blastlab::clab
