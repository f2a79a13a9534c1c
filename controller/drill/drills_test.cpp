// Every drill shipped in drills/ loads against its topology.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "controller/drill/drill.hpp"

namespace blastlab::drill {
namespace {

TEST(Drills, EveryShippedDrillIsValid) {
  std::filesystem::path dir = std::filesystem::path(BLASTLAB_SOURCE_DIR) / "drills";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    auto result = load_drill_file(entry.path().string());
    EXPECT_TRUE(result.drill) << model::format_diagnostics(result.errors);
    if (!result.drill) continue;
    EXPECT_EQ(result.drill->name, entry.path().stem().string());
    for (const auto& fault : result.drill->faults)
      EXPECT_FALSE(fault.reveal.empty()) << entry.path() << ": " << fault.name;
    EXPECT_FALSE(result.drill->hints.empty()) << entry.path();
    EXPECT_LE(result.drill->hints.size(), 3u) << entry.path();
  }
  EXPECT_EQ(count, 6);
}

// README's example of a drill file loads, as written, against fb-2021.
TEST(Drills, TheReadmesExampleIsValid) {
  std::filesystem::path source(BLASTLAB_SOURCE_DIR);
  std::ifstream in(source / "README.md");
  std::stringstream readme;
  readme << in.rdbuf();
  std::string text = readme.str();
  auto start = text.find("```yaml\nname: pop-uplinks");
  ASSERT_NE(start, std::string::npos);
  start += 8;
  auto end = text.find("```", start);
  ASSERT_NE(end, std::string::npos);
  std::string drill = text.substr(start, end - start);
  std::string relative = "../topologies/fb-2021.yaml";
  auto at = drill.find(relative);
  ASSERT_NE(at, std::string::npos);
  drill.replace(at, relative.size(), (source / "topologies/fb-2021.yaml").string());
  auto path = std::filesystem::temp_directory_path() / "blastlab-readme-drill.yaml";
  std::ofstream(path) << drill;
  auto result = load_drill_file(path.string());
  std::filesystem::remove(path);
  EXPECT_TRUE(result.drill) << model::format_diagnostics(result.errors);
}

// pop-uplinks puts dns3's health check at the wrong target as part of the lab's setup: an
// icmp echo to its own PoP's router; every other site keeps the topology's check of the data
// centers, and the fault is the uplinks alone.
TEST(Drills, PopUplinksPointsDns3sCheckAtItsOwnPop) {
  auto result = load_drill_file(std::string(BLASTLAB_SOURCE_DIR) + "/drills/pop-uplinks.yaml");
  ASSERT_TRUE(result.drill) << model::format_diagnostics(result.errors);
  const model::Topology& topology = *result.topology;
  model::HealthCheck dns3 = topology.health_of(*topology.find_node("dns3"));
  EXPECT_EQ(dns3.targets, std::vector<std::string>{"pop3"});
  EXPECT_EQ(dns3.checks, std::vector<std::string>{"icmp"});
  EXPECT_EQ(topology.health_of(*topology.find_node("dns7")).targets,
            (std::vector<std::string>{"dc1", "dc2", "dc3", "dc4"}));
  ASSERT_EQ(result.drill->faults.size(), 1u);
  EXPECT_EQ(result.drill->faults[0].steps.size(), 1u);
  EXPECT_NE(result.drill->topology_text.find("health: {targets: [pop3], checks: [icmp]}"),
            std::string::npos);
}

}  // namespace
}  // namespace blastlab::drill
