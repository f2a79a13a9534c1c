// Time as the agents see it: a steady clock that paces their work and measures latencies,
// and the realtime clock that stamps events (all lab namespaces share it, so the controller
// can order events across nodes). A seam so tests run hours of rounds in microseconds with a
// fake. Waiting is not here: each agent waits on what it waits for (healthd sleeps between
// rounds, dnsprobe waits on its sockets), so an agent that sleeps adds that to its own seam.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace blastlab::agent {

// Microseconds of CLOCK_REALTIME, the unit of every event's ts.
int64_t realtime_us();

class Clock {
 public:
  // steady_clock's own nanoseconds, so deadlines handed to epoll_pwait2 keep their precision.
  using TimePoint = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;

  virtual ~Clock() = default;
  virtual TimePoint now() = 0;
  virtual int64_t realtime_us() = 0;  // microseconds of CLOCK_REALTIME
};

// The host's clocks.
class SystemClock final : public Clock {
 public:
  TimePoint now() override { return std::chrono::steady_clock::now(); }
  int64_t realtime_us() override { return agent::realtime_us(); }
};

// Whole microseconds of a steady-clock span, the unit of the latencies in events.
inline int64_t micros(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

// Work happens at start + k * interval, never drifting with how long each piece takes. When
// the agent falls behind (a round overran, the host was busy), the slots it missed are
// skipped rather than run late back to back: a burst would load the targets in a way the
// schedule never asked for.
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

}  // namespace blastlab::agent
