// The vtysh client: runs FRR commands in one lab node (vtysh -N PATHSPACE) and reads FRR's
// JSON output into typed results. The lab waits for convergence with it, `blastlab vtysh`
// hands a terminal to it, and later the scenario applies config changes through it. The
// parsers are free functions over JSON text so they are unit-tested on captured output.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/proc/process.hpp"

namespace blastlab::frr {

// FRR's files for one lab node live under /var/run/frr/PATHSPACE; a lab's pathspaces are
// "LAB_NODE" (FRR refuses dots there, and '_' is allowed in neither name, so two labs never
// share one).
std::string pathspace(const std::string& lab, const std::string& node);
inline constexpr const char* kFrrStateDir = "/var/run/frr";
// Debian's FRR package's vtysh.
inline constexpr const char* kVtyshBinary = "/usr/bin/vtysh";
// The --config_dir a lab's vtysh runs get: LAB_DIR/vtysh, holding PATHSPACE/vtysh.conf.
std::string vtysh_config_dir(const std::string& lab_dir);

struct BgpPeer {
  std::string address;
  std::string description;  // the lab renders the other node's name here
  uint32_t remote_as = 0;
  std::string state;       // "Established", "Active", "Connect", ...
  std::string peer_state;  // "OK", or "Admin" for a neighbor configured `shutdown`, ...
  uint64_t prefixes_received = 0;
  uint64_t prefixes_sent = 0;
  uint64_t uptime_ms = 0;
  bool established() const { return state == "Established"; }
  bool admin_down() const { return peer_state == "Admin"; }
};

struct BgpSummary {
  uint32_t as = 0;
  std::string router_id;
  std::vector<BgpPeer> peers;  // sorted by address
};

struct RibRoute {
  std::string prefix;
  std::string protocol;  // "bgp", "ospf", "connected", "static", "kernel"
  bool selected = false;
  bool installed = false;
  std::vector<std::string> nexthops;  // gateway addresses, or interface names
};

// One interface of `show ip ospf interface json`.
struct OspfInterfaceState {
  std::string ifname;
  bool up = false;
  bool enabled = false;
  bool passive = false;
  std::string area;
  std::string network_type;  // "POINTOPOINT", "BROADCAST", "LOOPBACK", ...
  int neighbors = 0;         // nbrCount
  int adjacent = 0;          // nbrAdjacentCount: neighbors Full
};

// What an OSPF router says about its part of the link-state database, for telling when
// the area has settled: its interfaces, its Full neighbors, the neighbors its own
// router-LSA names, and its database (every router, network and external LSA with its
// sequence number) as one comparable text.
struct OspfView {
  std::vector<OspfInterfaceState> interfaces;
  std::vector<std::string> full_neighbors;  // router IDs, sorted
  std::vector<std::string> lsa_neighbors;   // point-to-point neighbors in its own router-LSA
  int lsa_transit_links = 0;                // transit networks in its own router-LSA
  std::string database;                     // "AREA router LSID ADV SEQ\n...", sorted
};

// What an IS-IS router says of its circuits (interfaces running IS-IS, passive or not) and
// its adjacencies.
struct IsisView {
  struct Circuit {
    std::string ifname;
    bool passive = false;
  };
  struct Adjacency {
    std::string ifname;
    std::string neighbor;  // the other system's name
    std::string state;     // "Up", "Initializing", "Down"
  };
  std::vector<Circuit> circuits;
  std::vector<Adjacency> adjacencies;
};

// Parse `show bgp summary json` / `show ip route json` / `show ip ospf interface json`. On
// malformed input return nullopt and set *error.
std::optional<BgpSummary> parse_bgp_summary(const std::string& json, std::string* error);
std::optional<std::vector<RibRoute>> parse_ip_routes(const std::string& json, std::string* error);
std::optional<std::vector<OspfInterfaceState>> parse_ospf_interfaces(const std::string& json,
                                                                     std::string* error);
// The four answers of ospf_view()'s commands, one JSON document after the other.
std::optional<OspfView> parse_ospf_view(const std::string& documents, std::string* error);
// The two answers of isis_view()'s commands.
std::optional<IsisView> parse_isis_view(const std::string& documents, std::string* error);

// How the read-only queries below (bgp_summary ... isis_view) reach the daemons: straight
// to the daemon's vty socket (vty_socket.hpp), or through a vtysh run, which the unit tests'
// fake runners answer. Commands (run, apply_file) always go through vtysh.
enum class ShowPath { kVtySocket, kVtyshProgram };

class Vtysh {
 public:
  // lab_dir: the lab's directory, where vtysh_config_dir() is.
  Vtysh(proc::ProcessRunner& runner, const std::string& lab_dir,
        ShowPath show_path = ShowPath::kVtySocket, std::string binary = kVtyshBinary);

  // The argv of `vtysh -N PATHSPACE [-c CMD]...`, for running it here or handing it a tty.
  std::vector<std::string> argv(const std::string& pathspace,
                                const std::vector<std::string>& commands) const;
  proc::RunResult run(const std::string& pathspace, const std::vector<std::string>& commands,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  std::optional<BgpSummary> bgp_summary(const std::string& pathspace, std::string* error);
  std::optional<std::vector<RibRoute>> ip_routes(const std::string& pathspace, std::string* error);
  std::optional<std::vector<OspfInterfaceState>> ospf_interfaces(const std::string& pathspace,
                                                                 std::string* error);
  // One vtysh run: interfaces, neighbors, its own router-LSA and the database.
  std::optional<OspfView> ospf_view(const std::string& pathspace, std::string* error);
  // One vtysh run: `show isis interface detail json`, `show isis neighbor json`.
  std::optional<IsisView> isis_view(const std::string& pathspace, std::string* error);
  // Sends a whole configuration file to the node's daemons (`vtysh -f FILE`), as FRR's own
  // start does with an integrated frr.conf.
  proc::RunResult apply_file(const std::string& pathspace, const std::string& file,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30));

 private:
  // The commands' outputs, one after the other, from the one daemon that answers them.
  std::optional<std::string> show(const std::string& pathspace, std::string_view daemon,
                                  const std::vector<std::string>& commands, std::string* error);
  proc::ProcessRunner& runner_;
  ShowPath show_path_;
  std::string config_dir_;
  std::string binary_;
};

}  // namespace blastlab::frr
