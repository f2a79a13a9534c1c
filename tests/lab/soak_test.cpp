// Reliability: many labs in a row leave the host as they found it, and so does a controller
// killed with SIGKILL in the middle of a run once `down --all` has cleaned up after it.
// Bounded in count and time (well under three minutes on two cores).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/lab/lab_fixture.hpp"

namespace blastlab::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class SoakTest : public LabTest {
 protected:
  // The host as before the test, once every lab of this test is down.
  void expect_host_as_before(const std::string& when) {
    HostSnapshot after = HostSnapshot::take();
    EXPECT_EQ(before_.diff(after), "") << when;
  }
  // Run directories left under this test's run directory: labs not removed.
  std::vector<std::string> lab_directories() {
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(run_dir_))
      if (entry.is_directory()) left.push_back(entry.path().filename().string());
    std::sort(left.begin(), left.end());
    return left;
  }
};

constexpr const char* kShortRun = R"(name: short
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {after: 1s, rollback: cut}
expect:
  - steps.failed == 0
)";

TEST_F(SoakTest, RepeatedUpDownAndRunsLeaveNothingBehind) {
  std::string topology = source_path("topologies/minimal.yaml");
  for (int i = 0; i < 4; ++i) {
    std::string lab = lab_name("soak" + std::to_string(i));
    auto up = blastlab({"up", topology, "--name", lab}, std::chrono::seconds(90));
    ASSERT_EQ(up.exit_code, 0) << "cycle " << i << ": " << up.out << up.err;
    auto down = blastlab({"down", lab});
    ASSERT_EQ(down.exit_code, 0) << "cycle " << i << ": " << down.out << down.err;
    expect_host_as_before("after up/down cycle " + std::to_string(i));
  }
  std::string script = write_file("short.yaml", kShortRun);
  for (int i = 0; i < 2; ++i) {
    std::string out = run_dir_ + "/out-" + std::to_string(i);
    auto run = blastlab({"run", topology, script, "--out", out, "--name", lab_name("sr")},
                        std::chrono::seconds(120));
    EXPECT_EQ(run.exit_code, 0) << "run " << i << ": " << run.out << run.err;
    expect_host_as_before("after run " + std::to_string(i));
  }
  EXPECT_EQ(lab_directories(), (std::vector<std::string>{"out-0", "out-1"}));
}

TEST_F(SoakTest, AControllerKilledMidRunIsCleanedUpByDownAll) {
  std::string script = write_file("long.yaml", R"(name: long
probes: {dns: {rate: 5}}
baseline: 1s
observe: 1s
steps:
  - {name: cut, link: {between: [bb1, pop1], state: down}}
  - {after: 60s, rollback: cut}
)");
  std::string lab = lab_name("kill");
  auto run = start_blastlab({"run", source_path("topologies/minimal.yaml"), script, "--out",
                             run_dir_ + "/out", "--name", lab},
                            run_dir_ + "/run.log");
  // Killed once the change is applied and the probes run: the worst moment to die.
  ASSERT_TRUE(wait_for_step(run_dir_ + "/" + lab, "cut", *run, std::chrono::seconds(90)))
      << "the change never ran";
  ASSERT_EQ(::kill(run->pid(), SIGKILL), 0);
  ASSERT_TRUE(run->wait_for(std::chrono::seconds(10)));
  // The lab, its daemons and the run's agents outlive the controller ...
  auto status = blastlab({"status"});
  EXPECT_NE(status.out.find(lab), std::string::npos) << status.out;
  // ... until down --all, which ends them by the lab's own records.
  auto down = blastlab({"down", "--all"});
  EXPECT_EQ(down.exit_code, 0) << down.out << down.err;
  expect_host_as_before("after down --all");
  EXPECT_EQ(lab_directories(), (std::vector<std::string>{})) << "the lab's directory is gone";
}

}  // namespace
}  // namespace blastlab::testing
