// `blastlab graph` end to end, without root: each format on stdout or into --out, the
// overlay's roles in the labels, and a bad topology or format exiting 2 as `validate` does.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/cli/cli_support.hpp"

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;

class GraphCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("blastlab-graph-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(GraphCliTest, EachFormatOnStdout) {
  std::string file = source("topologies/fb-2021.yaml");
  auto dot = blastlab({"graph", file});
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_EQ(dot.out.rfind("graph \"fb2021\" {\n", 0), 0u) << dot.out;
  auto mermaid = blastlab({"graph", file, "--format", "mermaid"});
  ASSERT_EQ(mermaid.exit_code, 0) << mermaid.err;
  EXPECT_EQ(mermaid.out.rfind("flowchart TB\n", 0), 0u) << mermaid.out;
  EXPECT_NE(mermaid.out.find("  n_pop1 ---|\"dns1 \u2014 pop1\"| n_dns1\n"), std::string::npos);
  auto d2 = blastlab({"graph", file, "--format", "d2"});
  ASSERT_EQ(d2.exit_code, 0) << d2.err;
  EXPECT_NE(d2.out.find("\"tr1\" -- \"tr2\": \"tr2 \u2014 tr1\"\n"), std::string::npos) << d2.out;
}

TEST_F(GraphCliTest, OutWritesTheFileAndNothingToStdout) {
  std::string out = (dir_ / "lab.d2").string();
  auto r = blastlab({"graph", source("topologies/minimal.yaml"), "--format", "d2", "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            blastlab({"graph", source("topologies/minimal.yaml"), "--format", "d2"}).out);
}

TEST_F(GraphCliTest, TheOverlaysRolesShowInTheLabels) {
  std::string overlay = (dir_ / "overlay.yaml").string();
  std::ofstream(overlay) << "nodes:\n  r4: {role: edge}\n";
  auto r = blastlab({"graph", source("topologies/ospf-bgp.clab.yml"), "--overlay", overlay});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"r4\" [label=\"r4\\nrouter (edge)\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"x1\" [label=\"x1\\nrouter (peer)\""), std::string::npos) << r.out;
}

TEST_F(GraphCliTest, ABadTopologyExitsTwoAtItsLocation) {
  std::string file = source("tests/data/invalid/bad_duration.yaml");
  auto r = blastlab({"graph", file, "--format", "mermaid"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(file + ":6:12: links[0].delay: "), std::string::npos) << r.err;
}

TEST_F(GraphCliTest, ABadFormatExitsTwo) {
  auto r = blastlab({"graph", source("topologies/minimal.yaml"), "--format", "svg"});
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace blastlab::testing
