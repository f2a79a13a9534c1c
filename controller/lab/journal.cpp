#include "controller/lab/journal.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "controller/files/safe_write.hpp"
#include "controller/lab/lab.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::lab {
namespace {

using json = nlohmann::json;

const char* kind_name(JournalEntry::Kind kind) {
  switch (kind) {
    case JournalEntry::Kind::kNamespace:
      return "netns";
    case JournalEntry::Kind::kVeth:
      return "veth";
    case JournalEntry::Kind::kProcess:
      return "process";
    case JournalEntry::Kind::kStatus:
      return "status";
    case JournalEntry::Kind::kEnded:
      return "ended";
  }
  return "status";
}

json to_json(const JournalEntry& e) {
  json j = {{"op", kind_name(e.kind)}};
  switch (e.kind) {
    case JournalEntry::Kind::kNamespace:
      j["ns"] = e.ns;
      j["node"] = e.node;
      break;
    case JournalEntry::Kind::kVeth:
      j["ns"] = e.ns;
      j["ifname"] = e.ifname;
      j["peer_ns"] = e.peer_ns;
      j["peer_ifname"] = e.peer_ifname;
      break;
    case JournalEntry::Kind::kProcess:
    case JournalEntry::Kind::kEnded:
      j["ns"] = e.ns;
      j["node"] = e.node;
      j["pid"] = e.pid;
      j["start_time"] = e.start_time;
      j["what"] = e.what;
      break;
    case JournalEntry::Kind::kStatus:
      j["what"] = e.what;
      break;
  }
  return j;
}

std::optional<JournalEntry> from_json(const json& j) {
  JournalEntry e;
  std::string op = j.value("op", "");
  if (op == "netns")
    e.kind = JournalEntry::Kind::kNamespace;
  else if (op == "veth")
    e.kind = JournalEntry::Kind::kVeth;
  else if (op == "process")
    e.kind = JournalEntry::Kind::kProcess;
  else if (op == "status")
    e.kind = JournalEntry::Kind::kStatus;
  else if (op == "ended")
    e.kind = JournalEntry::Kind::kEnded;
  else
    return std::nullopt;
  e.ns = j.value("ns", "");
  e.node = j.value("node", "");
  e.ifname = j.value("ifname", "");
  e.peer_ns = j.value("peer_ns", "");
  e.peer_ifname = j.value("peer_ifname", "");
  e.pid = j.value("pid", 0);
  e.start_time = j.value("start_time", 0ULL);
  e.what = j.value("what", "");
  return e;
}

// Why an entry is not the lab's own, or nothing when it is.
std::optional<std::string> not_own(const JournalEntry& e, const std::string& lab_name) {
  if (!model::is_valid_node_name(e.node)) return "node '" + e.node + "' is not a node name";
  if (e.ns != namespace_name(lab_name, e.node))
    return "namespace '" + e.ns + "' is not " + namespace_name(lab_name, e.node);
  if (e.kind != JournalEntry::Kind::kProcess) return std::nullopt;
  if (e.pid <= 1) return "pid " + std::to_string(e.pid) + " is no process a lab starts";
  if (e.start_time == 0) return "pid " + std::to_string(e.pid) + " has no start time to know it by";
  return std::nullopt;
}

}  // namespace

OwnEntries own_entries(const std::vector<JournalEntry>& entries, const std::string& lab_name) {
  OwnEntries own;
  for (const auto& e : entries) {
    if (e.kind != JournalEntry::Kind::kNamespace && e.kind != JournalEntry::Kind::kProcess)
      continue;
    if (auto why = not_own(e, lab_name)) {
      own.refused.push_back(to_json(e).dump() + ": " + *why);
    } else {
      (e.kind == JournalEntry::Kind::kNamespace ? own.namespaces : own.processes).push_back(e);
    }
  }
  return own;
}

Journal::Journal(std::string path) : path_(std::move(path)) {
  fd_ = files::open_for_append(path_.c_str());
  if (fd_ < 0) throw std::runtime_error("open lab journal " + path_ + ": " + std::strerror(errno));
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const JournalEntry& entry) {
  std::string line = to_json(entry).dump() + "\n";
  std::lock_guard lock(mutex_);
  // One write() per line: O_APPEND makes it atomic with respect to other writers, and a
  // crash can at worst leave a torn last line, which read() skips.
  ssize_t n = ::write(fd_, line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size()))
    throw std::runtime_error("write lab journal " + path_ + ": " + std::strerror(errno));
  // No fdatasync: once write() returns, the line is the kernel's and survives the
  // controller being killed, which is what the journal is for. Only a crash of the machine
  // could lose it, and that takes the lab with it: namespaces and processes do not outlive
  // a boot. A sync per entry cost about 4 ms each, a second and a half of a 60-router
  // bring-up spent waiting on the disk.
}

std::vector<JournalEntry> Journal::read(const std::string& path) {
  std::vector<JournalEntry> entries;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) continue;
    if (auto e = from_json(j)) entries.push_back(*e);
  }
  return entries;
}

}  // namespace blastlab::lab
