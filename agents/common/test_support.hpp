// What the agents' unit tests share: a temporary directory removed when the test ends, a
// reader for the JSON-lines event files the agents write, and the simulated clock their
// fakes build on. Header-only, so any test binary
// can use it without linking anything but nlohmann-json.
#pragma once

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

namespace blastlab::agent::testing {

// A directory under /tmp removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/blastlab-agent-test-XXXXXX";
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

// Every line of the events file at `path`, parsed; throws on a line that is not JSON.
inline std::vector<nlohmann::json> read_events(const std::string& path) {
  std::vector<nlohmann::json> events;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) events.push_back(nlohmann::json::parse(line));
  return events;
}

// A Clock (agent::Clock or an agent's extension of it) in simulated time: steady time starts
// at an arbitrary point and moves only when a test moves it; the realtime clock runs in step
// from a fixed epoch so event timestamps can be predicted. An agent's fake adds what its own
// seam needs (healthd's sleep) and how its tests move time.
template <class ClockBase>
class FakeClockOf : public ClockBase {
 public:
  using TimePoint = typename ClockBase::TimePoint;
  static constexpr int64_t kRealtimeStartUs = 1'633'363'200'000'000;  // 2021-10-04T16:00Z

  TimePoint now() override { return now_; }
  int64_t realtime_us() override { return kRealtimeStartUs + us_since_start(now_); }
  // Moves time to `t`, never backwards: a steady clock does not go back.
  void set(TimePoint t) { now_ = std::max(now_, t); }
  int64_t us_since_start(TimePoint t) const {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - start).count();
  }

  const TimePoint start = TimePoint{} + std::chrono::hours(100);

 protected:
  TimePoint now_ = start;
};

}  // namespace blastlab::agent::testing
