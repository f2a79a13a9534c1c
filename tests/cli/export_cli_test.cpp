// `blastlab export clab` end to end, no root and no lab: what it writes and prints, and that
// bad input exits 2 at its file:line:col with nothing written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/cli/cli_support.hpp"

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;

class ExportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("blastlab-export-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    return names;
  }

  fs::path dir_;
};

TEST_F(ExportCliTest, WritesTheLabAndSaysHowToRunIt) {
  std::string out = (dir_ / "fb-clab").string();
  auto r = blastlab({"export", "clab", source("topologies/fb-2021.yaml"), "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(fs::is_regular_file(out + "/fb-2021.clab.yml"));
  EXPECT_TRUE(fs::is_regular_file(out + "/netem.sh"));
  EXPECT_TRUE(fs::is_regular_file(out + "/image/Dockerfile"));
  EXPECT_TRUE(fs::is_regular_file(out + "/image/blastlab-healthd"));
  EXPECT_TRUE(fs::is_regular_file(out + "/nodes/dns1/healthd.json"));
  EXPECT_NE(r.out.find("(32 nodes, 55 links) to " + out + "/fb-2021.clab.yml"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("docker build -t blastlab-node " + out + "/image"), std::string::npos);
  EXPECT_NE(r.out.find("containerlab deploy -t " + out + "/fb-2021.clab.yml"), std::string::npos);
  std::ifstream topology(out + "/fb-2021.clab.yml");
  std::string text((std::istreambuf_iterator<char>(topology)), {});
  EXPECT_NE(text.find("\nname: fb2021\n"), std::string::npos);
}

TEST_F(ExportCliTest, TheNameAndImagesCanBeGiven) {
  std::string out = (dir_ / "out").string();
  auto r = blastlab({"export", "clab", source("topologies/minimal.yaml"), "--out", out, "--name",
                     "mini", "--node-image", "registry.example.net/blastlab-node:1", "--frr-image",
                     "quay.io/frrouting/frr:8.4.1"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  std::ifstream topology(out + "/minimal.clab.yml");
  std::string text((std::istreambuf_iterator<char>(topology)), {});
  EXPECT_NE(text.find("\nname: mini\n"), std::string::npos) << text;
  EXPECT_NE(text.find("image: registry.example.net/blastlab-node:1\n"), std::string::npos);
  EXPECT_NE(text.find("image: quay.io/frrouting/frr:8.4.1\n"), std::string::npos);
}

TEST_F(ExportCliTest, ABadTopologyExitsTwoAtItsPlaceAndWritesNothing) {
  std::string file = source("tests/data/invalid/unknown_key.yaml");
  auto r = blastlab({"export", "clab", file, "--out", (dir_ / "out").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(file + ":3:8: nodes.r2.rol:"), std::string::npos) << r.err;
  EXPECT_TRUE(entries().empty());
}

TEST_F(ExportCliTest, ANameOrDestinationItCannotUseExitsTwo) {
  auto bad_name = blastlab({"export", "clab", source("topologies/minimal.yaml"), "--out",
                            (dir_ / "out").string(), "--name", "Bad_Name"});
  EXPECT_EQ(bad_name.exit_code, 2) << bad_name.err;
  EXPECT_TRUE(entries().empty());
  fs::create_directories(dir_ / "full");
  std::ofstream(dir_ / "full" / "mine.txt") << "mine\n";
  auto full = blastlab(
      {"export", "clab", source("topologies/minimal.yaml"), "--out", (dir_ / "full").string()});
  EXPECT_EQ(full.exit_code, 2);
  EXPECT_NE(full.err.find("exists and is not an empty directory"), std::string::npos) << full.err;
  EXPECT_EQ(std::vector<std::string>{"mine.txt"},
            (std::vector<std::string>{fs::directory_iterator(dir_ / "full")->path().filename()}));
}

}  // namespace
}  // namespace blastlab::testing
