// IPv4 routes inside one namespace, through its handle: the static default routes of hosts
// that run no routing daemon (clients, DNS hosts), and a dump of the main table, which is
// how the lab tells that routing has converged (a prefix is "present" at a node when its
// kernel forwards on it, not merely when a daemon knows it). Callers hold the handle's lock.
#pragma once

#include <string>
#include <vector>

#include "controller/netns/namespace_handle.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::netns {

// "add route 198.18.5.0/24 via 192.0.2.2 dev eth1 metric 50", for messages.
std::string route_text(const RouteSpec& spec);
Status add_ipv4_route(NamespaceHandle& handle, const RouteSpec& spec);
std::vector<RouteInfo> dump_ipv4_routes(NamespaceHandle& handle, SysError& error);

}  // namespace blastlab::netns
