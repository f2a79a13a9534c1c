#include "controller/proc/process.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace blastlab::proc {
namespace {

using std::chrono::milliseconds;

TEST(ProcessRunnerTest, CapturesOutputAndExitCode) {
  auto runner = make_process_runner();
  auto result =
      runner->run({.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"}}, milliseconds(5000));
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_FALSE(result.timed_out);
  EXPECT_EQ(result.out, "out\n");
  EXPECT_EQ(result.err, "err\n");
}

TEST(ProcessRunnerTest, PassesEnvironment) {
  auto runner = make_process_runner();
  auto result = runner->run(
      {.argv = {"sh", "-c", "printf %s \"$BLASTLAB_X\""}, .env = {{"BLASTLAB_X", "42"}}},
      milliseconds(5000));
  EXPECT_EQ(result.out, "42");
}

TEST(ProcessRunnerTest, KillsOnTimeout) {
  auto runner = make_process_runner();
  auto start = std::chrono::steady_clock::now();
  auto result = runner->run({.argv = {"sleep", "30"}}, milliseconds(100));
  EXPECT_TRUE(result.timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(ProcessRunnerTest, MissingProgramIsAnError) {
  auto runner = make_process_runner();
  try {
    (void)runner->run({.argv = {"blastlab-no-such-program"}}, milliseconds(1000));
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("blastlab-no-such-program"), std::string::npos);
  }
}

TEST(ProcessRunnerTest, MissingNamespaceIsAnError) {
  auto runner = make_process_runner();
  EXPECT_THROW(
      (void)runner->run({.argv = {"true"}, .netns = "blastlab-no-such-ns"}, milliseconds(1000)),
      std::runtime_error);
}

TEST(ProcessRunnerTest, StartedProcessIsKilledWhenDropped) {
  auto runner = make_process_runner();
  pid_t pid = 0;
  {
    auto child = runner->start({.argv = {"sleep", "30"}});
    pid = child->pid();
    EXPECT_TRUE(child->running());
  }
  EXPECT_EQ(process_start_time(pid), 0u);
}

TEST(ProcessRunnerTest, WritesToFiles) {
  auto runner = make_process_runner();
  std::string path = "/tmp/blastlab-proc-test-" + std::to_string(getpid());
  auto child = runner->start({.argv = {"sh", "-c", "echo hello"}, .stdout_path = path});
  EXPECT_EQ(child->wait(), 0);
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "hello");
  ::unlink(path.c_str());
}

// A node's output file lies in a directory FRR's user owns: a link planted there is
// refused, and what it points at is left as it was.
TEST(ProcessRunnerTest, NeverWritesOutputThroughALink) {
  auto runner = make_process_runner();
  std::string target = "/tmp/blastlab-proc-test-target-" + std::to_string(getpid());
  std::string link = "/tmp/blastlab-proc-test-link-" + std::to_string(getpid());
  std::ofstream(target) << "precious\n";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  EXPECT_THROW(runner->start({.argv = {"sh", "-c", "echo overwritten"}, .stdout_path = link}),
               std::runtime_error);
  std::ifstream in(target);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "precious");
  ::unlink(link.c_str());
  ::unlink(target.c_str());
}

TEST(TerminateRecordedTest, RefusesARecycledPid) {
  auto runner = make_process_runner();
  auto child = runner->start({.argv = {"sleep", "30"}});
  auto start = process_start_time(child->pid());
  ASSERT_NE(start, 0u);
  EXPECT_FALSE(terminate_recorded(child->pid(), start + 1, milliseconds(100)));
  EXPECT_TRUE(child->running());
  EXPECT_TRUE(terminate_recorded(child->pid(), start, milliseconds(1000)));
  EXPECT_FALSE(child->running());
}

}  // namespace
}  // namespace blastlab::proc
