// How an FRR daemon of a lab node is started: which binary, with which pathspace, config,
// pid and log file. Every file of a node's daemons sits in the node's directory of the lab
// (/run/blastlab/LAB/nodes/NODE/), named after the daemon: bgpd.conf, bgpd.log, bgpd.pid.
#pragma once

#include <string>
#include <vector>

#include "controller/frr/plan.hpp"

namespace blastlab::frr {

// Where Debian's FRR package puts its daemons.
inline constexpr const char* kDaemonDirectory = "/usr/lib/frr";
std::string config_file(const std::string& node_dir, Daemon daemon);
std::string log_file(const std::string& node_dir, Daemon daemon);

// The daemon runs in the foreground (the lab records its pid), as FRR's own user, with no
// TCP vty (vtysh reaches it through the pathspace's unix sockets), logging to its file.
std::vector<std::string> daemon_argv(Daemon daemon, const std::string& pathspace,
                                     const std::string& node_dir);

}  // namespace blastlab::frr
