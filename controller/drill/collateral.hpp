// Collateral of a drill: what the trainee left changed in the routers' configuration
// beyond undoing the fault. A right fix gives the pre-fault configuration back, or leaves
// only lines the fault itself touched (a fault the trainee worked around instead of
// undoing is judged by the restored conditions, not here); every other line that differs
// from the pre-fault configuration is collateral: a shutdown left on an interface that was
// only suspected, a debug route, a neighbor re-created with other settings.
#pragma once

#include <string>
#include <vector>

namespace blastlab::drill {

// One configuration line that differs from the pre-fault configuration, with the blocks it
// sits in (`router bgp 64500`, `address-family ipv4 unicast`).
struct ConfigChange {
  std::string router;                // empty from collateral_lines() on one router
  std::vector<std::string> context;  // headers of the enclosing blocks, outermost first
  std::string line;
  bool added = false;  // in the final configuration only; false: in the pre-fault one only

  // "+ router bgp 64500 > neighbor 10.0.0.1 shutdown"
  std::string text() const;
};

// The lines of `final_config` that differ from `pre` (added, or removed) and that the
// fault did not change (lines of `pre` that `faulted` lacks, or lines `faulted` added).
// Configurations are compared as FRR running-config trees (frr/config_diff.hpp), each line
// by its whole text within its blocks, so order and `exit`s do not count. Removals come
// first in `pre`'s order, then additions in `final_config`'s.
std::vector<ConfigChange> collateral_lines(const std::string& pre, const std::string& faulted,
                                           const std::string& final_config);

// A DNS host's running configuration without the lines its healthd owns: the `network`
// statements of the anycast prefixes (with or without the degrade route-map), which healthd
// adds and removes as its health checks pass and fail. They are the site's state, not
// configuration a fault or a trainee made, and are left out of every comparison.
std::string without_healthd_lines(const std::string& config,
                                  const std::vector<std::string>& anycast_prefixes);

// One router's running configuration at the three moments of a drill.
struct RouterConfigs {
  std::string router;
  std::string pre;           // before the fault
  std::string faulted;       // right after the fault's steps
  std::string final_config;  // when the drill ended
};

// collateral_lines() of every router, each change naming its router, in the given order.
std::vector<ConfigChange> collateral_lines(const std::vector<RouterConfigs>& routers);

}  // namespace blastlab::drill
