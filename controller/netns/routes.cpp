#include "controller/netns/routes.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/rtnetlink.h>

#include <cerrno>

#include "controller/netns/links.hpp"

namespace blastlab::netns {
namespace {

Status failed(const std::string& what, const NamespaceHandle& handle, const SysError& error) {
  return Status::error(fmt::format("{} in ns {}: {}", what, handle.name(), error.text), error.code);
}

std::string text_of(nl_addr* address) {
  char text[INET_ADDRSTRLEN] = {};
  if (address == nullptr || nl_addr_get_len(address) != 4 ||
      ::inet_ntop(AF_INET, nl_addr_get_binary_addr(address), text, sizeof text) == nullptr) {
    return {};
  }
  return text;
}

std::string protocol_name(uint8_t protocol) {
  switch (protocol) {
    case RTPROT_KERNEL:
      return "kernel";
    case RTPROT_BOOT:
      return "boot";
    case RTPROT_STATIC:
      return "static";
    case 186:
      return "bgp";  // FRR's numbers, as in /etc/iproute2/rt_protos.d
    case 188:
      return "ospf";
    case 196:
      return "staticd";
    default:
      return std::to_string(protocol);
  }
}

NlAddrPtr parse_address(const std::string& text, int prefix_length) {
  in_addr address{};
  if (::inet_pton(AF_INET, text.c_str(), &address) != 1) return nullptr;
  NlAddrPtr result(nl_addr_build(AF_INET, &address, sizeof address));
  if (result) nl_addr_set_prefixlen(result.get(), prefix_length);
  return result;
}

}  // namespace

std::string route_text(const RouteSpec& spec) {
  std::string text = fmt::format("{} route {}", spec.replace ? "replace" : "add", spec.prefix);
  if (!spec.gateway.empty()) text += " via " + spec.gateway;
  if (!spec.dev.empty()) text += " dev " + spec.dev;
  if (spec.metric) text += fmt::format(" metric {}", *spec.metric);
  return text;
}

Status add_ipv4_route(NamespaceHandle& handle, const RouteSpec& spec) {
  const std::string what = route_text(spec);
  auto slash = spec.prefix.find('/');
  int length = -1;
  if (slash != std::string::npos) {
    try {
      length = std::stoi(spec.prefix.substr(slash + 1));
    } catch (const std::exception&) {
      length = -1;
    }
  }
  NlAddrPtr destination =
      length >= 0 && length <= 32 ? parse_address(spec.prefix.substr(0, slash), length) : nullptr;
  NlAddrPtr gateway = spec.gateway.empty() ? nullptr : parse_address(spec.gateway, 32);
  if (!destination || (!gateway && !spec.gateway.empty()) || (!gateway && spec.dev.empty())) {
    return Status::error(fmt::format("{} in ns {}: give a prefix like 0.0.0.0/0 and a gateway "
                                     "address like 198.19.0.1, an interface, or both",
                                     what, handle.name()),
                         EINVAL);
  }
  int ifindex = 0;
  if (!spec.dev.empty()) {
    if (auto status = validate_ifname(spec.dev); !status) return status;
    SysError error;
    LinkPtr link = find_link(handle, spec.dev, error);
    if (!error.ok()) return failed(what, handle, error);
    ifindex = rtnl_link_get_ifindex(link.get());
  }
  RoutePtr route(rtnl_route_alloc());
  rtnl_nexthop* hop = rtnl_route_nh_alloc();
  if (!route || hop == nullptr) {
    if (hop != nullptr) rtnl_route_nh_free(hop);
    return failed(what, handle, sys_error(ENOMEM));
  }
  rtnl_route_set_family(route.get(), AF_INET);
  rtnl_route_set_table(route.get(), RT_TABLE_MAIN);
  rtnl_route_set_protocol(route.get(), RTPROT_STATIC);
  // Without a gateway the prefix is on the link itself, as `ip route add P dev X` makes it.
  rtnl_route_set_scope(route.get(), gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
  if (spec.metric) rtnl_route_set_priority(route.get(), *spec.metric);
  rtnl_route_set_type(route.get(), RTN_UNICAST);
  rtnl_route_set_dst(route.get(), destination.get());
  if (!spec.source.empty()) {
    NlAddrPtr source = parse_address(spec.source, 32);
    if (!source) {
      return Status::error(fmt::format("{} in ns {}: source '{}' is not an IPv4 address", what,
                                       handle.name(), spec.source),
                           EINVAL);
    }
    rtnl_route_set_pref_src(route.get(), source.get());
  }
  if (gateway) rtnl_route_nh_set_gateway(hop, gateway.get());
  if (ifindex != 0) rtnl_route_nh_set_ifindex(hop, ifindex);
  rtnl_route_add_nexthop(route.get(), hop);  // the route owns the hop from here on
  // rtnl_route_add adds NLM_F_CREATE: EXCL refuses an existing route, REPLACE swaps it.
  int flags = spec.replace ? NLM_F_REPLACE : NLM_F_EXCL;
  SysError error =
      handle.call([&](nl_sock* socket) { return rtnl_route_add(socket, route.get(), flags); });
  return error.ok() ? Status::ok() : failed(what, handle, error);
}

std::vector<RouteInfo> dump_ipv4_routes(NamespaceHandle& handle, SysError& error) {
  std::vector<RouteInfo> routes;
  nl_cache* raw = nullptr;
  error = handle.call(
      [&](nl_sock* socket) { return rtnl_route_alloc_cache(socket, AF_INET, 0, &raw); });
  CachePtr cache(raw);
  if (!error.ok()) return routes;
  for (nl_object* object = nl_cache_get_first(cache.get()); object != nullptr;
       object = nl_cache_get_next(object)) {
    auto* route = reinterpret_cast<rtnl_route*>(object);
    if (rtnl_route_get_table(route) != RT_TABLE_MAIN || rtnl_route_get_type(route) != RTN_UNICAST)
      continue;
    nl_addr* destination = rtnl_route_get_dst(route);
    RouteInfo info;
    std::string address = text_of(destination);
    info.prefix = fmt::format("{}/{}", address.empty() ? "0.0.0.0" : address,
                              destination != nullptr ? nl_addr_get_prefixlen(destination) : 0);
    info.protocol = protocol_name(rtnl_route_get_protocol(route));
    info.metric = rtnl_route_get_priority(route);
    if (rtnl_route_get_nnexthops(route) > 0) {
      rtnl_nexthop* hop = rtnl_route_nexthop_n(route, 0);
      info.gateway = text_of(rtnl_route_nh_get_gateway(hop));
    }
    routes.push_back(std::move(info));
  }
  return routes;
}

}  // namespace blastlab::netns
