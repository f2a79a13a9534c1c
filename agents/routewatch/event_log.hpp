// routewatch's part of the lab timeline: one JSON object per line, appended and flushed as
// each event happens, so the controller can follow the file live and a crash loses nothing
// already seen. Every line carries ts, agent "routewatch", node and event, then the event's
// own fields. The caller supplies ts because a route event is stamped when its message was
// read from the socket, not when the line is written.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace blastlab::routewatch {

class EventLog {
 public:
  // Opens `path` for appending, creating it and its parent directories; throws
  // std::runtime_error naming the path when it cannot.
  EventLog(const std::string& path, std::string node);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // Appends `{"ts", "agent", "node", "event", ...fields}`. A failed write is logged, not
  // thrown: losing a line must not end the watch.
  void emit(int64_t ts_us, const std::string& event, const nlohmann::ordered_json& fields);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string node_;
  int fd_ = -1;
};

}  // namespace blastlab::routewatch
