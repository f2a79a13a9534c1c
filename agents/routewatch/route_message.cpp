// rtnetlink decoding: bounds-checked walks over nlmsghdr, rtmsg, rtattr and rtnexthop.
#include "agents/routewatch/route_message.hpp"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace blastlab::routewatch {

namespace {

// Every read goes through memcpy: a datagram's bytes carry no alignment promise that a
// test's buffer (or a future kernel's padding) must keep, and a cast would be undefined.
template <typename T>
std::optional<T> read_at(std::span<const uint8_t> bytes, size_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) return std::nullopt;
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

size_t align4(size_t n) {
  return (n + 3) & ~size_t{3};
}

std::string address_text(int family, std::span<const uint8_t> address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (family == AF_INET && address.size() == 4) {
    in_addr a;
    std::memcpy(&a, address.data(), 4);
    return ::inet_ntop(AF_INET, &a, text, sizeof text) ? text : "";
  }
  if (family == AF_INET6 && address.size() == 16) {
    in6_addr a;
    std::memcpy(&a, address.data(), 16);
    return ::inet_ntop(AF_INET6, &a, text, sizeof text) ? text : "";
  }
  return "";
}

// Calls visit(type, payload) for each rtattr in `bytes`; stops at the first one whose
// length does not fit, since nothing after it can be located.
template <typename Visit>
void for_each_attribute(std::span<const uint8_t> bytes, Visit visit) {
  size_t offset = 0;
  while (auto attr = read_at<rtattr>(bytes, offset)) {
    if (attr->rta_len < sizeof(rtattr) || attr->rta_len > bytes.size() - offset) return;
    visit(attr->rta_type, bytes.subspan(offset + sizeof(rtattr), attr->rta_len - sizeof(rtattr)));
    offset += align4(attr->rta_len);
  }
}

// The address an RTA_GATEWAY (same family as the route) or RTA_VIA (a nexthop of another
// family) attribute names; empty for any other attribute.
std::string gateway_of(uint8_t family, uint16_t type, std::span<const uint8_t> payload) {
  if (type == RTA_GATEWAY) return address_text(family, payload);
  if (type != RTA_VIA) return "";
  auto via_family = read_at<__kernel_sa_family_t>(payload, 0);
  return via_family ? address_text(*via_family, payload.subspan(sizeof(__kernel_sa_family_t))) : "";
}

// The gateway among one nexthop's attributes.
std::string nexthop_gateway(uint8_t family, std::span<const uint8_t> attributes) {
  std::string gateway;
  for_each_attribute(attributes, [&](uint16_t type, std::span<const uint8_t> payload) {
    if (gateway.empty()) gateway = gateway_of(family, type, payload);
  });
  return gateway;
}

// The first nexthop of RTA_MULTIPATH that has an address: a list of rtnexthop headers,
// each followed by that nexthop's own attributes. *oif is the first nexthop's interface.
std::string first_multipath_gateway(uint8_t family, std::span<const uint8_t> payload,
                                    uint32_t* oif) {
  size_t offset = 0;
  if (auto first = read_at<rtnexthop>(payload, 0))
    *oif = static_cast<uint32_t>(first->rtnh_ifindex);
  while (auto hop = read_at<rtnexthop>(payload, offset)) {
    if (hop->rtnh_len < sizeof(rtnexthop) || hop->rtnh_len > payload.size() - offset) break;
    std::string gateway = nexthop_gateway(
        family, payload.subspan(offset + sizeof(rtnexthop), hop->rtnh_len - sizeof(rtnexthop)));
    if (!gateway.empty()) return gateway;
    offset += align4(hop->rtnh_len);
  }
  return "";
}

std::optional<uint32_t> read_u32(std::span<const uint8_t> value) {
  return value.size() == 4 ? read_at<uint32_t>(value, 0) : std::nullopt;
}

// Reads one of the route's own attributes into `route`. A multipath route's gateway is
// kept aside: a plain RTA_GATEWAY, where both appear, describes the route better.
void read_route_attribute(uint16_t type, std::span<const uint8_t> value, RouteMessage& route,
                          std::string& multipath_gateway, uint32_t& multipath_oif) {
  if (type == RTA_DST) {
    if (auto network_order = read_u32(value)) route.prefix.address.value = ntohl(*network_order);
  } else if (type == RTA_TABLE) {
    if (auto table = read_u32(value)) route.table = *table;
  } else if (type == RTA_PRIORITY) {
    if (auto priority = read_u32(value)) route.priority = *priority;
  } else if (type == RTA_MULTIPATH) {
    if (multipath_gateway.empty())
      multipath_gateway = first_multipath_gateway(route.family, value, &multipath_oif);
  } else if (type == RTA_OIF) {
    if (auto oif = read_u32(value)) route.oif = *oif;
  } else if (route.gateway.empty()) {
    route.gateway = gateway_of(route.family, type, value);
  }
}

std::optional<RouteMessage> parse_route(uint16_t type, std::span<const uint8_t> payload) {
  auto header = read_at<rtmsg>(payload, 0);
  if (!header) return std::nullopt;
  RouteMessage route;
  route.removed = type == RTM_DELROUTE;
  route.family = header->rtm_family;
  route.table = header->rtm_table;
  route.protocol = header->rtm_protocol;
  route.type = header->rtm_type;
  route.flags = header->rtm_flags;
  route.tos = header->rtm_tos;
  route.prefix.length = header->rtm_dst_len;
  std::string multipath_gateway;
  uint32_t multipath_oif = 0;
  for_each_attribute(payload.subspan(std::min(payload.size(), align4(sizeof(rtmsg)))),
                     [&](uint16_t attr, std::span<const uint8_t> value) {
                       read_route_attribute(attr, value, route, multipath_gateway, multipath_oif);
                     });
  if (route.gateway.empty()) route.gateway = multipath_gateway;
  if (route.oif == 0) route.oif = multipath_oif;
  return route;
}

}  // namespace

NetlinkBatch parse_netlink(std::span<const uint8_t> datagram) {
  NetlinkBatch batch;
  size_t offset = 0;
  while (offset < datagram.size()) {
    auto header = read_at<nlmsghdr>(datagram, offset);
    if (!header) {
      batch.malformed = "netlink header cut short at byte " + std::to_string(offset);
      break;
    }
    if (header->nlmsg_len < sizeof(nlmsghdr) || header->nlmsg_len > datagram.size() - offset) {
      batch.malformed = "netlink message at byte " + std::to_string(offset) + " claims " +
                        std::to_string(header->nlmsg_len) + " bytes of " +
                        std::to_string(datagram.size() - offset) + " left";
      break;
    }
    auto payload = datagram.subspan(offset + NLMSG_HDRLEN, header->nlmsg_len - NLMSG_HDRLEN);
    if (header->nlmsg_flags & NLM_F_DUMP_INTR) batch.dump_interrupted = true;
    if (header->nlmsg_type == RTM_NEWROUTE || header->nlmsg_type == RTM_DELROUTE) {
      if (auto route = parse_route(header->nlmsg_type, payload)) {
        batch.routes.push_back(std::move(*route));
      } else {
        batch.malformed = "route message at byte " + std::to_string(offset) + " too short";
        break;
      }
    } else if (header->nlmsg_type == RTM_NEWLINK) {
      auto link = read_at<ifinfomsg>(payload, 0);
      if (link && !(link->ifi_flags & IFF_UP)) batch.interface_went_down = true;
    } else if (header->nlmsg_type == RTM_DELLINK) {
      batch.interface_went_down = true;
    } else if (header->nlmsg_type == RTM_DELADDR) {
      auto address = read_at<ifaddrmsg>(payload, 0);
      if (address && address->ifa_family == AF_INET) batch.interface_went_down = true;
    } else if (header->nlmsg_type == NLMSG_DONE) {
      batch.done = true;
      // A dump that failed part-way ends with its negative errno here.
      if (auto status = read_at<int>(payload, 0); status && *status < 0) batch.error = -*status;
    } else if (header->nlmsg_type == NLMSG_ERROR) {
      if (auto status = read_at<int>(payload, 0); status && *status < 0) batch.error = -*status;
    }
    offset += align4(header->nlmsg_len);
  }
  return batch;
}

std::vector<uint8_t> route_dump_request(uint32_t seq) {
  struct {
    nlmsghdr header;
    rtmsg body;
  } request{};
  request.header.nlmsg_len = NLMSG_LENGTH(sizeof(rtmsg));
  request.header.nlmsg_type = RTM_GETROUTE;
  request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  request.header.nlmsg_seq = seq;
  request.body.rtm_family = AF_INET;
  std::vector<uint8_t> bytes(request.header.nlmsg_len);
  std::memcpy(bytes.data(), &request, bytes.size());
  return bytes;
}

std::string protocol_name(uint8_t protocol) {
  switch (protocol) {
    case RTPROT_UNSPEC:
      return "unspec";
    case RTPROT_REDIRECT:
      return "redirect";
    case RTPROT_KERNEL:
      return "kernel";
    case RTPROT_BOOT:
      return "boot";
    case RTPROT_STATIC:
      return "static";
    case RTPROT_GATED:
      return "gated";
    case RTPROT_RA:
      return "ra";
    case RTPROT_MRT:
      return "mrt";
    case RTPROT_ZEBRA:
      return "zebra";
    case RTPROT_BIRD:
      return "bird";
    case RTPROT_DNROUTED:
      return "dnrouted";
    case RTPROT_XORP:
      return "xorp";
    case RTPROT_NTK:
      return "ntk";
    case RTPROT_DHCP:
      return "dhcp";
    case RTPROT_MROUTED:
      return "mrouted";
    case RTPROT_KEEPALIVED:
      return "keepalived";
    case RTPROT_BABEL:
      return "babel";
    case RTPROT_OPENR:
      return "openr";
    case RTPROT_BGP:
      return "bgp";
    case RTPROT_ISIS:
      return "isis";
    case RTPROT_OSPF:
      return "ospf";
    case RTPROT_RIP:
      return "rip";
    case RTPROT_EIGRP:
      return "eigrp";
    // FRR's own numbers (its rt_protos.d/frr.conf); the kernel headers do not name them.
    case 190:
      return "ripng";
    case 191:
      return "nhrp";
    case 193:
      return "ldp";
    case 194:
      return "sharp";
    case 195:
      return "pbr";
    case 196:
      return "static";  // FRR's staticd, which `ip route` also shows as "static"
    case 197:
      return "openfabric";
    case 198:
      return "srte";
    default:
      return std::to_string(protocol);
  }
}

}  // namespace blastlab::routewatch
