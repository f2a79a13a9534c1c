#include "controller/files/safe_write.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace blastlab::files {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A directory standing for one another user owns (where links get planted), and beside it
// a precious file and directory the links point at, which must stay as they are.
class SafeWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_);
    fs::create_directories(precious_dir_);
    std::ofstream(precious_) << "precious\n";
  }
  void TearDown() override { fs::remove_all(base_); }
  void expect_precious_untouched() {
    EXPECT_EQ(slurp(precious_), "precious\n");
    EXPECT_TRUE(fs::is_empty(precious_dir_));
  }

  fs::path base_ = fs::temp_directory_path() / ("safe-write-test-" + std::to_string(::getpid()));
  fs::path dir_ = base_ / "out";
  fs::path precious_ = base_ / "precious.txt";
  fs::path precious_dir_ = base_ / "precious-dir";
};

TEST_F(SafeWriteTest, WritesTheWholeFileAndLeavesNoTemporary) {
  std::string path = (dir_ / "report.json").string();
  write_file_atomically(path, "first\n", "report file");
  write_file_atomically(path, "second\n", "report file");
  EXPECT_EQ(slurp(path), "second\n");
  EXPECT_EQ((fs::status(path).permissions() & fs::perms::all),
            fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                fs::perms::others_read);
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST_F(SafeWriteTest, AStreamedFileAppearsOnlyWhenCommitted) {
  std::string path = (dir_ / "capture.pcap").string();
  {
    AtomicFile file(path, "capture");
    ASSERT_TRUE(write_all(file.fd(), "abandoned"));
  }
  EXPECT_TRUE(fs::is_empty(dir_)) << "an uncommitted file must leave nothing behind";
  AtomicFile file(path, "capture");
  ASSERT_TRUE(write_all(file.fd(), "part one, "));
  EXPECT_FALSE(fs::exists(path));
  ASSERT_TRUE(write_all(file.fd(), "part two"));
  file.commit();
  EXPECT_EQ(slurp(path), "part one, part two");
  size_t entries = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir_)) ++entries;
  EXPECT_EQ(entries, 1u);
}

TEST_F(SafeWriteTest, AStreamedFileRefusesALinkWhereItWouldGo) {
  fs::create_symlink(precious_, dir_ / "capture.pcap");
  EXPECT_THROW(AtomicFile((dir_ / "capture.pcap").string(), "capture"), std::runtime_error);
  expect_precious_untouched();
}

TEST_F(SafeWriteTest, RefusesALinkWhereTheFileWouldGo) {
  fs::create_symlink(precious_, dir_ / "report.json");
  try {
    write_file_atomically((dir_ / "report.json").string(), "overwritten\n", "report file");
    FAIL() << "wrote through a symbolic link";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("write report file " + (dir_ / "report.json").string() +
                                         ": it is a symbolic link"),
              std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(fs::is_symlink(dir_ / "report.json"));
  expect_precious_untouched();
}

// The temporary's name is fresh and made with O_EXCL: a link left at the name an earlier
// writer used (PATH.tmp) is never followed.
TEST_F(SafeWriteTest, NeverFollowsALinkAtATemporaryName) {
  fs::create_symlink(precious_, dir_ / "report.json.tmp");
  write_file_atomically((dir_ / "report.json").string(), "report\n", "report file");
  EXPECT_EQ(slurp(dir_ / "report.json"), "report\n");
  EXPECT_TRUE(fs::is_symlink(dir_ / "report.json.tmp"));
  expect_precious_untouched();
}

TEST_F(SafeWriteTest, AppendsButNeverThroughALink) {
  std::string path = (dir_ / "journal.jsonl").string();
  int fd = open_for_append(path.c_str());
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(::write(fd, "a\n", 2), 2);
  ::close(fd);
  fs::create_symlink(precious_, dir_ / "zebra.out");
  int refused = open_for_append((dir_ / "zebra.out").c_str());
  int error = errno;
  EXPECT_EQ(refused, -1);
  EXPECT_EQ(error, ELOOP);
  EXPECT_EQ(slurp(path), "a\n");
  expect_precious_untouched();
}

TEST_F(SafeWriteTest, RefusesADirectoryThatIsALink) {
  create_directories((dir_ / "a" / "b").string(), "report directory");
  EXPECT_TRUE(fs::is_directory(dir_ / "a" / "b"));
  fs::create_directory_symlink(precious_dir_, dir_ / "run1");
  for (const auto& path : {(dir_ / "run1").string(), (dir_ / "run1").string() + "/"}) {
    try {
      create_directories(path, "report directory");
      ADD_FAILURE() << path << ": took a link for the directory";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(
          std::string(e.what()).find("create report directory " + path + ": it is a symbolic link"),
          std::string::npos)
          << e.what();
    }
  }
  expect_precious_untouched();
}

}  // namespace
}  // namespace blastlab::files
