// Writing an export: all of it or nothing, never over what someone has in the destination,
// never through a link, the scripts executable and the agents in the image's build context.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "controller/clab_export/test_support.hpp"

namespace blastlab::clab_export {
namespace {

namespace fs = std::filesystem;

class WriteExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "clab-export-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    agents_ = dir_ / "bin";
    fs::create_directories(agents_);
    for (const auto& agent : agent_programs()) std::ofstream(agents_ / agent) << "#!agent\n";
    exported_ = testing::export_of("topologies/minimal.yaml");
  }
  void TearDown() override { fs::remove_all(dir_); }

  static mode_t mode_of(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
  }
  // Every entry under dir_ but the agents' directory.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) {
      if (e.path() != agents_) names.push_back(e.path().filename().string());
    }
    return names;
  }

  fs::path dir_;
  fs::path agents_;
  Export exported_;
};

TEST_F(WriteExportTest, WritesEveryFileAndCopiesTheAgentsIntoTheImage) {
  write_export(exported_, (dir_ / "out").string(), agents_.string());
  for (const auto& file : exported_.files) {
    EXPECT_TRUE(fs::is_regular_file(dir_ / "out" / file.path)) << file.path;
    EXPECT_EQ(mode_of(dir_ / "out" / file.path), file.executable ? 0755u : 0644u) << file.path;
  }
  EXPECT_TRUE(fs::exists(dir_ / "out" / "minimal.clab.yml"));
  EXPECT_EQ(mode_of(dir_ / "out" / "netem.sh"), 0755u);
  for (const auto& agent : agent_programs()) {
    EXPECT_EQ(mode_of(dir_ / "out" / "image" / agent), 0755u) << agent;
  }
  EXPECT_EQ(mode_of(dir_ / "out"), 0755u);
  EXPECT_EQ(entries(), std::vector<std::string>{"out"});  // no temporary left beside it
}

TEST_F(WriteExportTest, AnEmptyDestinationIsFilledAndANonEmptyOneRefused) {
  fs::create_directories(dir_ / "empty");
  write_export(exported_, (dir_ / "empty").string(), agents_.string());
  EXPECT_TRUE(fs::exists(dir_ / "empty" / "minimal.clab.yml"));
  fs::create_directories(dir_ / "full");
  std::ofstream(dir_ / "full" / "mine.txt") << "mine\n";
  EXPECT_THROW(write_export(exported_, (dir_ / "full").string(), agents_.string()),
               std::invalid_argument);
  EXPECT_TRUE(fs::exists(dir_ / "full" / "mine.txt"));
  EXPECT_FALSE(fs::exists(dir_ / "full" / "minimal.clab.yml"));
}

TEST_F(WriteExportTest, ALinkIsRefused) {
  fs::create_directories(dir_ / "target");
  fs::create_directory_symlink(dir_ / "target", dir_ / "link");
  EXPECT_THROW(write_export(exported_, (dir_ / "link").string(), agents_.string()),
               std::invalid_argument);
  EXPECT_TRUE(fs::is_empty(dir_ / "target"));
}

TEST_F(WriteExportTest, AFailureLeavesNothingBehind) {
  fs::remove(agents_ / "blastlab-healthd");
  try {
    write_export(exported_, (dir_ / "out").string(), agents_.string());
    FAIL() << "wrote an export without healthd";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("agent blastlab-healthd is not in"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(entries(), std::vector<std::string>{});
}

}  // namespace
}  // namespace blastlab::clab_export
