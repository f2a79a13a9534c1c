// A drill's topology: the file as written, or changed by the drill's `topology-set`, with
// the changed topology's errors reported in the drill.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "controller/drill/drill.hpp"
#include "controller/model/test_support.hpp"

namespace blastlab::drill {
namespace {

namespace fs = std::filesystem;

const std::string kMinimal = std::string(BLASTLAB_SOURCE_DIR) + "/topologies/minimal.yaml";

// A drill on minimal.yaml whose topology-set is `sets` (a flow map), written to a file.
class DrillTopologyTest : public ::testing::Test {
 protected:
  void TearDown() override { fs::remove_all(dir_); }

  DrillLoadResult load(const std::string& sets) {
    fs::create_directories(dir_);
    std::string path = (dir_ / "d.yaml").string();
    std::ofstream(path) << "name: d\ntitle: t\ntopology: " << kMinimal << "\n"
                        << (sets.empty() ? "" : "topology-set: " + sets + "\n") << R"(briefing: b
faults:
  - name: f
    reveal: r
    steps:
      - link: {between: [bb1, pop1], state: down}
restored: [converged]
time-limit: 60s
)";
    return load_drill_file(path);
  }

  fs::path dir_ = fs::temp_directory_path() / ("drill-topology-test-" + std::to_string(::getpid()));
};

TEST_F(DrillTopologyTest, WithoutTopologySetTheFileAsWritten) {
  auto result = load("");
  ASSERT_TRUE(result.drill) << model::format_diagnostics(result.errors);
  std::ifstream in(kMinimal);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(result.drill->topology_text, text);
  EXPECT_EQ(result.drill->topology_path, kMinimal);
  EXPECT_FALSE(result.topology->find_node("dns1")->health);
}

TEST_F(DrillTopologyTest, TopologySetChangesTheTopologyTheLabIsBuiltFrom) {
  auto result = load("{nodes.dns1.health: {targets: [pop1], checks: [icmp]}}");
  ASSERT_TRUE(result.drill) << model::format_diagnostics(result.errors);
  const model::Topology& topology = *result.topology;
  EXPECT_EQ(topology.health_of(*topology.find_node("dns1")).targets,
            std::vector<std::string>{"pop1"});
  EXPECT_EQ(topology.health_of(*topology.find_node("dns2")).targets,
            std::vector<std::string>{"dc1"});
  EXPECT_EQ(topology.file, kMinimal);
  // The text is the changed topology, and loads as the same one.
  auto again = model::load_topology_text(result.drill->topology_text, kMinimal);
  ASSERT_TRUE(again.topology) << model::format_diagnostics(again.errors);
  EXPECT_EQ(again.topology->health_of(*again.topology->find_node("dns1")).checks,
            std::vector<std::string>{"icmp"});
}

TEST_F(DrillTopologyTest, APathTheTopologyLacksIsReportedAtItsKey) {
  auto result = load("{nodes.dns9.health: {checks: [icmp]}}");
  EXPECT_FALSE(result.drill);
  EXPECT_EQ(model::only_error(result.errors),
            (dir_ / "d.yaml").string() +
                ":4:16: topology-set.nodes.dns9.health: no `dns9` in `nodes`; it has dc1, bb1, "
                "bb2, pop1, pop2, dns1, dns2, transit1, transit2, client1");
}

// The changed topology's own checks, at the entry of topology-set that made the field.
TEST_F(DrillTopologyTest, AValueTheTopologyRefusesIsReportedAtItsEntry) {
  auto result = load("{nodes.dns1.health: {targets: [pop1]}}");
  EXPECT_FALSE(result.drill);
  EXPECT_EQ(model::only_error(result.errors),
            (dir_ / "d.yaml").string() + ":4:35: topology-set.nodes.dns1.health: " + kMinimal +
                " with this drill's topology-set: nodes.dns1.health.targets[0]: target 'pop1' is "
                "an edge node, where nothing listens for tcp, the checks of services.dns.health "
                "(only datacenter nodes run the backends); its loopback answers icmp: give dns1 "
                "`checks` without tcp, like [icmp]");
  auto not_a_map = load("[nodes.dns1.health]");
  EXPECT_FALSE(not_a_map.drill);
  EXPECT_TRUE(model::has_error(not_a_map.errors, 4, 15, "topology-set", {"expected a map"}));
}

}  // namespace
}  // namespace blastlab::drill
