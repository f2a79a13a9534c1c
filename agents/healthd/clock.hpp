// Time as healthd sees it: a steady clock that paces the rounds and measures latencies, the
// realtime clock that stamps events (all lab namespaces share it, so the controller can
// order events across nodes), and the sleep between rounds. A seam so tests run hours of
// rounds in microseconds with a fake.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace blastlab::healthd {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
  virtual int64_t realtime_us() = 0;  // microseconds of CLOCK_REALTIME
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
  int64_t realtime_us() override;
  void sleep_until(TimePoint deadline) override;
  // Writing a byte here (async-signal-safe) ends the current and every later sleep at once.
  int wake_fd() const { return pipe_[1]; }

 private:
  int pipe_[2] = {-1, -1};
};

// Rounds start at start + k * interval, never drifting with how long rounds take. When a
// round overruns, the slots it covered are skipped rather than run late back to back.
class FixedRateSchedule {
 public:
  FixedRateSchedule(Clock::TimePoint start, Clock::duration interval)
      : start_(start), interval_(interval) {}

  // Advances to the first slot after the current one that has not yet passed at `now`;
  // returns how many slots were skipped.
  int64_t advance(Clock::TimePoint now) {
    // The first slot not yet passed is ceil((now - start) / interval); a slot exactly at
    // `now` has not passed.
    int64_t not_passed = (now - start_ + interval_ - Clock::duration(1)) / interval_;
    int64_t next = std::max(slot_ + 1, not_passed);
    int64_t skipped = next - (slot_ + 1);
    slot_ = next;
    return skipped;
  }
  int64_t slot() const { return slot_; }
  Clock::TimePoint slot_time() const { return start_ + slot_ * interval_; }

 private:
  Clock::TimePoint start_;
  Clock::duration interval_;
  int64_t slot_ = 0;
};

}  // namespace blastlab::healthd
