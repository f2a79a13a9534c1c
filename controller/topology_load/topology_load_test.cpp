// Loading by suffix: containerlab files through the reader and conversion, native files as
// they were, the options reaching both, and warnings formatted for the terminal.
#include "controller/topology_load/topology_load.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "controller/model/test_support.hpp"

namespace blastlab::topology_load {
namespace {

namespace fs = std::filesystem;

class TopologyLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("blastlab-topology-load-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "configs");
    std::ofstream(dir_ / "configs" / "r1.conf") << "hostname r1\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  fs::path dir_;
};

constexpr const char* kClab = R"(name: t
mgmt: {network: custom}
topology:
  nodes:
    r1: {kind: frr, startup-config: configs/r1.conf}
    h1:
      kind: linux
      exec: ["ip addr add 192.0.2.2/24 dev eth1", "touch /tmp/x"]
  links:
    - endpoints: ["r1:eth1", "h1:eth1"]
)";

TEST(TopologyLoadNamesTest, SuffixesDecideTheReaderAndTheCopysName) {
  EXPECT_TRUE(is_clab_path("labs/x.clab.yml"));
  EXPECT_TRUE(is_clab_path("x.clab.yaml"));
  EXPECT_FALSE(is_clab_path("x.yaml"));
  EXPECT_FALSE(is_clab_path("clab.yml"));
  EXPECT_EQ(copy_file_name("a/x.clab.yml"), "topology.clab.yml");
  EXPECT_EQ(copy_file_name("x.clab.yaml"), "topology.clab.yaml");
  EXPECT_EQ(copy_file_name("x.yaml"), "topology.yaml");
}

TEST_F(TopologyLoadTest, AClabFileGoesThroughTheConversionWithItsOptions) {
  std::string path = write("lab.clab.yml", kClab);
  auto refused = load_topology_file(path);
  EXPECT_FALSE(refused.topology);
  EXPECT_TRUE(
      model::has_error(refused.errors, 8, 52, "topology.nodes.h1.exec[1]", {"--trust-exec"}));
  auto trusted = load_topology_file(path, {.trust_exec = true});
  ASSERT_TRUE(trusted.topology) << model::format_diagnostics(trusted.errors);
  EXPECT_EQ(trusted.topology->nodes[0].frr->config, (dir_ / "configs" / "r1.conf").string());
  EXPECT_EQ(trusted.topology->nodes[1].exec.size(), 2u);
  ASSERT_EQ(trusted.warnings.size(), 1u);
  EXPECT_EQ(format_warnings(trusted.warnings),
            path +
                ":2:1: warning: mgmt: the management network is ignored; a blastlab lab has "
                "no management network");
}

TEST_F(TopologyLoadTest, ACopyElsewhereResolvesPathsAgainstTheOriginalsDirectory) {
  fs::create_directories(dir_ / "lab-copy");
  std::string copy = write("lab-copy/topology.clab.yml", kClab);
  auto without = load_topology_file(copy, {.trust_exec = true});
  EXPECT_TRUE(model::has_error(without.errors, 5, 37, "topology.nodes.r1.startup-config",
                               {"does not exist"}));
  auto with = load_topology_file(copy, {.base_directory = dir_.string(), .trust_exec = true});
  ASSERT_TRUE(with.topology) << model::format_diagnostics(with.errors);
  EXPECT_EQ(with.topology->nodes[0].frr->config, (dir_ / "configs" / "r1.conf").string());

  std::string native = "nodes:\n  r1: {role: router, frr: {config: configs/r1.conf}}\n";
  auto from_text = load_topology_text(native, (dir_ / "lab-copy" / "topology.yaml").string(),
                                      {.base_directory = dir_.string()});
  ASSERT_TRUE(from_text.topology) << model::format_diagnostics(from_text.errors);
  EXPECT_EQ(from_text.topology->nodes[0].frr->config, (dir_ / "configs" / "r1.conf").string());
}

TEST_F(TopologyLoadTest, ANativeFileLoadsAsBeforeAndTakesTheOverlay) {
  std::string path = write("t.yaml", R"(name: n
nodes:
  r1: {role: router, frr: {config: configs/r1.conf}}
  t1: {role: peer}
links:
  - [r1, t1]
)");
  std::string overlay = write("o.yaml", "nodes:\n  r1: {role: peer, tags: [west]}\n");
  auto result = load_topology_file(path, {.overlay = overlay});
  ASSERT_TRUE(result.topology) << model::format_diagnostics(result.errors);
  EXPECT_TRUE(result.warnings.empty());
  EXPECT_EQ(result.topology->nodes[0].measured_as, model::Role::kPeer);
  EXPECT_EQ(result.topology->nodes[0].tags, std::vector<std::string>{"west"});
}

TEST_F(TopologyLoadTest, OverlayErrorsAreTheOverlaysAndRefuseTheTopology) {
  std::string path = write("lab.clab.yml", kClab);
  std::string overlay = write("o.yaml", "nodes:\n  r2: {role: peer}\n");
  auto result = load_topology_file(path, {.trust_exec = true, .overlay = overlay});
  EXPECT_FALSE(result.topology);
  EXPECT_TRUE(
      model::has_error(result.errors, 2, 3, "nodes.r2", {"no node 'r2'", "did you mean 'r1'"}));
  EXPECT_EQ(result.errors[0].file, overlay);
}

}  // namespace
}  // namespace blastlab::topology_load
