// Change scripts at the command line, without root: a malformed script makes `validate` and
// `run` exit 2 naming the file, line and field, before anything is built; the scripts
// shipped in scripts/ validate against their topologies.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/cli/cli_support.hpp"

namespace blastlab::testing {
namespace {

class ScriptCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("script-cli-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    bad_ = (dir_ / "bad.yaml").string();
    std::ofstream(bad_) << "name: bad\nsteps:\n  - link: {between: [bb1, pop1], state: sideways}\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string bad_;
};

TEST_F(ScriptCliTest, ShippedScriptsValidate) {
  auto result = blastlab(
      {"validate", source("topologies/minimal.yaml"), source("scripts/backbone-shutdown.yaml")});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("backbone-shutdown.yaml: ok (6 steps, 4 expectations)"),
            std::string::npos)
      << result.out;
}

TEST_F(ScriptCliTest, TheReachabilityExampleValidatesAndABadReachProbeExitsTwo) {
  auto result = blastlab(
      {"validate", source("topologies/reach.yaml"), source("scripts/reach-link-down.yaml")});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  std::string bad = (dir_ / "reach.yaml").string();
  std::ofstream(bad) << "name: r\nprobes:\n  reach: [{from: c1, to: t3, proto: tcp, port: 0}]\n"
                        "steps:\n  - stop: t1\n";
  for (const char* command : {"validate", "run"}) {
    result = blastlab({command, source("topologies/reach.yaml"), bad});
    EXPECT_EQ(result.exit_code, 2) << command << ": " << result.out << result.err;
    EXPECT_NE(result.err.find(bad + ":3:48: probes.reach[0].port:"), std::string::npos)
        << command << ": " << result.err;
  }
}

TEST_F(ScriptCliTest, AMalformedScriptExitsTwoNamingFileLineAndField) {
  for (const char* command : {"validate", "run"}) {
    auto result = blastlab({command, source("topologies/minimal.yaml"), bad_});
    EXPECT_EQ(result.exit_code, 2) << command << ": " << result.out << result.err;
    EXPECT_NE(result.err.find(bad_ + ":3:41: steps[0].link.state: expected up or down, got "
                                     "'sideways'"),
              std::string::npos)
        << command << ": " << result.err;
  }
}

TEST_F(ScriptCliTest, AValueAnAgentWouldRefuseExitsTwoBeforeAnythingIsBuilt) {
  std::string fast = (dir_ / "fast.yaml").string();
  std::ofstream(fast) << "name: fast\nprobes:\n  dns: {rate: 5000/s}\nsteps:\n  - stop: bb1\n";
  for (const char* command : {"validate", "run"}) {
    auto result = blastlab({command, source("topologies/minimal.yaml"), fast});
    EXPECT_EQ(result.exit_code, 2) << command << ": " << result.out << result.err;
    EXPECT_NE(result.err.find(fast + ":3:15: probes.dns.rate: expected a rate like 10 or 10/s, "
                                     "queries per second per target, from 0.01 to 1000"),
              std::string::npos)
        << command << ": " << result.err;
  }
}

TEST_F(ScriptCliTest, TheReferenceExperimentsScriptsValidate) {
  for (const char* script : {"scripts/fb-2021-audit.yaml", "scripts/fb-2021-staged.yaml"}) {
    auto result = blastlab({"validate", source("topologies/fb-2021.yaml"), source(script)});
    EXPECT_EQ(result.exit_code, 0) << script << ": " << result.out << result.err;
  }
}

TEST_F(ScriptCliTest, ABadVariantMakesCompareExitTwoBeforeAnythingIsBuilt) {
  std::string variants = (dir_ / "whatifs.yaml").string();
  std::ofstream(variants)
      << "name: w\ntopology: " << source("topologies/fb-2021.yaml")
      << "\nscript: " << source("scripts/fb-2021-audit.yaml")
      << "\nvariants:\n  - name: a\n    topology-set: {services.dns.helth.rise: "
         "3}\n";
  std::string out = (dir_ / "out").string();
  auto result = blastlab({"compare", variants, "--out", out});
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find(variants + ":6:20: variants[0].topology-set.services.dns.helth.rise: "
                                       "no `helth` in `services.dns`"),
            std::string::npos)
      << result.err;
  EXPECT_FALSE(std::filesystem::exists(out));
  auto only = blastlab({"compare", source("scripts/fb-2021-whatifs.yaml"), "--only", "nope"});
  EXPECT_EQ(only.exit_code, 2) << only.err;
  EXPECT_NE(only.err.find("--only: no variant named 'nope'"), std::string::npos) << only.err;
}

TEST_F(ScriptCliTest, RunRefusesABadFlagWithExitTwo) {
  auto result = blastlab({"run", source("topologies/minimal.yaml"),
                          source("scripts/backbone-shutdown.yaml"), "--timeout", "soon"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("--timeout 'soon'"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace blastlab::testing
