// dnsprobe's half of the lab timeline: one JSON object per line, appended and flushed as
// each event is decided, so the controller can follow the file live and a crash loses
// nothing already written. Every line carries ts, agent ("dnsprobe"), node and event, then
// the event's own fields. A query's ts is when it was sent, given by the caller, although
// the line is written when the query ends; the file is therefore not sorted by ts.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace blastlab::dnsprobe {

class EventLog {
 public:
  // Opens `path` for appending, creating it and its parent directories; throws
  // std::runtime_error naming the path when it cannot.
  EventLog(const std::string& path, std::string node);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Appends `{"ts", "agent", "node", "event", ...fields}`. A failed write is logged, not
  // thrown: losing a line must not stop the probing.
  void emit(int64_t ts_us, const std::string& event, const nlohmann::ordered_json& fields);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string node_;
  int fd_ = -1;
};

}  // namespace blastlab::dnsprobe
