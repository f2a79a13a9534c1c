// healthd's configuration, as the controller writes it (one JSON file per DNS host). The file
// is read and validated completely before healthd probes or announces anything: every
// problem is reported as `FILE: FIELD: what is wrong, what is allowed`, and main exits 2.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace blastlab::healthd {

enum class Action { kWithdraw, kDegrade, kFailStatic };
const char* to_string(Action action);  // "withdraw", "degrade", "fail-static"

// tcp, icmp and http probe the datacenter targets; dns probes this host's own name server.
enum class CheckKind { kTcp, kIcmp, kHttp, kDns };
const char* to_string(CheckKind kind);  // "tcp", "icmp", "http", "dns"

struct Target {
  std::string name;     // "dc1"; "local" is reserved for the dns check
  std::string address;  // dotted IPv4
};

struct DnsCheck {
  std::string server;  // dotted IPv4, queried on port 53
  std::string zone;    // "example.net", without a trailing dot
};

// The min-sites guard: this site gossips over UDP with every other DNS site, from
// `address`:`port` to each peer's address at the same port, and gives up its announcement
// only once it has seen at least min_sites of them announcing for `fall` failing rounds (see
// decide_site and PeerView for the details).
struct GuardPeer {
  std::string name;     // the peer's node name, as its datagrams carry it
  std::string address;  // dotted IPv4; its datagrams must come from there
};

struct Guard {
  int min_sites = 0;  // 1 .. peers.size()
  uint16_t port = 0;
  std::string address;  // dotted IPv4: this host's own, to bind to
  std::vector<GuardPeer> peers;
};

struct Config {
  std::string node;
  // FRR's -N: which bgpd vtysh talks to. Optional: empty runs vtysh without -N, at the node's
  // one FRR, as in a container of an exported lab (clab_export/).
  std::string pathspace;
  std::string vtysh;
  // Optional: vtysh's --config_dir, where PATHSPACE/vtysh.conf is (the controller's Vtysh uses
  // LAB/vtysh); empty: vtysh's default, /etc/frr, which only makes it warn on stderr.
  std::string vtysh_config_dir;
  uint32_t asn = 0;
  std::vector<std::string> prefixes;  // network form: "198.51.100.0/26"
  std::string degrade_route_map;
  std::vector<Target> targets;
  std::vector<CheckKind> checks;  // in the file's order, each once
  uint16_t port = 0;
  std::optional<DnsCheck> dns;
  std::chrono::milliseconds interval{0};
  std::chrono::milliseconds timeout{0};
  int rise = 0;
  int fall = 0;
  Action action = Action::kWithdraw;
  std::string events;          // JSON-lines file healthd appends to
  std::optional<Guard> guard;  // none: the guard is off
  // Optional: bgpd's own configuration already announces the prefixes when healthd starts
  // (an exported lab's frr.conf carries the `network` lines, so that the lab routes as the
  // original did wherever healthd does not run). healthd then starts from "announced" and
  // its first failing round withdraws; without it a site that never became healthy would
  // go on announcing what frr.conf said.
  bool announced_at_start = false;

  bool has_check(CheckKind kind) const;
  // The kinds probed toward each target (tcp, icmp, http), in the file's order.
  std::vector<CheckKind> remote_checks() const;
};

// The one fatal user error: a configuration that cannot be used. what() holds one line per
// problem, each `FILE: FIELD: message`.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::vector<std::string>& problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// Reads and validates `path`; throws ConfigError listing every problem found.
Config load_config(const std::string& path);
// Validates JSON text as if it had been read from `path` (tests use this).
Config parse_config(const std::string& text, const std::string& path);

}  // namespace blastlab::healthd
