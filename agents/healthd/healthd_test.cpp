// The agent driven through simulated time: when it withdraws, degrades or keeps announcing,
// how its rounds are paced, and what it writes to the event log.
#include <gtest/gtest.h>
#include <signal.h>

#include <memory>

#include "agents/healthd/agent.hpp"
#include "agents/healthd/log.hpp"
#include "agents/healthd/test_fakes.hpp"

namespace blastlab::healthd {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class HealthdAgentTest : public ::testing::Test {
 protected:
  // Transitions are asserted through events; the log lines would only bury gtest's output.
  void SetUp() override { logger()->set_level(spdlog::level::warn); }
  void TearDown() override { logger()->set_level(spdlog::level::info); }

  // Runs the agent until `rounds` rounds have run, then stops it as SIGTERM would.
  void run_rounds(size_t rounds) {
    events_ = std::make_unique<EventLog>(events_path(), config.node, clock);
    Agent agent(config, clock, checker, announcer, *events_);
    std::atomic<int> stop{0};
    clock.on_sleep = [&] {
      if (checker.round_starts.size() >= rounds) stop = SIGTERM;
    };
    agent.run(stop);
    final_announcement = agent.announcement();
  }
  // Backends (or, for `kind`, that check) pass before `t` and fail from then on.
  void fail_from(Clock::duration t, std::optional<CheckKind> kind = std::nullopt) {
    checker.verdict = [this, t, kind](const CheckSpec& spec, Clock::TimePoint at) {
      if (kind && spec.kind != *kind) return true;
      return at < clock.start + t;
    };
  }
  void fail_between(Clock::duration from, Clock::duration to) {
    checker.verdict = [this, from, to](const CheckSpec&, Clock::TimePoint at) {
      return at < clock.start + from || at >= clock.start + to;
    };
  }
  std::string events_path() const { return dir_.file("events/healthd-dns1.jsonl"); }
  std::vector<json> events(const std::string& kind = "") const {
    std::vector<json> all = testing::read_events(events_path()), selected;
    for (const json& e : all) {
      if (kind.empty() || e["event"] == kind) selected.push_back(e);
    }
    return selected;
  }
  std::vector<Announcement> calls() const {
    std::vector<Announcement> wanted;
    for (const auto& call : announcer.calls) wanted.push_back(call.wanted);
    return wanted;
  }
  std::vector<std::string> site_states() const {
    std::vector<std::string> states;
    for (const json& e : events("site")) states.push_back(e["state"]);
    return states;
  }
  int64_t since_start_us(const json& event) const {
    return event["ts"].get<int64_t>() - testing::FakeClock::kRealtimeStartUs;
  }

  Config config = testing::make_config();
  testing::FakeClock clock;
  testing::FakeChecker checker{clock};
  testing::FakeAnnouncer announcer{clock};
  Announcement final_announcement = Announcement::kWithdrawn;

 private:
  testing::TempDir dir_;
  std::unique_ptr<EventLog> events_;
};

TEST_F(HealthdAgentTest, AnnouncesAfterRiseRoundsAndWithdrawsAtTheFallthFailure) {
  fail_from(10'300ms);  // rounds run at whole seconds: 11 s is the first to fail
  run_rounds(20);
  ASSERT_EQ(calls(), (std::vector{Announcement::kAnnounced, Announcement::kWithdrawn}));
  // Rise 2: the second round (1 s) brings the targets up; the run costs 20 + 30 ms.
  EXPECT_EQ(clock.us_since_start(announcer.calls[0].done), 1'050'000);
  // Fall 3: failures seen at 11, 12 and 13 s; the third withdraws, within fall * interval
  // of the backends failing.
  int64_t withdrawn = clock.us_since_start(announcer.calls[1].done);
  EXPECT_EQ(withdrawn, 13'050'000);
  EXPECT_LE(withdrawn - 10'300'000, 3 * 1'000'000 + 50'000);
  auto withdraw = events("withdraw");
  ASSERT_EQ(withdraw.size(), 1u);
  EXPECT_EQ(since_start_us(withdraw[0]), 13'050'000) << "stamped when vtysh finished";
  EXPECT_EQ(withdraw[0]["duration_us"], 30'000);
  EXPECT_EQ(site_states(), (std::vector<std::string>{"unhealthy", "healthy", "unhealthy"}));
}

TEST_F(HealthdAgentTest, RecoveryAnnouncesAgainAfterRiseRounds) {
  fail_between(5s, 9s);  // rounds 5..8 fail, 9 and 10 pass
  run_rounds(15);
  ASSERT_EQ(calls(), (std::vector{Announcement::kAnnounced, Announcement::kWithdrawn,
                                  Announcement::kAnnounced}));
  EXPECT_EQ(clock.us_since_start(announcer.calls[1].done), 7'050'000);
  EXPECT_EQ(clock.us_since_start(announcer.calls[2].done), 10'050'000);
  auto targets = events("target");
  ASSERT_EQ(targets.size(), 6u);  // dc1 and dc2: up, down, up
  EXPECT_EQ(targets[2]["target"], "dc1");
  EXPECT_EQ(targets[2]["state"], "down");
}

TEST_F(HealthdAgentTest, OneTargetDownKeepsTheSiteHealthy) {
  checker.verdict = [](const CheckSpec& spec, Clock::TimePoint) { return spec.target == "dc2"; };
  run_rounds(10);
  EXPECT_EQ(calls(), std::vector{Announcement::kAnnounced});
  EXPECT_EQ(events("site").back()["reason"], "1 of 2 targets up");
}

TEST_F(HealthdAgentTest, FixedRateScheduleDoesNotDrift) {
  checker.round_duration = [](size_t) { return 130ms; };
  fail_between(20s, 30s);  // vtysh runs add their time to some rounds too
  run_rounds(50);
  ASSERT_EQ(checker.round_starts.size(), 50u);
  for (size_t k = 0; k < checker.round_starts.size(); ++k)
    EXPECT_EQ(checker.round_starts[k] - clock.start, int64_t(k) * 1000ms) << "round " << k;
}

TEST_F(HealthdAgentTest, AnOverrunningRoundSkipsTheSlotsItMissed) {
  checker.round_duration = [](size_t k) { return k == 3 ? 2500ms : k == 6 ? 1000ms : 20ms; };
  run_rounds(9);
  std::vector<int64_t> starts;
  for (auto t : checker.round_starts) starts.push_back((t - clock.start) / 1ms);
  // The round at 3 s ends at 5.5 s: the slots at 4 and 5 s are skipped. The round at 8 s
  // ends exactly on the 9 s slot, which has not passed yet, so that one still runs.
  EXPECT_EQ(starts, (std::vector<int64_t>{0, 1000, 2000, 3000, 6000, 7000, 8000, 9000, 10000}));
}

TEST_F(HealthdAgentTest, FailStaticKeepsAnnouncingWhenEveryBackendFails) {
  config.action = Action::kFailStatic;
  fail_between(5s, 12s);
  run_rounds(16);
  EXPECT_EQ(calls(), std::vector{Announcement::kAnnounced}) << "no vtysh run after announcing";
  EXPECT_EQ(site_states(),
            (std::vector<std::string>{"unhealthy", "healthy", "fail-static", "healthy"}));
  auto fail_static = events("site")[2];
  EXPECT_NE(fail_static["reason"].get<std::string>().find("every backend failed at once"),
            std::string::npos);
  EXPECT_EQ(since_start_us(fail_static), 7'020'000);
  EXPECT_EQ(final_announcement, Announcement::kAnnounced);
}

TEST_F(HealthdAgentTest, DegradeSwitchesToTheRouteMapAndBack) {
  config.action = Action::kDegrade;
  fail_between(5s, 12s);
  run_rounds(16);
  EXPECT_EQ(calls(), (std::vector{Announcement::kAnnounced, Announcement::kDegraded,
                                  Announcement::kAnnounced}));
  EXPECT_EQ(site_states(),
            (std::vector<std::string>{"unhealthy", "healthy", "degraded", "healthy"}));
  auto degrade = events("degrade");
  ASSERT_EQ(degrade.size(), 1u);
  EXPECT_EQ(degrade[0]["route_map"], "HEALTHD-DEGRADE");
}

TEST_F(HealthdAgentTest, LocalDnsFailureWithdrawsEvenUnderFailStatic) {
  config.action = Action::kFailStatic;
  config.checks = {CheckKind::kTcp, CheckKind::kDns};
  config.dns = DnsCheck{"198.51.100.12", "example.net"};
  fail_from(5s, CheckKind::kDns);
  run_rounds(10);
  EXPECT_EQ(calls(), (std::vector{Announcement::kAnnounced, Announcement::kWithdrawn}));
  EXPECT_EQ(clock.us_since_start(announcer.calls[1].done), 7'050'000);
  auto local = events("target").back();
  EXPECT_EQ(local["target"], "local");
  EXPECT_EQ(local["state"], "down");
  EXPECT_EQ(events("check").back()["target"], "local");
}

TEST_F(HealthdAgentTest, NothingIsAnnouncedBeforeTheSiteWasHealthy) {
  for (Action action : {Action::kWithdraw, Action::kDegrade, Action::kFailStatic}) {
    config.action = action;
    checker.verdict = [](const CheckSpec&, Clock::TimePoint) { return false; };
    run_rounds(checker.round_starts.size() + 10);
    EXPECT_TRUE(calls().empty()) << to_string(action);
    EXPECT_EQ(final_announcement, Announcement::kWithdrawn);
  }
  EXPECT_EQ(site_states(), (std::vector<std::string>(3, "unhealthy")));
}

// An exported lab's frr.conf announces the prefixes before healthd runs: a site that never
// becomes healthy withdraws at its first round instead of announcing on.
TEST_F(HealthdAgentTest, AnnouncedAtStartWithdrawsWhenTheSiteIsNotHealthy) {
  config.announced_at_start = true;
  checker.verdict = [](const CheckSpec&, Clock::TimePoint) { return false; };
  run_rounds(5);
  EXPECT_EQ(calls(), (std::vector{Announcement::kWithdrawn}));
  EXPECT_EQ(final_announcement, Announcement::kWithdrawn);
}

TEST_F(HealthdAgentTest, AnnouncedAtStartAnnouncesAgainOnceHealthy) {
  config.announced_at_start = true;
  run_rounds(4);
  // Not healthy before `rise` rounds: withdrawn first, announced from then on.
  EXPECT_EQ(calls(), (std::vector{Announcement::kWithdrawn, Announcement::kAnnounced}));
  EXPECT_EQ(final_announcement, Announcement::kAnnounced);
}

TEST_F(HealthdAgentTest, FailedVtyshRunIsRetriedAtTheNextRound) {
  announcer.failures_left = 2;
  run_rounds(6);
  EXPECT_EQ(calls(), std::vector<Announcement>(3, Announcement::kAnnounced));
  auto announce = events("announce");
  ASSERT_EQ(announce.size(), 3u);
  EXPECT_EQ(announce[0]["ok"], false);
  EXPECT_EQ(announce[0]["error"], "vtysh exited with status 1: % Unknown command");
  EXPECT_EQ(announce[2]["ok"], true);
  EXPECT_FALSE(announce[2].contains("error"));
  EXPECT_EQ(final_announcement, Announcement::kAnnounced);
}

TEST_F(HealthdAgentTest, EveryEventIsAJsonLineWithTheCommonFields) {
  fail_from(4s);
  run_rounds(10);
  auto all = events();
  ASSERT_FALSE(all.empty());
  int64_t previous_ts = 0;
  for (const json& e : all) {
    ASSERT_TRUE(e["ts"].is_number_integer()) << e;
    EXPECT_GE(e["ts"].get<int64_t>(), previous_ts) << e;
    previous_ts = e["ts"];
    EXPECT_EQ(e["agent"], "healthd") << e;
    EXPECT_EQ(e["node"], "dns1") << e;
    EXPECT_TRUE(e["event"].is_string()) << e;
  }
  EXPECT_EQ(all.front()["event"], "start");
  EXPECT_EQ(all.front()["interval_ms"], 1000);
  EXPECT_EQ(all.front()["action"], "withdraw");
  EXPECT_EQ(all.front()["targets"][1]["name"], "dc2");
  EXPECT_EQ(all.front()["checks"], json({"tcp"}));
  EXPECT_EQ(all.back()["event"], "stop");
  EXPECT_EQ(all.back()["signal"], "SIGTERM");
  for (const char* kind : {"announce", "withdraw"}) {
    auto lines = events(kind);
    ASSERT_EQ(lines.size(), 1u) << kind;
    EXPECT_EQ(lines[0]["prefixes"], json(config.prefixes)) << kind;
    EXPECT_EQ(lines[0]["ok"], true) << kind;
  }
  auto checks = events("check");
  EXPECT_EQ(checks.size(), 20u);  // two targets, ten rounds
  EXPECT_EQ(checks.back()["ok"], false);
  EXPECT_EQ(checks.back()["error"], "timeout");
  EXPECT_EQ(checks.back()["latency_us"], 1200);
  EXPECT_FALSE(checks.front().contains("error"));
}

}  // namespace
}  // namespace blastlab::healthd
