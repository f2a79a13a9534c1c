#include "controller/scenario/audit.hpp"

#include <gtest/gtest.h>

namespace blastlab::scenario {
namespace {

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded =
        model::load_topology_file(std::string(BLASTLAB_SOURCE_DIR) + "/topologies/fb-2021.yaml");
    ASSERT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
    topology_ = *loaded.topology;
  }

  const Step& load(const std::string& on, const std::string& each_link) {
    std::string text = "name: x\nsteps:\n  - name: cut\n    vtysh:\n      on: " + on +
                       "\n      each-link: " + each_link +
                       "\n      config: [\"interface {{interface}}\", \" shutdown\"]\n";
    auto loaded = load_script_text(text, "s.yaml", topology_);
    EXPECT_TRUE(loaded.script) << model::format_diagnostics(loaded.errors);
    script_ = *loaded.script;
    return script_.steps.front();
  }

  model::Topology topology_;
  Script script_;
};

TEST(InterfacesShut, ReadsShutdownInsideInterfaceBlocksOnly) {
  EXPECT_EQ(interfaces_shut({"interface bb2", " shutdown", "exit", "interface pop1",
                             " description x", " shutdown", "router ospf", " shutdown"}),
            (std::vector<std::string>{"bb2", "pop1"}));
  EXPECT_EQ(interfaces_shut({"interface bb2", " no shutdown", "interface bb3"}),
            std::vector<std::string>{});
  EXPECT_EQ(interfaces_shut({"interface bb2 vrf red", "shutdown"}),
            std::vector<std::string>{"bb2"});
}

TEST(InterfacesShut, ReadsAbbreviationsAsFrrDoes) {
  EXPECT_EQ(interfaces_shut({"int bb2", " shut", "exit", "in pop1", " shu", "i dc1", " sh"}),
            (std::vector<std::string>{"bb2", "pop1", "dc1"}));
  // The last word wins, and a neighbor's shutdown is no interface's.
  EXPECT_EQ(
      interfaces_shut({"int bb2", " shut", " no shut", "router bgp 64500", " nei 198.18.0.1 shut"}),
      std::vector<std::string>{});
}

TEST_F(AuditTest, TheWholeCutIsEveryBackboneLinkAndIsRefusedWithoutTheBug) {
  const Step& cut = load("role:backbone", "[role:backbone, role:edge, role:datacenter]");
  AuditVerdict v = audit_change({.change = "cut", .max_cut = 0.5, .bug = false}, cut, topology_);
  // fb-2021: 4 backbone-to-backbone, 8 data-center and 16 PoP links; not the exchange's.
  EXPECT_EQ(v.backbone_links, 28);
  EXPECT_EQ(v.links_cut, 28);
  EXPECT_DOUBLE_EQ(v.cut_share, 1.0);
  EXPECT_FALSE(v.pass);
  EXPECT_EQ(v.detail, "'cut' cuts 28 of 28 backbone links (100%), over the limit 50%: refused");
}

TEST_F(AuditTest, The2021BugJudgesEachRoutersPartAloneAndPasses) {
  const Step& cut = load("role:backbone", "[role:backbone, role:edge, role:datacenter]");
  AuditVerdict v = audit_change({.change = "cut", .max_cut = 0.5, .bug = true}, cut, topology_);
  EXPECT_TRUE(v.pass);
  EXPECT_EQ(v.largest_router, "bb1");  // 8 links: bb2, bb3, dc1, dc2, pop1-4
  EXPECT_NEAR(v.largest_router_share, 8.0 / 28, 1e-9);
  EXPECT_EQ(v.detail,
            "'cut' cuts 28 of 28 backbone links (100%); judged router by router (the 2021 bug), "
            "the largest part is bb1's 29% within the limit 50%: passed");
}

TEST_F(AuditTest, ASmallChangePassesEitherWay) {
  const Step& cut = load("bb1", "pop1");
  for (bool bug : {false, true}) {
    AuditVerdict v = audit_change({.change = "cut", .max_cut = 0.25, .bug = bug}, cut, topology_);
    EXPECT_TRUE(v.pass) << v.detail;
    EXPECT_EQ(v.links_cut, 1);
  }
}

TEST_F(AuditTest, LinksToPeersAreNotBackboneCapacity) {
  const Step& cut = load("bb1", "role:peer");
  AuditVerdict v = audit_change({.change = "cut", .max_cut = 0.01, .bug = false}, cut, topology_);
  EXPECT_EQ(v.links_cut, 0);
  EXPECT_TRUE(v.pass);
}

}  // namespace
}  // namespace blastlab::scenario
