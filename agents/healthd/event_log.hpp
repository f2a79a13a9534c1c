// healthd's half of the lab timeline: the agents' shared JSON-lines writer, with every line
// stamped from healthd's Clock at the moment it is written (so simulated time in tests gives
// predictable timestamps). healthd writes from its check and announce paths alike; the
// shared writer serialises them.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "agents/common/event_log.hpp"
#include "agents/healthd/clock.hpp"

namespace blastlab::healthd {

class EventLog {
 public:
  // Opens `path` for appending, creating it and its parent directories; throws
  // std::runtime_error naming the path when it cannot.
  EventLog(const std::string& path, std::string node, Clock& clock)
      : log_(path, "healthd", std::move(node)), clock_(clock) {}

  // Appends `{"ts", "agent", "node", "event", ...fields}` stamped now. A failed write is
  // logged, not thrown: losing a line must not stop the health checks.
  void emit(const std::string& event, const nlohmann::ordered_json& fields) {
    log_.emit(clock_.realtime_us(), event, fields);
  }
  const std::string& path() const { return log_.path(); }

 private:
  agent::EventLog log_;
  Clock& clock_;
};

}  // namespace blastlab::healthd
