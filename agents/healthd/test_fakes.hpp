// Fakes for healthd's seams (clock, checker, announcer) and a config to start from, shared
// by the unit tests. Time is simulated: a round costs what the fake checker says, a vtysh run
// what the fake announcer says, and sleeping just moves the fake clock.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agents/healthd/announcer.hpp"
#include "agents/healthd/checker.hpp"
#include "agents/healthd/clock.hpp"
#include "agents/healthd/config.hpp"

namespace blastlab::healthd::testing {

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

// Starts at an arbitrary steady time; the realtime clock runs in step with it from a fixed
// epoch so event timestamps can be predicted.
class FakeClock final : public Clock {
 public:
  static constexpr int64_t kRealtimeStartUs = 1'633'363'200'000'000;  // 2021-10-04T16:00Z

  TimePoint now() override { return now_; }
  int64_t realtime_us() override { return kRealtimeStartUs + us_since_start(now_); }
  void sleep_until(TimePoint deadline) override {
    sleeps.push_back(deadline);
    if (deadline > now_) now_ = deadline;
    if (on_sleep) on_sleep();
  }

  void advance(duration d) { now_ += d; }
  int64_t us_since_start(TimePoint t) const {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - start).count();
  }

  const TimePoint start = TimePoint{} + 100h;
  std::vector<TimePoint> sleeps;
  std::function<void()> on_sleep;

 private:
  TimePoint now_ = start;
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

// A directory under /tmp removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/healthd-test-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) ? pattern : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::vector<nlohmann::json> read_events(const std::string& path) {
  std::vector<nlohmann::json> events;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) events.push_back(nlohmann::json::parse(line));
  return events;
}

}  // namespace blastlab::healthd::testing
