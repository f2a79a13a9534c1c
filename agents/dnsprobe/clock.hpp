// Time as dnsprobe sees it: a steady clock that paces the queries and measures latencies,
// and the realtime clock that stamps events (all lab namespaces share it, so the controller
// can order events across nodes). A seam so tests run minutes of queries in microseconds.
// Waiting is not here: the network waits, for answers or the next deadline, whichever first.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace blastlab::dnsprobe {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
  virtual int64_t realtime_us() = 0;  // microseconds of CLOCK_REALTIME
};

class SystemClock final : public Clock {
 public:
  TimePoint now() override { return std::chrono::steady_clock::now(); }
  int64_t realtime_us() override;
};

// Sends happen at start + k * interval, never drifting with how long the loop takes. When
// the loop falls behind (the host was busy), the slots it missed are skipped rather than
// sent late back to back: a burst would load the servers in a way the schedule never asked.
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

}  // namespace blastlab::dnsprobe
