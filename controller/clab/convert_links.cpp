// Links: a veth link between two lab nodes is a blastlab link with the endpoints' own
// addresses and MTU. Every other type reaches outside the lab (the host's network through a
// host, macvlan or mgmt-net link; another machine through vxlan) or has no second end, so it
// is refused: the lab is sealed.
#include <fmt/format.h>

#include <algorithm>

#include "controller/clab/convert_parts.hpp"

namespace blastlab::clab {

namespace {

std::string refused_type_message(LinkType type) {
  switch (type) {
    case LinkType::kHost:
    case LinkType::kMacvlan:
    case LinkType::kMgmtNet:
      return fmt::format(
          "a {} link connects a node to the host's network; a blastlab lab is "
          "sealed from it, so only veth links between lab nodes are allowed",
          link_type_name(type));
    case LinkType::kVxlan:
    case LinkType::kVxlanStitch:
      return fmt::format(
          "a {} link reaches another machine; a blastlab lab lives on one host, "
          "so only veth links between lab nodes are allowed",
          link_type_name(type));
    case LinkType::kVethStitch:
      return "a veth-stitch link is containerlab's own plumbing; write a veth link between the "
             "two nodes";
    case LinkType::kDummy:
      return "a dummy link is an interface with no other end, which blastlab's links cannot "
             "be; link the interface to another node, or leave it out";
    case LinkType::kVeth:
      break;
  }
  return "";
}

bool is_ifname_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// The reader has checked what Linux refuses; blastlab's own rule is narrower (the names are
// written into journals and frr.conf lines).
bool check_interface(const Endpoint& end, Findings& findings) {
  const std::string& name = end.interface;
  if (std::all_of(name.begin(), name.end(), is_ifname_char)) return true;
  findings.error(end.mark, end.field,
                 fmt::format("interface name '{}' has characters blastlab does not allow; "
                             "interface names are letters, digits, '_', '.' and '-': rename it "
                             "here and in the node's configuration",
                             name));
  return false;
}

std::optional<model::Link> convert_link(const Link& link, Findings& findings) {
  model::Link out;
  out.mark = link.mark;
  out.mtu = kDefaultLinkMtu;
  bool ok = true;
  if (link.mtu) {
    if (link.mtu->value < 68) {
      findings.error(*link.mtu, fmt::format("mtu {} is below 68, the least Linux allows for "
                                            "IPv4; give 68 to 65535",
                                            link.mtu->value));
      ok = false;
    }
    out.mtu = link.mtu->value;
  }
  const Endpoint& a = link.endpoints[0];
  const Endpoint& b = link.endpoints[1];
  if (a.node == b.node) {
    findings.error(b.mark, b.field,
                   fmt::format("link from {0}:{1} to {0}:{2} joins node {0} to itself; blastlab "
                               "makes each link a veth pair between two nodes' namespaces, so a "
                               "link joins two different nodes",
                               a.node, a.interface, b.interface));
    ok = false;
  }
  for (const auto* end : {&a, &b}) {
    ok = check_interface(*end, findings) && ok;
    if (end->ipv6) {
      findings.warn(*end->ipv6, fmt::format("IPv6 address {} is not configured: blastlab sets "
                                            "IPv4 addresses only",
                                            end->ipv6->value));
    }
    if (end->mac) {
      findings.warn(*end->mac, fmt::format("MAC address {} is not set: the kernel picks the "
                                           "interface's address",
                                           end->mac->value));
    }
  }
  if (!ok) return std::nullopt;
  for (auto [from, to] : {std::pair{&a, &out.a}, std::pair{&b, &out.b}}) {
    to->node = from->node;
    to->ifname = from->interface;
    // The user's own address, whatever it is: the lab is sealed, so it cannot leak.
    if (from->ipv4) to->address = from->ipv4->value;
  }
  return out;
}

}  // namespace

std::vector<model::Link> convert_links(const Topology& topology,
                                       const std::vector<std::string>& converted,
                                       Findings& findings) {
  std::vector<model::Link> links;
  auto known = [&](const std::string& node) {
    return std::find(converted.begin(), converted.end(), node) != converted.end();
  };
  for (const auto& link : topology.links) {
    if (link.type != LinkType::kVeth) {
      findings.error(link.mark, link.field, refused_type_message(link.type));
      continue;
    }
    // A link to a node that could not be converted has been reported at that node.
    if (link.endpoints.size() != 2 || !known(link.endpoints[0].node) ||
        !known(link.endpoints[1].node)) {
      continue;
    }
    if (auto out = convert_link(link, findings)) links.push_back(std::move(*out));
  }
  return links;
}

}  // namespace blastlab::clab
