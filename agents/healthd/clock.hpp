// Time as healthd sees it: the agents' shared Clock (steady time that paces the rounds and
// measures latencies, realtime that stamps events) plus the sleep between rounds, which only
// healthd does. A seam so tests run hours of rounds in microseconds with a fake.
#pragma once

#include "agents/common/clock.hpp"

namespace blastlab::healthd {

using agent::FixedRateSchedule;

class Clock : public agent::Clock {
 public:
  // Sleeps until `deadline`, or less when woken by a stop request.
  virtual void sleep_until(TimePoint deadline) = 0;
};

// The host's clocks. Its sleep can be cut short from a signal handler through wake_fd(), so
// SIGTERM stops healthd at once instead of after the current interval.
class SystemClock final : public Clock {
 public:
  SystemClock();
  ~SystemClock() override;
  SystemClock(const SystemClock&) = delete;
  SystemClock& operator=(const SystemClock&) = delete;

  TimePoint now() override { return std::chrono::steady_clock::now(); }
  int64_t realtime_us() override { return agent::realtime_us(); }
  void sleep_until(TimePoint deadline) override;
  // Writing a byte here (async-signal-safe) ends the current and every later sleep at once.
  int wake_fd() const { return pipe_[1]; }

 private:
  int pipe_[2] = {-1, -1};
};

}  // namespace blastlab::healthd
