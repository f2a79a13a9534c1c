// The vtysh command lines healthd runs, and how it reports vtysh failing.
#include "agents/healthd/announcer.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "agents/healthd/test_fakes.hpp"

namespace blastlab::healthd {
namespace {

using testing::make_config;

// Answers every run with `result`, or throws when `fail_to_start`; remembers the commands.
class FakeRunner final : public proc::ProcessRunner {
 public:
  proc::RunResult run(const proc::Command& command, std::chrono::milliseconds timeout) override {
    commands.push_back(command);
    timeouts.push_back(timeout);
    if (fail_to_start) throw std::runtime_error("start vtysh: program not found");
    return result;
  }
  std::unique_ptr<proc::Process> start(const proc::Command&) override { return nullptr; }

  proc::RunResult result{.exit_code = 0};
  bool fail_to_start = false;
  std::vector<proc::Command> commands;
  std::vector<std::chrono::milliseconds> timeouts;
};

std::vector<std::string> head() {
  return {"/usr/bin/vtysh",
          "-N",
          "minimal_dns1",
          "-c",
          "configure terminal",
          "-c",
          "router bgp 65001",
          "-c",
          "address-family ipv4 unicast"};
}

std::vector<std::string> with(std::vector<std::string> argv,
                              const std::vector<std::string>& commands) {
  for (const auto& c : commands) {
    argv.push_back("-c");
    argv.push_back(c);
  }
  return argv;
}

TEST(VtyshArgvTest, AnnounceHasOneNetworkPerPrefix) {
  EXPECT_EQ(vtysh_argv(make_config(), Announcement::kAnnounced),
            with(head(), {"network 198.51.100.0/26", "network 198.51.100.64/26"}));
}

TEST(VtyshArgvTest, ConfigDirComesBeforeThePathspace) {
  Config config = make_config();
  config.vtysh_config_dir = "/run/blastlab/lab1/vtysh";
  std::vector<std::string> expected = head();
  expected.insert(expected.begin() + 1, {"--config_dir", "/run/blastlab/lab1/vtysh"});
  EXPECT_EQ(vtysh_argv(config, Announcement::kWithdrawn),
            with(expected, {"no network 198.51.100.0/26", "no network 198.51.100.64/26"}));
}

TEST(VtyshArgvTest, WithoutAPathspaceVtyshTalksToTheNodesOnlyFrr) {
  Config config = make_config();
  config.pathspace.clear();
  std::vector<std::string> expected = head();
  expected.erase(expected.begin() + 1, expected.begin() + 3);
  EXPECT_EQ(vtysh_argv(config, Announcement::kAnnounced),
            with(expected, {"network 198.51.100.0/26", "network 198.51.100.64/26"}));
}

TEST(VtyshArgvTest, DegradeAddsTheRouteMap) {
  EXPECT_EQ(vtysh_argv(make_config(), Announcement::kDegraded),
            with(head(), {"network 198.51.100.0/26 route-map HEALTHD-DEGRADE",
                          "network 198.51.100.64/26 route-map HEALTHD-DEGRADE"}));
}

TEST(VtyshArgvTest, WithdrawRemovesTheNetworks) {
  EXPECT_EQ(vtysh_argv(make_config(), Announcement::kWithdrawn),
            with(head(), {"no network 198.51.100.0/26", "no network 198.51.100.64/26"}));
}

TEST(VtyshAnnouncerTest, RunsVtyshInItsOwnNamespaceWithTheTimeout) {
  Config config = make_config();
  FakeRunner runner;
  VtyshAnnouncer announcer(config, runner);
  AnnounceResult r = announcer.apply(Announcement::kAnnounced);
  EXPECT_TRUE(r.ok) << r.error;
  ASSERT_EQ(runner.commands.size(), 1u);
  EXPECT_EQ(runner.commands[0].netns, "") << "healthd already runs in the DNS host's namespace";
  EXPECT_EQ(runner.timeouts[0], VtyshAnnouncer::kTimeout);
}

TEST(VtyshAnnouncerTest, NonZeroExitIsAnErrorWithWhatVtyshSaid) {
  Config config = make_config();
  FakeRunner runner;
  runner.result = {.exit_code = 1,
                   .out = "% Unknown command: nework\n% bad\n",
                   .err = "% Can't open configuration file /etc/frr/x/vtysh.conf\n"};
  VtyshAnnouncer announcer(config, runner);
  AnnounceResult r = announcer.apply(Announcement::kWithdrawn);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "vtysh exited with status 1: % Unknown command: nework;% bad");
}

TEST(VtyshAnnouncerTest, StderrIsTheErrorWhenStdoutIsEmpty) {
  Config config = make_config();
  FakeRunner runner;
  runner.result = {
      .exit_code = 1, .out = "\n", .err = "Exiting: failed to connect to any daemons.\n"};
  VtyshAnnouncer announcer(config, runner);
  EXPECT_EQ(announcer.apply(Announcement::kAnnounced).error,
            "vtysh exited with status 1: Exiting: failed to connect to any daemons.");
}

TEST(VtyshAnnouncerTest, TimeoutIsAnError) {
  Config config = make_config();
  FakeRunner runner;
  runner.result = {.timed_out = true};
  VtyshAnnouncer announcer(config, runner);
  EXPECT_EQ(announcer.apply(Announcement::kAnnounced).error, "vtysh timed out after 5000 ms");
}

TEST(VtyshAnnouncerTest, MissingVtyshIsAnErrorNotACrash) {
  Config config = make_config();
  FakeRunner runner;
  runner.fail_to_start = true;
  VtyshAnnouncer announcer(config, runner);
  AnnounceResult r = announcer.apply(Announcement::kAnnounced);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "start vtysh: program not found");
}

}  // namespace
}  // namespace blastlab::healthd
