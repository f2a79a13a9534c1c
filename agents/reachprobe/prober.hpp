// The probing loop of one source node: at start + k / rate it starts one probe to every
// target, keeps any number of them in flight, and writes one `probe` event for each when it
// ends (answered, refused, unreachable, failed or timed out), stamped with the time it was
// sent. It stops sending after --duration or a stop request, lets the probes in flight
// finish (each within its timeout), and writes `stop`. It owns no OS resource: clock,
// network and event log are handed in, so tests drive it through simulated time.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "agents/common/event_log.hpp"
#include "agents/common/probe_loop.hpp"
#include "agents/common/stop_signal.hpp"
#include "agents/reachprobe/config.hpp"
#include "agents/reachprobe/network.hpp"

namespace blastlab::reachprobe {

struct RunSummary {
  uint64_t sent = 0;      // probes started: one per slot per target
  uint64_t answered = 0;  // probes that ended ok
  uint64_t skipped = 0;   // send slots missed because the loop ran late (never sent)
  std::map<Result, uint64_t> results;
  std::string reason;  // "duration", "SIGTERM", "SIGINT"
};

class Prober : private agent::ProbeSet {
 public:
  Prober(const Config& config, Clock& clock, Network& network, agent::EventLog& events);

  // Emits `start`, probes until the run ends, emits `stop`. A first stop request ends the
  // sending and lets the probes in flight finish; a second abandons them. Throws
  // std::runtime_error only when waiting on the network fails.
  RunSummary run(const agent::StopRequest& stop);

 private:
  struct InFlight {
    size_t target = 0;
    Clock::TimePoint sent_at;
    int64_t sent_us = 0;  // realtime, the event's ts
    Clock::TimePoint deadline;
  };

  // ProbeSet: what run_probe_loop() drives.
  void send_slot() override;
  size_t in_flight() const override { return in_flight_.size(); }
  void expire(Clock::TimePoint now) override;
  void abandon() override;
  void wait(Clock::TimePoint next_slot) override;

  void handle(const Arrival& arrival);
  void finish(std::map<uint64_t, InFlight>::iterator it, Result result, const std::string& words,
              std::optional<Clock::duration> rtt);

  const Config& config_;
  Clock& clock_;
  Network& network_;
  agent::EventLog& events_;
  uint64_t next_key_ = 0;
  // Keyed by send order; the timeout is the same for all, so also in deadline order.
  std::map<uint64_t, InFlight> in_flight_;
  RunSummary summary_;
};

}  // namespace blastlab::reachprobe
