// Synthetic rtnetlink datagrams for routewatch's unit tests, laid out with the kernel's own
// structs (nlmsghdr, rtmsg, rtattr, rtnexthop, rtvia, ifinfomsg, ifaddrmsg) exactly as the kernel
// sends them, and the agents' shared test helpers (a temporary directory, reading an events file).
#pragma once

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agents/common/test_support.hpp"

namespace blastlab::routewatch::testing {

using agent::testing::read_events;
using agent::testing::TempDir;

using Bytes = std::vector<uint8_t>;

struct RouteSpec {
  uint16_t message = RTM_NEWROUTE;
  uint8_t family = AF_INET;
  std::string destination = "198.51.100.0";  // empty: no RTA_DST (a default route)
  uint8_t length = 26;
  uint8_t table = RT_TABLE_MAIN;                            // rtm_table
  std::optional<uint32_t> table_attribute = RT_TABLE_MAIN;  // RTA_TABLE, as the kernel adds
  uint8_t protocol = RTPROT_BGP;
  uint8_t type = RTN_UNICAST;
  uint32_t flags = 0;  // rtm_flags
  uint8_t tos = 0;
  std::optional<uint32_t> priority;
  std::string gateway;                 // RTA_GATEWAY
  std::string via6;                    // RTA_VIA with an IPv6 address
  std::vector<std::string> multipath;  // RTA_MULTIPATH, one rtnexthop per gateway ("" none)
  std::optional<uint32_t> oif;         // RTA_OIF
  uint16_t nlmsg_flags = 0;
  uint32_t seq = 0;
};

inline void pad4(Bytes& out) {
  while (out.size() % 4 != 0) out.push_back(0);
}

template <typename T>
void append(Bytes& out, const T& value) {
  const auto* p = reinterpret_cast<const uint8_t*>(&value);
  out.insert(out.end(), p, p + sizeof(T));
}

inline void append_attribute(Bytes& out, uint16_t type, const Bytes& payload) {
  rtattr header{static_cast<unsigned short>(RTA_LENGTH(payload.size())), type};
  append(out, header);
  out.insert(out.end(), payload.begin(), payload.end());
  pad4(out);
}

inline Bytes ipv4(const std::string& text) {
  in_addr a{};
  ::inet_pton(AF_INET, text.c_str(), &a);
  Bytes out;
  append(out, a);
  return out;
}

inline Bytes u32(uint32_t value) {
  Bytes out;
  append(out, value);
  return out;
}

inline Bytes via_ipv6(const std::string& text) {
  in6_addr a{};
  ::inet_pton(AF_INET6, text.c_str(), &a);
  Bytes out;
  append(out, static_cast<__kernel_sa_family_t>(AF_INET6));
  append(out, a);
  return out;
}

// Wraps `payload` in an nlmsghdr with its length filled in.
inline Bytes message(uint16_t type, uint16_t flags, uint32_t seq, const Bytes& payload) {
  nlmsghdr header{};
  header.nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(payload.size()));
  header.nlmsg_type = type;
  header.nlmsg_flags = flags;
  header.nlmsg_seq = seq;
  Bytes out;
  append(out, header);
  out.insert(out.end(), payload.begin(), payload.end());
  pad4(out);
  return out;
}

inline Bytes route(const RouteSpec& spec) {
  rtmsg body{};
  body.rtm_family = spec.family;
  body.rtm_dst_len = spec.length;
  body.rtm_tos = spec.tos;
  body.rtm_table = spec.table;
  body.rtm_protocol = spec.protocol;
  body.rtm_scope = RT_SCOPE_UNIVERSE;
  body.rtm_type = spec.type;
  body.rtm_flags = spec.flags;
  Bytes payload;
  append(payload, body);
  pad4(payload);
  if (spec.table_attribute) append_attribute(payload, RTA_TABLE, u32(*spec.table_attribute));
  if (!spec.destination.empty()) append_attribute(payload, RTA_DST, ipv4(spec.destination));
  if (spec.priority) append_attribute(payload, RTA_PRIORITY, u32(*spec.priority));
  if (!spec.gateway.empty()) append_attribute(payload, RTA_GATEWAY, ipv4(spec.gateway));
  if (!spec.via6.empty()) append_attribute(payload, RTA_VIA, via_ipv6(spec.via6));
  if (spec.oif) append_attribute(payload, RTA_OIF, u32(*spec.oif));
  if (!spec.multipath.empty()) {
    Bytes hops;
    for (const std::string& gateway : spec.multipath) {
      Bytes attributes;
      if (!gateway.empty()) append_attribute(attributes, RTA_GATEWAY, ipv4(gateway));
      rtnexthop hop{};
      hop.rtnh_len = static_cast<unsigned short>(RTNH_LENGTH(attributes.size()));
      hop.rtnh_ifindex = 2;
      append(hops, hop);
      hops.insert(hops.end(), attributes.begin(), attributes.end());
    }
    append_attribute(payload, RTA_MULTIPATH, hops);
  }
  return message(spec.message, spec.nlmsg_flags, spec.seq, payload);
}

// RTM_NEWLINK (or RTM_DELLINK) for interface 2 with interface flags `flags` (IFF_UP, ...).
inline Bytes link(uint32_t flags, uint16_t type = RTM_NEWLINK) {
  ifinfomsg body{};
  body.ifi_family = AF_UNSPEC;
  body.ifi_index = 2;
  body.ifi_flags = flags;
  Bytes payload;
  append(payload, body);
  return message(type, 0, 0, payload);
}

// RTM_NEWADDR or RTM_DELADDR of an address of `family` on interface 2.
inline Bytes address(uint16_t type, uint8_t family = AF_INET) {
  ifaddrmsg body{};
  body.ifa_family = family;
  body.ifa_prefixlen = 30;
  body.ifa_index = 2;
  Bytes payload;
  append(payload, body);
  append_attribute(payload, IFA_LOCAL, ipv4("198.18.0.1"));
  return message(type, 0, 0, payload);
}

inline Bytes done(int status = 0, uint16_t flags = NLM_F_MULTI) {
  return message(NLMSG_DONE, flags, 1, u32(static_cast<uint32_t>(status)));
}

inline Bytes error(int negative_errno) {
  nlmsgerr body{};
  body.error = negative_errno;
  Bytes payload;
  append(payload, body);
  return message(NLMSG_ERROR, 0, 1, payload);
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

}  // namespace blastlab::routewatch::testing
