// Reading, merging and writing the JSON-lines event files of docs/events.md. Agents append
// one line per write(), so the only damage a file can carry is a torn last line (an agent
// killed mid-write) or a line from a buggy writer: both are counted in bad_lines and
// skipped, because losing one event must never cost the whole run its metrics.
#include "controller/measure/events.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "controller/files/safe_write.hpp"

namespace blastlab::measure {
namespace {

// The common fields an event must carry to be placed on the timeline.
bool has_common_fields(const nlohmann::json& object) {
  auto ts = object.find("ts");
  if (ts == object.end() || !ts->is_number_integer()) return false;
  for (const char* key : {"agent", "node", "event"}) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_string()) return false;
  }
  return true;
}

// The object written for an event: its data with the common fields taken from the struct,
// so an Event built or edited in code is written as what it says.
nlohmann::json line_object(const Event& event) {
  nlohmann::json object = event.data.is_object() ? event.data : nlohmann::json::object();
  object["ts"] = event.ts;
  object["agent"] = event.agent;
  object["node"] = event.node;
  object["event"] = event.event;
  return object;
}

}  // namespace

bool parse_event(const std::string& line, Event& out) {
  nlohmann::json object = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object() || !has_common_fields(object)) return false;
  out.ts = object["ts"].get<int64_t>();
  out.agent = object["agent"].get<std::string>();
  out.node = object["node"].get<std::string>();
  out.event = object["event"].get<std::string>();
  out.data = std::move(object);
  return true;
}

EventFile read_event_file(const std::string& path) {
  EventFile file{.path = path};
  std::error_code ec;
  // A directory opens as a stream that reads nothing, which would pass for a silent agent.
  if (std::filesystem::is_directory(path, ec)) {
    throw std::runtime_error("read event file " + path + ": is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    // An agent that never started leaves no file; any other reason to fail (permissions, a
    // directory in its place) would silently drop an agent's events, so it is an error.
    int error = errno;
    if (!std::filesystem::exists(path, ec) && !ec) return file;
    throw std::runtime_error("read event file " + path + ": " +
                             (error != 0 ? std::strerror(error) : "cannot open"));
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;  // blank, not torn
    Event event;
    if (parse_event(line, event)) {
      file.events.push_back(std::move(event));
    } else {
      ++file.bad_lines;
    }
  }
  if (in.bad()) throw std::runtime_error("read event file " + path + ": read error");
  return file;
}

std::vector<Event> merge_events(std::vector<EventFile> files) {
  size_t total = 0;
  for (const EventFile& file : files) total += file.events.size();
  std::vector<Event> merged;
  merged.reserve(total);
  for (EventFile& file : files) {
    std::move(file.events.begin(), file.events.end(), std::back_inserter(merged));
  }
  // Stable: events of one file stamped in the same microsecond keep the order they were
  // written in, which is the order they happened in.
  std::stable_sort(merged.begin(), merged.end(),
                   [](const Event& a, const Event& b) { return a.ts < b.ts; });
  return merged;
}

void write_event_file(const std::string& path, const std::vector<Event>& events) {
  std::string text;
  for (const Event& event : events) {
    text += line_object(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += '\n';
  }
  // Written beside the target and renamed over it, so a reader never sees half a timeline,
  // and never through a symbolic link: the report's directory may be another user's.
  files::write_file_atomically(path, text, "event file");
}

}  // namespace blastlab::measure
