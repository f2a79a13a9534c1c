#include "controller/frr/bgp_log.hpp"

#include <ctime>
#include <fstream>
#include <sstream>

namespace blastlab::frr {
namespace {

constexpr const char* kAdjChange = "%ADJCHANGE: neighbor ";
constexpr const char* kInVrf = " in vrf ";

// Reads exactly `count` decimal digits at text[*pos].
std::optional<int> digits(const std::string& text, size_t* pos, size_t count) {
  if (*pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t k = 0; k < count; ++k) {
    char c = text[*pos + k];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  *pos += count;
  return value;
}

bool expect(const std::string& text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

struct Session {
  std::string peer;
  std::string hostname;  // what bgpd printed in parentheses, if anything
  std::string vrf;
  std::string state;
  std::string reason;
};

// The part after "%ADJCHANGE: neighbor ": "ADDR[(HOSTNAME)] in vrf VRF Up|Down [REASON]".
std::optional<Session> parse_session(const std::string& rest) {
  size_t in_vrf = rest.find(kInVrf);
  if (in_vrf == std::string::npos || in_vrf == 0) return std::nullopt;
  Session s;
  std::string who = rest.substr(0, in_vrf);
  size_t open = who.find('(');
  if (open != std::string::npos && who.back() == ')') {
    s.hostname = who.substr(open + 1, who.size() - open - 2);
    who.resize(open);
  }
  if (who.empty()) return std::nullopt;
  s.peer = who;
  std::istringstream tail(rest.substr(in_vrf + std::string(kInVrf).size()));
  std::string state;
  if (!(tail >> s.vrf >> state)) return std::nullopt;
  if (state == "Up") {
    s.state = "up";
  } else if (state == "Down") {
    s.state = "down";
  } else {
    return std::nullopt;
  }
  std::getline(tail >> std::ws, s.reason);
  return s;
}

}  // namespace

std::optional<int64_t> parse_frr_log_time(const std::string& line) {
  size_t pos = 0;
  auto year = digits(line, &pos, 4);
  if (!year || !expect(line, &pos, '/')) return std::nullopt;
  auto month = digits(line, &pos, 2);
  if (!month || !expect(line, &pos, '/')) return std::nullopt;
  auto day = digits(line, &pos, 2);
  if (!day || !expect(line, &pos, ' ')) return std::nullopt;
  auto hour = digits(line, &pos, 2);
  if (!hour || !expect(line, &pos, ':')) return std::nullopt;
  auto minute = digits(line, &pos, 2);
  if (!minute || !expect(line, &pos, ':')) return std::nullopt;
  auto second = digits(line, &pos, 2);
  if (!second) return std::nullopt;
  int64_t micros = 0;
  if (expect(line, &pos, '.')) {
    int64_t scale = 100000;
    size_t first = pos;
    while (pos < line.size() && line[pos] >= '0' && line[pos] <= '9' && pos - first < 6) {
      micros += (line[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == first) return std::nullopt;
  }
  if (pos < line.size() && line[pos] != ' ') return std::nullopt;
  // mktime() would quietly carry an out-of-range field into the next one.
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 ||
      *second > 60) {
    return std::nullopt;
  }

  std::tm local{};
  local.tm_year = *year - 1900;
  local.tm_mon = *month - 1;
  local.tm_mday = *day;
  local.tm_hour = *hour;
  local.tm_min = *minute;
  local.tm_sec = *second;
  local.tm_isdst = -1;  // whatever the zone's rules say for that date
  std::time_t seconds = std::mktime(&local);
  if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<int64_t>(seconds) * 1000000 + micros;
}

std::vector<nlohmann::json> bgp_session_events(
    const std::string& log_text, const std::string& node,
    const std::map<std::string, std::string>& peer_names) {
  std::vector<nlohmann::json> events;
  size_t start = 0;
  while (start < log_text.size()) {
    size_t end = log_text.find('\n', start);
    if (end == std::string::npos) break;  // torn: bgpd has not finished this line
    std::string line = log_text.substr(start, end - start);
    start = end + 1;
    size_t mark = line.find(kAdjChange);
    if (mark == std::string::npos) continue;
    auto ts = parse_frr_log_time(line);
    auto session = parse_session(line.substr(mark + std::string(kAdjChange).size()));
    if (!ts || !session) continue;
    nlohmann::json event = {
        {"ts", *ts},          {"agent", "bgpd"},       {"node", node},
        {"event", "session"}, {"peer", session->peer}, {"state", session->state}};
    auto named = peer_names.find(session->peer);
    if (named != peer_names.end()) {
      event["peer_node"] = named->second;
    } else if (!session->hostname.empty()) {
      event["peer_node"] = session->hostname;
    }
    if (session->state == "down") event["reason"] = session->reason;
    if (session->vrf != "default") event["vrf"] = session->vrf;
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<nlohmann::json> read_bgp_session_events(
    const std::string& path, const std::string& node,
    const std::map<std::string, std::string>& peer_names) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  return bgp_session_events(text.str(), node, peer_names);
}

}  // namespace blastlab::frr
