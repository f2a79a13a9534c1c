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
// Where each daemon keeps its crash log and per-thread log buffers, in DAEMON.PID.
inline constexpr const char* kFrrTempDir = "/var/tmp/frr";
std::string config_file(const std::string& node_dir, Daemon daemon);
std::string log_file(const std::string& node_dir, Daemon daemon);

// The daemon runs in the foreground (the lab records its pid), as FRR's own user, with no
// TCP vty (vtysh reaches it through the pathspace's unix sockets), logging to its file.
std::vector<std::string> daemon_argv(Daemon daemon, const std::string& pathspace,
                                     const std::string& node_dir);

// The open-files limit (soft and hard) a daemon starts with: 1024, what FRR's own start
// gives it (MAX_FDS in /etc/frr/daemons), and for a bgpd with many neighbors room for two
// descriptors each. FRR sizes every event loop's arrays by this limit and zeroes them: at
// the 20000 a root shell here has, a router's zebra and bgpd held 3.7 MiB more resident for
// descriptors they never open.
unsigned long max_open_files(Daemon daemon, size_t bgp_neighbors);

}  // namespace blastlab::frr
