// The run's watch over its measurement agents (dnsprobe, routewatch, querywatch at the
// vantage points and clients; healthd at the DNS sites), while the run goes. A report built
// on an agent that died or fell silent would say "nothing happened" where nothing was
// seen, so every change of an agent's state is an `agent` event on the timeline
// (docs/events.md): `dead` when its process is gone, `silent` when it wrote nothing for
// longer than its own rhythm allows, `writing` when a silent one writes again. The metrics
// turn these into gaps, and any gap makes the run `incomplete`.
//
// A `stop` step on a node pauses the watch of what the stop ends there on purpose (the
// DNS host's healthd); `start` resumes it, measuring silence from the restart.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controller/experiment/live.hpp"

namespace blastlab::scenario {
class EventWriter;
}  // namespace blastlab::scenario

namespace blastlab::experiment {

using scenario::EventWriter;

class AgentWatch {
 public:
  // Whether the agent's process runs now; nullopt when it cannot be told (no record).
  using Alive =
      std::function<std::optional<bool>(const std::string& agent, const std::string& node)>;

  AgentWatch(EventWriter& events, Alive alive) : events_(events), alive_(std::move(alive)) {}

  // Watches the agent from now_us on: silent when no event came for `silence` (counted from
  // now_us until its first event); a silence of 0 watches only that its process runs (a
  // listener writes no events).
  void add(const std::string& agent, const std::string& node, std::chrono::milliseconds silence,
           int64_t now_us);
  // One look at every watched agent; emits an event for each change of state.
  void check(const LiveView& live, int64_t now_us);
  // What a stop step ends on `node` on purpose is not watched until resume(node).
  void pause(const std::string& node, const std::vector<std::string>& agents);
  void resume(const std::string& node, int64_t now_us);

 private:
  enum class State { kWriting, kSilent, kDead, kPaused };
  struct Watched {
    std::string agent;
    std::string node;
    std::chrono::milliseconds silence{0};
    int64_t since_us = 0;  // silence is counted from here until its first event after it
    State state = State::kWriting;
    int64_t silent_from_us = 0;
  };

  void emit(const Watched& w, const char* state, const std::string& detail);

  EventWriter& events_;
  Alive alive_;
  std::vector<Watched> watched_;
};

// How long each agent may go without writing before the watch calls it silent: a few of its
// own periods (dnsprobe's queries, which it writes when answered or timed out; querywatch's
// intervals; healthd's checks; routewatch's `alive`), and never under three seconds.
std::chrono::milliseconds silence_limit(std::chrono::milliseconds period,
                                        std::chrono::milliseconds lag = {});

}  // namespace blastlab::experiment
