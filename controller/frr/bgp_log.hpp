// BGP session changes read from a router's bgpd log, as events of the run's timeline
// (docs/events.md, section bgpd). bgpd logs every session change (`bgp
// log-neighbor-changes`) as
//   2026/11/21 05:47:27.108015 BGP: [PXVXG-TFNNT] %ADJCHANGE: neighbor 198.18.0.4(pop1) in
//   vrf default Down BGP Notification send
// (one line), stamped in the local time of the process that wrote it, with as many
// sub-second digits as `log timestamp precision` asks for (none by default; in FRR 8.4 a
// `--log file:` target has none whatever it asks, only a `log file` of the config does).
// The controller reads each router's LAB_DIR/nodes/NODE/bgpd.log after a run and writes
// what this finds to events/bgp.jsonl.
//
// The local time is converted with this process's time zone (TZ, else /etc/localtime),
// which the daemons inherit from the controller that started them. In the hour a
// daylight-saving change repeats, a local time is ambiguous; mktime() picks one of the two.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace blastlab::frr {

// FRR's log timestamp `YYYY/MM/DD HH:MM:SS[.f...]` (0 to 6 sub-second digits) at the start
// of `line`, in local time, as microseconds since the Unix epoch; nullopt when the line does
// not start with one.
std::optional<int64_t> parse_frr_log_time(const std::string& line);

// The `session` events of one router's bgpd log text, in log order: {"ts", "agent": "bgpd",
// "node", "event": "session", "peer" (the address), "peer_node", "state" ("up", "down"),
// "reason" (why a session went down, as bgpd words it; only on "down")}. peer_node comes
// from peer_names (address -> node name), else from the hostname bgpd prints after the
// address (the peer's FRR hostname, which the lab sets to its node name), else it is left
// out. "vrf" is added for a session outside the default VRF. Lines that are not session
// changes are skipped, and so is a last line without its newline: bgpd may be writing it.
std::vector<nlohmann::json> bgp_session_events(
    const std::string& log_text, const std::string& node,
    const std::map<std::string, std::string>& peer_names);

// The same, from a log file; a file that does not exist (a node without bgpd, or one that
// never started) has no events.
std::vector<nlohmann::json> read_bgp_session_events(
    const std::string& path, const std::string& node,
    const std::map<std::string, std::string>& peer_names);

}  // namespace blastlab::frr
