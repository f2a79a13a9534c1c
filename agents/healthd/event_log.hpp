// healthd's half of the lab timeline: one JSON object per line, appended and flushed as each
// event happens, so the controller can follow the file live and a crash loses nothing
// already decided. Every line carries ts (microseconds of the realtime clock, which every
// namespace of the host shares), agent, node and event, then the event's own fields.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "agents/healthd/clock.hpp"

namespace blastlab::healthd {

class EventLog {
 public:
  // Opens `path` for appending, creating it and its parent directories; throws
  // std::runtime_error naming the path when it cannot.
  EventLog(const std::string& path, std::string node, Clock& clock);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Appends `{"ts", "agent", "node", "event", ...fields}` stamped now. A failed write is
  // logged, not thrown: losing a line must not stop the health checks.
  void emit(const std::string& event, const nlohmann::ordered_json& fields);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string node_;
  Clock& clock_;
  int fd_ = -1;
  std::mutex mutex_;
};

}  // namespace blastlab::healthd
