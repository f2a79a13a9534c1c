// Fakes for healthd's seams (clock, checker, announcer, gossip) and a config to start from, shared
// by the unit tests. Time is simulated: a round costs what the fake checker says, a vtysh run
// what the fake announcer says, and sleeping just moves the fake clock.
#pragma once

#include <unistd.h>

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agents/common/test_support.hpp"
#include "agents/healthd/announcer.hpp"
#include "agents/healthd/checker.hpp"
#include "agents/healthd/clock.hpp"
#include "agents/healthd/config.hpp"
#include "agents/healthd/gossip.hpp"

namespace blastlab::healthd::testing {

using agent::testing::read_events;
using agent::testing::TempDir;

using namespace std::chrono_literals;

inline Config make_config() {
  Config c;
  c.node = "dns1";
  c.pathspace = "minimal_dns1";
  c.vtysh = "/usr/bin/vtysh";
  c.asn = 65001;
  c.prefixes = {"198.51.100.0/26", "198.51.100.64/26"};
  c.degrade_route_map = "HEALTHD-DEGRADE";
  c.targets = {{"dc1", "198.18.0.1"}, {"dc2", "198.18.0.2"}};
  c.checks = {CheckKind::kTcp};
  c.port = 80;
  c.interval = 1000ms;
  c.timeout = 500ms;
  c.rise = 2;
  c.fall = 3;
  c.action = Action::kWithdraw;
  return c;
}

// The shared simulated clock plus healthd's sleep, which records each deadline and moves
// time there, so a test sees when every round was scheduled.
class FakeClock final : public agent::testing::FakeClockOf<Clock> {
 public:
  void sleep_until(TimePoint deadline) override {
    sleeps.push_back(deadline);
    if (deadline > now_) now_ = deadline;
    if (on_sleep) on_sleep();
  }
  void advance(duration d) { now_ += d; }

  std::vector<TimePoint> sleeps;
  std::function<void()> on_sleep;
};

// Passes or fails each check as `verdict` says, given the time the round started, and
// makes round k last `round_duration(k)` of fake time.
class FakeChecker final : public Checker {
 public:
  explicit FakeChecker(FakeClock& clock) : clock_(clock) {}

  std::vector<CheckResult> run(const std::vector<CheckSpec>& checks,
                               std::chrono::milliseconds) override {
    auto started = clock_.now();
    round_starts.push_back(started);
    std::vector<CheckResult> results;
    for (const CheckSpec& spec : checks) {
      bool ok = verdict(spec, started);
      results.push_back({spec, ok, 1200us, ok ? "" : "timeout"});
    }
    clock_.advance(round_duration(round_starts.size() - 1));
    return results;
  }

  std::function<bool(const CheckSpec&, Clock::TimePoint)> verdict = [](auto&, auto) {
    return true;
  };
  std::function<Clock::duration(size_t)> round_duration = [](size_t) { return 20ms; };
  std::vector<Clock::TimePoint> round_starts;

 private:
  FakeClock& clock_;
};

// Records what it was asked to announce and when it finished; fails while `failures_left`.
class FakeAnnouncer final : public Announcer {
 public:
  explicit FakeAnnouncer(FakeClock& clock) : clock_(clock) {}

  AnnounceResult apply(Announcement wanted) override {
    clock_.advance(30ms);  // what a vtysh run costs
    calls.push_back({wanted, clock_.now()});
    if (failures_left > 0) {
      --failures_left;
      return {false, "vtysh exited with status 1: % Unknown command"};
    }
    return {true, {}};
  }

  struct Call {
    Announcement wanted;
    Clock::TimePoint done;
  };
  std::vector<Call> calls;
  int failures_left = 0;

 private:
  FakeClock& clock_;
};

// Records what the agent sends; hands it, at each receive, what `incoming` says arrived
// since the previous receive (given that one's time, or nullopt the first time, and now).
class FakeGossip final : public Gossip {
 public:
  explicit FakeGossip(FakeClock& clock) : clock_(clock) {}

  void send(const PeerMessage& message) override { sent.push_back({message, clock_.now()}); }
  std::vector<PeerMessage> receive() override {
    auto now = clock_.now();
    std::vector<PeerMessage> arrived = incoming ? incoming(last_, now) : std::vector<PeerMessage>{};
    last_ = now;
    return arrived;
  }

  struct Sent {
    PeerMessage message;
    Clock::TimePoint at;
  };
  std::vector<Sent> sent;
  std::function<std::vector<PeerMessage>(std::optional<Clock::TimePoint>, Clock::TimePoint)>
      incoming;

 private:
  FakeClock& clock_;
  std::optional<Clock::TimePoint> last_;
};

}  // namespace blastlab::healthd::testing
