// Dotted-path sets on a YAML document, as variants' and drills' `topology-set` make them.
#include "controller/model/yaml_set.hpp"

#include <gtest/gtest.h>

namespace blastlab::model {
namespace {

constexpr const char* kDocument = R"(nodes:
  dns1: {role: dns, site: pop1}
steps:
  - name: cut
    link: {between: [bb1, pop1]}
  - wait: 1s
)";

TEST(YamlSetTest, SetsAMapsEntryNewOrNotAndAListsItemByNameOrIndex) {
  YAML::Node root = YAML::Load(kDocument);
  EXPECT_EQ(set_yaml_path(root, "nodes.dns1.health", YAML::Load("{targets: [pop1]}")), "");
  EXPECT_EQ(set_yaml_path(root, "nodes.dns1.site", YAML::Load("pop2")), "");
  EXPECT_EQ(set_yaml_path(root, "steps.cut.link.state", YAML::Load("down")), "");
  EXPECT_EQ(set_yaml_path(root, "steps.1", YAML::Load("{wait: 2s}")), "");
  EXPECT_EQ(root["nodes"]["dns1"]["health"]["targets"][0].as<std::string>(), "pop1");
  EXPECT_EQ(root["nodes"]["dns1"]["site"].as<std::string>(), "pop2");
  EXPECT_EQ(root["steps"][0]["link"]["state"].as<std::string>(), "down");
  EXPECT_EQ(root["steps"][1]["wait"].as<std::string>(), "2s");
  // The emitted text reads back as the changed document.
  YAML::Node again = YAML::Load(emit_yaml(root));
  EXPECT_EQ(again["nodes"]["dns1"]["health"]["targets"][0].as<std::string>(), "pop1");
}

TEST(YamlSetTest, APathThatDoesNotFitSaysWhatIsThere) {
  YAML::Node root = YAML::Load(kDocument);
  EXPECT_EQ(set_yaml_path(root, "nodes.dns9.health", YAML::Load("{}")),
            "no `dns9` in `nodes`; it has dns1");
  EXPECT_EQ(set_yaml_path(root, "steps.stop.link", YAML::Load("{}")),
            "no item named or numbered `stop` in `steps`; it has cut, 1");
  EXPECT_EQ(set_yaml_path(root, "nodes.dns1.role.x", YAML::Load("1")),
            "`nodes.dns1.role` is a single value, not a map or list: `x` cannot go below it");
  EXPECT_EQ(set_yaml_path(root, "nodes..dns1", YAML::Load("1")),
            "'nodes..dns1' is not a dotted path like services.dns.health.action");
}

}  // namespace
}  // namespace blastlab::model
