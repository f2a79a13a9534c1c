// The overlay: roles and tags for a topology's nodes, every mistake at the overlay's
// file:line:col and nothing applied when there is one.
#include "controller/topology_load/overlay.hpp"

#include <gtest/gtest.h>

#include "controller/model/test_support.hpp"

namespace blastlab::topology_load {
namespace {

model::Topology three_nodes() {
  model::Topology t;
  t.file = "lab.clab.yml";
  for (auto [name, role] :
       {std::pair{"r1", model::Role::kRouter}, std::pair{"h1", model::Role::kHost},
        std::pair{"bb1", model::Role::kBackbone}}) {
    model::Node node;
    node.name = name;
    node.role = role;
    t.nodes.push_back(node);
  }
  t.nodes[0].measured_as = model::Role::kBackbone;  // as a label would give it
  t.nodes[0].tags = {"core"};
  return t;
}

TEST(OverlayTest, RolesAndTagsApplyOverWhatTheTopologyGave) {
  model::Topology t = three_nodes();
  auto errors = apply_overlay_text(R"(
nodes:
  r1: {role: peer, tags: [core, west]}
  h1: {role: edge}
  bb1: {role: backbone, tags: [spine]}
)",
                                   "o.yaml", t);
  ASSERT_TRUE(errors.empty()) << model::format_diagnostics(errors);
  EXPECT_EQ(t.nodes[0].measured_as, model::Role::kPeer);
  EXPECT_EQ(t.nodes[0].role, model::Role::kRouter);
  EXPECT_EQ(t.nodes[0].tags, (std::vector<std::string>{"core", "west"}));
  EXPECT_EQ(t.nodes[1].measured_as, model::Role::kEdge);
  // A generated node keeps its role; naming the same one is no change.
  EXPECT_FALSE(t.nodes[2].measured_as);
  EXPECT_EQ(t.nodes[2].tags, std::vector<std::string>{"spine"});
}

TEST(OverlayTest, EveryMistakeIsAtItsPlaceAndNothingIsApplied) {
  model::Topology t = three_nodes();
  auto errors = apply_overlay_text(R"(
nodes:
  r1: {role: peeer}
  h1: {role: router, tags: [Bad_Tag]}
  bb1: {role: peer}
  x9: {role: peer}
  h1x: {rol: peer}
)",
                                   "o.yaml", t);
  EXPECT_TRUE(model::has_error(errors, 3, 14, "nodes.r1.role", {"'peeer'", "did you mean 'peer'"}));
  EXPECT_TRUE(model::has_error(errors, 4, 14, "nodes.h1.role", {"router and host are what"}));
  EXPECT_TRUE(model::has_error(errors, 4, 29, "nodes.h1.tags[0]", {"Bad_Tag"}));
  EXPECT_TRUE(model::has_error(errors, 5, 15, "nodes.bb1.role", {"a backbone node"}));
  EXPECT_TRUE(model::has_error(errors, 6, 3, "nodes.x9", {"no node 'x9' in lab.clab.yml"}));
  EXPECT_TRUE(model::has_error(errors, 7, 3, "nodes.h1x", {"no node 'h1x'"}));
  EXPECT_EQ(t.nodes[0].measured_as, model::Role::kBackbone);
  EXPECT_EQ(t.nodes[0].tags, std::vector<std::string>{"core"});
}

TEST(OverlayTest, TheOverlaysOwnShapeIsChecked) {
  model::Topology t = three_nodes();
  EXPECT_TRUE(model::has_error(apply_overlay_text("roles: {}\n", "o.yaml", t), 1, 1, "roles",
                               {"unknown key"}));
  EXPECT_TRUE(model::has_error(apply_overlay_text("nodes:\n  r1: {tags: x}\n", "o.yaml", t), 2, 14,
                               "nodes.r1.tags", {"list"}));
  auto missing = apply_overlay_file("/nonexistent/o.yaml", t);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_NE(missing[0].message.find("cannot read"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::topology_load
