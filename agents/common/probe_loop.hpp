// The loop both probers (dnsprobe, reachprobe) run: at start + k / rate it has one probe
// sent to every target, keeps any number in flight, stops sending after the count of slots,
// the duration or a first stop request, lets the probes in flight end (each within its
// timeout) and abandons them at a second request. What a probe is and how it ends is the
// prober's, behind ProbeSet; this holds the pacing and the stop rules in one place, and
// writes the `stop` event both agents end their event stream with.
#pragma once

#include <spdlog/spdlog.h>

#include <cstdint>
#include <optional>
#include <string>

#include "agents/common/clock.hpp"
#include "agents/common/event_log.hpp"
#include "agents/common/stop_signal.hpp"

namespace blastlab::agent {

// "SIGTERM", "SIGINT", else "signal N": the reason a stop request gives.
std::string signal_name(int sig);

// A prober's probes in flight, as the loop drives them.
class ProbeSet {
 public:
  virtual ~ProbeSet() = default;
  // Sends one probe to every target; a probe that fails at once is over already.
  virtual void send_slot() = 0;
  virtual size_t in_flight() const = 0;
  // Ends, as timed out, the probes whose deadline is at or before `now`.
  virtual void expire(Clock::TimePoint now) = 0;
  // Forgets every probe in flight without writing it: its outcome was not seen.
  virtual void abandon() = 0;
  // Waits for what becomes of the probes in flight until `next_slot`, the earliest of their
  // own deadlines, or a stop request, whichever comes first.
  virtual void wait(Clock::TimePoint next_slot) = 0;
};

struct Pacing {
  double rate = 1;  // slots per second
  Clock::duration duration{};
  std::optional<uint64_t> count;  // slots; the run also ends after `duration`
};

struct ProbeLoopEnd {
  uint64_t skipped = 0;    // send slots missed because the loop ran late (never sent)
  uint64_t abandoned = 0;  // in flight at a second stop request, never written
  std::string reason;      // "count", "duration", "SIGTERM", "SIGINT"
};

// Runs the loop until nothing is in flight after sending stopped, or a second stop request;
// logs on `log`. Throws whatever probes.wait() throws.
ProbeLoopEnd run_probe_loop(ProbeSet& probes, Clock& clock, const StopRequest& stop,
                            const Pacing& pacing, spdlog::logger& log);

// Writes the `stop` event (sent, answered, skipped, reason) and its log line.
void write_stop(EventLog& events, Clock& clock, spdlog::logger& log, uint64_t sent,
                uint64_t answered, const ProbeLoopEnd& end);

}  // namespace blastlab::agent
