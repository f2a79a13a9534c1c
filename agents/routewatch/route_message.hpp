// The rtnetlink messages routewatch reads, decoded from raw bytes into plain values, and
// the one request it sends. Kept apart from the socket so that every decoding rule (which
// table a route is in, which address is its gateway, what ends a dump) is tested on
// synthetic buffers built from the kernel's own structs, without root.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "controller/model/ip.hpp"

namespace blastlab::routewatch {

// One RTM_NEWROUTE or RTM_DELROUTE, as the kernel described the route.
struct RouteMessage {
  bool removed = false;  // RTM_DELROUTE
  uint8_t family = 0;    // AF_INET, AF_INET6, ...
  uint32_t table = 0;    // RTA_TABLE when present (tables above 255), else rtm_table
  uint8_t protocol = 0;  // rtm_protocol: who installed it (RTPROT_*)
  uint8_t type = 0;      // rtm_type: RTN_UNICAST, RTN_BLACKHOLE, ...
  uint32_t flags = 0;    // rtm_flags (RTM_F_CLONED, ...)
  uint8_t tos = 0;
  uint32_t priority = 0;  // RTA_PRIORITY (the metric); 0 when absent
  // The destination; meaningful for AF_INET only. A default route has no RTA_DST and
  // reads as 0.0.0.0/0.
  model::Ipv4Prefix prefix;
  // The first nexthop's address: RTA_GATEWAY, RTA_VIA (an IPv6 nexthop for an IPv4 route,
  // as FRR installs for BGP unnumbered), or the first of RTA_MULTIPATH. Empty when the
  // route has none (blackhole, directly connected).
  std::string gateway;
  // The interface it leaves by: RTA_OIF, or the first nexthop's of RTA_MULTIPATH; 0 when
  // the route has none (blackhole).
  uint32_t oif = 0;
};

// What one datagram from the socket held, in order.
struct NetlinkBatch {
  std::vector<RouteMessage> routes;
  bool done = false;              // NLMSG_DONE: the end of a dump
  bool dump_interrupted = false;  // NLM_F_DUMP_INTR: the table changed under the dump
  // A link went down or away (RTM_NEWLINK without IFF_UP, RTM_DELLINK) or an IPv4 address
  // was removed (RTM_DELADDR). The kernel then flushes the routes that depended on it
  // without sending RTM_DELROUTE for them, so only a new dump can tell.
  bool interface_went_down = false;
  int error = 0;          // errno of an NLMSG_ERROR that is not an ack; 0 if none
  std::string malformed;  // why decoding stopped early; empty when it did not
};

// Decodes a datagram of netlink messages. Messages other than routes, link and address
// changes, done and errors are skipped; a message cut short or with an impossible length ends
// decoding and says so in `malformed`, keeping what was decoded before it.
NetlinkBatch parse_netlink(std::span<const uint8_t> datagram);

// RTM_GETROUTE dump request for every IPv4 route, with sequence number `seq`.
std::vector<uint8_t> route_dump_request(uint32_t seq);

// The name iproute2 gives an rtm_protocol value ("bgp" for 186, "ospf" for 188, ...), from
// linux/rtnetlink.h plus the numbers FRR registers for its daemons; the decimal number for
// any other value.
std::string protocol_name(uint8_t protocol);

}  // namespace blastlab::routewatch
