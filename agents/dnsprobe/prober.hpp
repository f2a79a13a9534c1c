// The probing loop of one client: at start + k / rate it sends one query to every target,
// keeps any number of them in flight, and writes one `query` event for each when it ends
// (answered, timed out, unreachable or failed), stamped with the time it was sent. It stops
// sending after --count slots, --duration or a stop request, lets the queries in flight
// finish (each within its timeout), and writes `stop`. It owns no OS resource itself:
// clock, network and event log are handed in, so tests drive it through simulated time.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>

#include "agents/common/event_log.hpp"
#include "agents/common/probe_loop.hpp"
#include "agents/common/stop_signal.hpp"
#include "agents/dnsprobe/clock.hpp"
#include "agents/dnsprobe/config.hpp"
#include "agents/dnsprobe/network.hpp"
#include "agents/dnsprobe/wire.hpp"

namespace blastlab::dnsprobe {

// Written by the signal handler, read by the loop: the first request stops the sending and
// lets the queries in flight finish; a second one abandons them.
using agent::StopRequest;

enum class Result { kOk, kServfail, kNxdomain, kRefused, kRcode, kTimeout, kUnreachable, kError };
const char* result_name(Result result);  // "ok", "servfail", ... as in the events
Result classify(const Answer& answer);

struct RunSummary {
  uint64_t sent = 0;       // queries attempted: one per slot per target
  uint64_t answered = 0;   // queries a server answered, whatever the rcode
  uint64_t abandoned = 0;  // in flight at a second stop request, never written
  uint64_t skipped = 0;    // send slots missed because the loop ran late (never sent)
  std::map<Result, uint64_t> results;
  std::string reason;  // "count", "duration", "SIGTERM", "SIGINT"
};

class Prober : private agent::ProbeSet {
 public:
  Prober(const Config& config, Clock& clock, Network& network, agent::EventLog& events);

  // Emits `start`, probes until the run ends, emits `stop`. Throws std::runtime_error only
  // when waiting on the network fails, which leaves nothing to measure with.
  RunSummary run(const StopRequest& stop);

 private:
  struct InFlight {
    size_t target = 0;
    uint16_t id = 0;
    Question question;
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

  Question next_question();
  void handle(const Arrival& arrival);
  // Writes the query's event and forgets it.
  void finish(std::map<uint64_t, InFlight>::iterator it, Result result,
              nlohmann::ordered_json fields);

  const Config& config_;
  Clock& clock_;
  Network& network_;
  agent::EventLog& events_;
  std::mt19937_64 random_;
  uint64_t next_key_ = 0;
  // Keyed by send order; the timeout is the same for all, so also in deadline order.
  std::map<uint64_t, InFlight> in_flight_;
  RunSummary summary_;
};

}  // namespace blastlab::dnsprobe
