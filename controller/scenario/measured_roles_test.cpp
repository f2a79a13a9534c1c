// A user's network measured through roles it is given (`measure-as`, a containerlab
// label, an overlay): `role:X` selects the routers and hosts measured as X, the default
// vantage points are the nodes measured as peers, and the user's routers take vtysh steps.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "controller/scenario/script.hpp"
#include "controller/scenario/selector.hpp"

namespace blastlab::scenario {
namespace {

const model::Topology& user_network() {
  static const model::Topology topology = [] {
    std::string config = std::string(BLASTLAB_SOURCE_DIR) + "/topologies/ospf-bgp/r1.conf";
    auto loaded = model::load_topology_text(fmt::format(R"(
nodes:
  r1: {{role: router, frr: {{config: {0}}}}}
  x1: {{role: router, frr: {{config: {0}}}, measure-as: peer}}
  x2: {{role: router, frr: {{config: {0}}}, measure-as: peer}}
  h1: {{role: host}}
links:
  - ["r1:eth1", "x1:eth1"]
  - ["r1:eth2", "x2:eth1"]
  - ["h1:eth1", "r1:eth3"]
)",
                                                        config),
                                            "user.yaml");
    EXPECT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
    return loaded.topology ? *loaded.topology : model::Topology{};
  }();
  return topology;
}

TEST(MeasuredRolesTest, RoleSelectorsMatchTheRoleANodeIsMeasuredAs) {
  std::string error;
  auto peers = resolve_term(user_network(), "role:peer", &error);
  ASSERT_TRUE(peers) << error;
  EXPECT_EQ(*peers, (std::vector<std::string>{"x1", "x2"}));
  auto routers = resolve_term(user_network(), "role:router", &error);
  ASSERT_TRUE(routers) << error;
  EXPECT_EQ(*routers, (std::vector<std::string>{"r1", "x1", "x2"}));
  EXPECT_FALSE(resolve_term(user_network(), "role:client", &error));
  EXPECT_NE(error.find("selects no node"), std::string::npos) << error;
}

TEST(MeasuredRolesTest, DefaultVantagePointsAreTheNodesMeasuredAsPeers) {
  auto loaded = load_script_text(R"(name: t
steps:
  - name: cut
    vtysh: {on: role:router, config: ["interface eth1", " shutdown"]}
  - rollback: cut
)",
                                 "s.yaml", user_network());
  ASSERT_TRUE(loaded.script) << model::format_diagnostics(loaded.errors);
  EXPECT_EQ(loaded.script->routes.at.nodes, (std::vector<std::string>{"x1", "x2"}));
  EXPECT_EQ(loaded.script->steps[0].vtysh.on.nodes, (std::vector<std::string>{"r1", "x1", "x2"}));
}

// Any node's routing table may be watched (a host's default route too), but vtysh needs FRR.
TEST(MeasuredRolesTest, AHostsRoutesMayBeWatchedButItTakesNoVtysh) {
  auto loaded = load_script_text(R"(name: t
probes:
  routes: {at: h1}
steps:
  - vtysh: {on: h1, config: ["router ospf"]}
)",
                                 "s.yaml", user_network());
  EXPECT_FALSE(loaded.script);
  ASSERT_EQ(loaded.errors.size(), 1u) << model::format_diagnostics(loaded.errors);
  EXPECT_EQ(loaded.errors[0].mark.line, 5);
  EXPECT_NE(loaded.errors[0].message.find("nodes that run FRR take vtysh"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::scenario
