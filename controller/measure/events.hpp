// The run's timeline as data: the events that agents and the controller write as JSON
// lines (docs/events.md), read back, merged into one list sorted by time, and written out
// as the run's events.jsonl. Readers are lenient: an agent killed mid-write leaves a torn
// last line, which is counted and skipped, never fatal.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace blastlab::measure {

struct Event {
  int64_t ts = 0;  // microseconds of the host's realtime clock
  std::string agent;
  std::string node;
  std::string event;
  nlohmann::json data;  // the whole object, common fields included
};

struct EventFile {
  std::string path;
  std::vector<Event> events;  // in file order
  size_t bad_lines = 0;       // not JSON, or missing ts/agent/node/event
};

// Reads one JSON-lines file. A missing file is an empty EventFile (an agent that never
// started wrote nothing), not an error. A file that exists but cannot be read throws
// std::runtime_error naming the path: silently dropping an agent's events would be worse.
EventFile read_event_file(const std::string& path);
// Parses one line; false when it is not an event.
bool parse_event(const std::string& line, Event& out);
// Every event of every file, sorted by ts; ties keep file order (stable).
std::vector<Event> merge_events(std::vector<EventFile> files);
// One line per event, in the given order; throws std::runtime_error naming the path.
void write_event_file(const std::string& path, const std::vector<Event>& events);

}  // namespace blastlab::measure
