// containerlab topologies through the CLI, without root: the shipped example validates with
// its warnings on stderr and its plan on stdout; a refused exec line, a trusting flag and a
// bad overlay end as the README says.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/cli/cli_support.hpp"

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;

class ClabCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("blastlab-clab-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }

  fs::path dir_;
};

TEST_F(ClabCliTest, TheExampleValidatesWithItsWarningsAndPlan) {
  std::string file = source("topologies/ospf-bgp.clab.yml");
  auto r = blastlab({"validate", file, "--plan"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok (9 nodes, 11 links)"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(file + ":30:14: warning: topology.kinds.linux.image: image "
                              "quay.io/frrouting/frr:8.4.1 is not run"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("x1              router (peer)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("x1:eth2 - x2:eth2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("198.18.2.4/31"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("h1              ip address add 198.51.100.10/26 dev eth1"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("frr.conf " + source("topologies/ospf-bgp/x1.conf")), std::string::npos)
      << r.out;
}

TEST_F(ClabCliTest, AShellExecLineExitsTwoUnlessTheFileIsTrusted) {
  std::string file = write("t.clab.yml", R"(name: t
topology:
  nodes:
    h1:
      kind: linux
      exec: [touch /tmp/blastlab-never]
)");
  auto refused = blastlab({"validate", file});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find(file + ":6:14: topology.nodes.h1.exec[0]: 'touch' is not supported"),
            std::string::npos)
      << refused.err;
  auto trusted = blastlab({"validate", file, "--trust-exec", "--plan"});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.err;
  EXPECT_NE(trusted.out.find("/bin/sh -c 'touch /tmp/blastlab-never'"), std::string::npos)
      << trusted.out;
  EXPECT_FALSE(fs::exists("/tmp/blastlab-never"));  // validation runs nothing
}

TEST_F(ClabCliTest, AnOverlayGivesRolesAndItsMistakesExitTwoAtTheOverlay) {
  std::string file = source("topologies/ospf-bgp.clab.yml");
  std::string good = write("good.yaml", "nodes:\n  r4: {role: edge, tags: [access]}\n");
  auto r = blastlab({"validate", file, "--overlay", good, "--plan"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("r4              router (edge)"), std::string::npos) << r.out;
  std::string bad = write("bad.yaml", "nodes:\n  r9: {role: peer}\n");
  auto refused = blastlab({"validate", file, "--overlay", bad});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find(bad + ":2:3: nodes.r9: no node 'r9'"), std::string::npos)
      << refused.err;
}

}  // namespace
}  // namespace blastlab::testing
