// An agent's half of the lab timeline (docs/events.md): one JSON object per line, appended
// and flushed as each event is decided, so the controller can follow the file live and a
// crash loses nothing already written. Every line carries ts, agent, node and event, in that
// order, then the event's own fields in the caller's order. The caller gives ts because what
// an event is stamped with is the agent's business: healthd stamps the moment it writes,
// dnsprobe a query's send time, routewatch the moment a netlink message was read.
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace blastlab::agent {

class EventLog {
 public:
  // Opens `path` for appending, creating it and its parent directories; throws
  // std::runtime_error naming the path when it cannot. `agent` names both the events'
  // "agent" field and the logger a failed write is reported to.
  EventLog(const std::string& path, std::string agent, std::string node);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Appends `{"ts", "agent", "node", "event", ...fields}`; safe from several threads. A
  // failed write is logged, not thrown: losing a line must not stop the agent's work.
  void emit(int64_t ts_us, const std::string& event, const nlohmann::ordered_json& fields);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string agent_;
  std::string node_;
  int fd_ = -1;
  std::mutex mutex_;
};

}  // namespace blastlab::agent
