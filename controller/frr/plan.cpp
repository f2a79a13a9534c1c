#include "controller/frr/plan.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace blastlab::frr {
namespace {

using model::Node;
using model::Role;

bool is_operator(Role role) {
  return role == Role::kDatacenter || role == Role::kBackbone || role == Role::kEdge;
}

// The other end of a link, seen from `self`.
struct Adjacency {
  const model::Endpoint* self;
  const model::Endpoint* other;
};

std::vector<Adjacency> adjacencies(const model::Topology& topology, const std::string& node) {
  std::vector<Adjacency> result;
  for (const auto* link : topology.links_of(node)) {
    if (link->a.node == node) result.push_back({&link->a, &link->b});
    if (link->b.node == node) result.push_back({&link->b, &link->a});
  }
  return result;
}

bool originates_operator_prefix(const model::Topology& topology, const Node& node) {
  for (const auto& prefix : topology.services.prefixes) {
    if (std::find(prefix.from.begin(), prefix.from.end(), node.name) != prefix.from.end())
      return true;
  }
  return false;
}

bool speaks_bgp(const model::Topology& topology, const Node& node) {
  switch (node.role) {
    case Role::kBackbone:
    case Role::kEdge:
    case Role::kDns:
    case Role::kPeer:
      return true;
    case Role::kDatacenter:
      return originates_operator_prefix(topology, node);
    case Role::kClient:
    case Role::kRouter:
    case Role::kHost:
      return false;
  }
  return false;
}

// Route-map names by what the other side is: the policies themselves are rendered once per
// node from these names (render.cpp).
std::pair<std::string, std::string> ebgp_policy(Role self, Role other) {
  if (self == Role::kPeer) return {"FROM-ANY", "TO-ANY"};
  if (self == Role::kDns) return {"DENY-ALL", "TO-OPERATOR"};
  if (other == Role::kDns) return {"FROM-DNS", "DENY-ALL"};
  return {"FROM-PEER", "TO-PEER"};
}

}  // namespace

namespace {

constexpr std::array<std::pair<Daemon, std::string_view>, 18> kDaemonNames = {{
    {Daemon::kZebra, "zebra"},
    {Daemon::kStaticd, "staticd"},
    {Daemon::kOspfd, "ospfd"},
    {Daemon::kBgpd, "bgpd"},
    {Daemon::kOspf6d, "ospf6d"},
    {Daemon::kIsisd, "isisd"},
    {Daemon::kRipd, "ripd"},
    {Daemon::kRipngd, "ripngd"},
    {Daemon::kBfdd, "bfdd"},
    {Daemon::kPimd, "pimd"},
    {Daemon::kLdpd, "ldpd"},
    {Daemon::kEigrpd, "eigrpd"},
    {Daemon::kBabeld, "babeld"},
    {Daemon::kFabricd, "fabricd"},
    {Daemon::kPbrd, "pbrd"},
    {Daemon::kVrrpd, "vrrpd"},
    {Daemon::kNhrpd, "nhrpd"},
    {Daemon::kPathd, "pathd"},
}};

}  // namespace

std::string_view to_string(Daemon daemon) {
  for (const auto& [value, name] : kDaemonNames)
    if (value == daemon) return name;
  return "?";
}

std::optional<Daemon> daemon_from_string(std::string_view name) {
  for (const auto& [value, text] : kDaemonNames)
    if (text == name) return value;
  return std::nullopt;
}

const std::vector<Daemon>& all_daemons() {
  static const std::vector<Daemon> daemons = [] {
    std::vector<Daemon> list;
    for (const auto& entry : kDaemonNames) list.push_back(entry.first);
    return list;
  }();
  return daemons;
}

bool RouterPlan::runs(Daemon daemon) const {
  return std::find(daemons.begin(), daemons.end(), daemon) != daemons.end();
}

const RouterPlan* RoutingPlan::find(std::string_view node) const {
  for (const auto& router : routers)
    if (router.node == node) return &router;
  return nullptr;
}

RoutingPlan plan_routing(const model::Topology& topology) {
  RoutingPlan plan;
  std::vector<const Node*> reflectors;
  std::vector<const Node*> internal_speakers;
  for (const auto& node : topology.nodes) {
    if (!is_operator(node.role) || !speaks_bgp(topology, node)) continue;
    internal_speakers.push_back(&node);
    if (node.role == Role::kBackbone && node.route_reflector) reflectors.push_back(&node);
  }
  auto is_reflector = [&](const Node* n) {
    return std::find(reflectors.begin(), reflectors.end(), n) != reflectors.end();
  };
  // iBGP: a mesh among reflectors, reflectors to everyone else; a full mesh without any.
  auto ibgp_pair = [&](const Node* x, const Node* y) {
    if (reflectors.empty()) return true;
    return is_reflector(x) || is_reflector(y);
  };

  for (const auto& node : topology.nodes) {
    if (node.role == Role::kClient) {
      for (const auto& adj : adjacencies(topology, node.name)) {
        const Node* other = topology.find_node(adj.other->node);
        if (other && other->role == Role::kPeer) {
          std::optional<model::Ipv4Address> source;
          if (node.network) source = node.network->address;
          plan.host_routes.push_back({node.name, *model::Ipv4Prefix::parse("0.0.0.0/0"),
                                      adj.other->address->address, source});
          break;
        }
      }
      if (node.network) plan.service_addresses.push_back({node.name, {node.network->address, 32}});
      continue;
    }
    if (node.role == Role::kHost) continue;
    RouterPlan router;
    router.node = node.name;
    router.role = node.role;
    router.user = node.frr;
    if (node.role == Role::kRouter) {
      // The user's router: its configuration is all it runs, and nothing is planned for it.
      plan.routers.push_back(std::move(router));
      continue;
    }
    router.asn = node.asn;
    router.router_id = node.loopback->address;
    router.daemons.push_back(Daemon::kZebra);
    auto adjs = adjacencies(topology, node.name);
    for (const auto& adj : adjs) router.interfaces.push_back({adj.self->ifname, adj.other->node});

    if (is_operator(node.role)) {
      router.ospf.push_back({"lo", true});
      for (const auto& adj : adjs) {
        const Node* other = topology.find_node(adj.other->node);
        router.ospf.push_back({adj.self->ifname, !other || !is_operator(other->role)});
      }
      for (const auto& prefix : topology.services.prefixes) {
        if (std::find(prefix.from.begin(), prefix.from.end(), node.name) == prefix.from.end())
          continue;
        router.networks.push_back(prefix.prefix);
        router.statics.push_back({prefix.prefix, std::nullopt});
      }
    }
    if (node.role == Role::kPeer) {
      router.networks.push_back({node.loopback->address, 32});
      for (const auto& adj : adjs) {
        const Node* other = topology.find_node(adj.other->node);
        if (!other || other->role != Role::kClient || !other->network) continue;
        auto network = other->network->network();
        router.networks.push_back(network);
        router.statics.push_back({network, adj.other->address->address});
      }
    }
    if (node.role == Role::kDns) {
      for (const auto& adj : adjs) {
        if (adj.other->node != node.site) continue;
        plan.host_routes.push_back(
            {node.name, *model::Ipv4Prefix::parse("0.0.0.0/0"), adj.other->address->address});
        break;
      }
      if (topology.services.dns) {
        for (const auto& anycast : topology.services.dns->anycast)
          for (const auto& ns : anycast.nameservers)
            plan.service_addresses.push_back({node.name, {ns.address, 32}});
      }
    }
    if (speaks_bgp(topology, node)) {
      if (is_operator(node.role)) {
        for (const Node* other : internal_speakers) {
          if (other == &node || !ibgp_pair(&node, other)) continue;
          router.neighbors.push_back({.node = other->name,
                                      .address = other->loopback->address,
                                      .remote_as = other->asn,
                                      .internal = true,
                                      .rr_client = is_reflector(&node) && !is_reflector(other)});
        }
      }
      for (const auto& adj : adjs) {
        const Node* other = topology.find_node(adj.other->node);
        if (!other || !speaks_bgp(topology, *other)) continue;
        if (is_operator(node.role) && is_operator(other->role)) continue;
        auto [in, out] = ebgp_policy(node.role, other->role);
        router.neighbors.push_back({.node = other->name,
                                    .address = adj.other->address->address,
                                    .remote_as = other->asn,
                                    .route_map_in = in,
                                    .route_map_out = out});
      }
    }
    // staticd runs on the operator's routers whatever the plan, as FRR's own start runs it
    // there: an operator may type `ip route` on any of them (a drill's fault, a trainee's
    // fix). The rest of the world (peers, dns hosts) gets it only for a planned static route:
    // a staticd is a third daemon per router, a fifth of an eBGP ring's bring-up CPU.
    if (is_operator(node.role) || !router.statics.empty())
      router.daemons.push_back(Daemon::kStaticd);
    if (!router.ospf.empty()) router.daemons.push_back(Daemon::kOspfd);
    if (speaks_bgp(topology, node)) router.daemons.push_back(Daemon::kBgpd);
    plan.routers.push_back(std::move(router));
  }

  // Each session once, from the side whose name sorts first.
  for (const auto& router : plan.routers) {
    for (const auto& neighbor : router.neighbors) {
      if (!(router.node < neighbor.node)) continue;
      const RouterPlan* other = plan.find(neighbor.node);
      model::Ipv4Address back{};
      if (other) {
        for (const auto& n : other->neighbors)
          if (n.node == router.node) back = n.address;
      }
      auto announces = [&](const std::string& from, const std::string& to) -> uint32_t {
        const Node* node = topology.find_node(from);
        if (!node || node->role != Role::kDns || node->site != to || !topology.services.dns)
          return 0;
        return static_cast<uint32_t>(topology.services.dns->anycast.size());
      };
      plan.sessions.push_back({router.node, neighbor.node, back, neighbor.address,
                               neighbor.internal, announces(router.node, neighbor.node),
                               announces(neighbor.node, router.node)});
    }
  }

  // What every peer must hold: the operator's prefixes and anycast prefixes, the other
  // peers' loopbacks and every client network.
  std::vector<std::pair<model::Ipv4Prefix, std::string>> world;
  bool has_dns_host = std::any_of(topology.nodes.begin(), topology.nodes.end(),
                                  [](const Node& n) { return n.role == Role::kDns; });
  if (topology.services.dns && has_dns_host) {
    for (const auto& anycast : topology.services.dns->anycast)
      world.push_back({anycast.prefix.network(), "anycast"});
  }
  for (const auto& prefix : topology.services.prefixes)
    if (!prefix.from.empty()) world.push_back({prefix.prefix.network(), "operator"});
  for (const auto& node : topology.nodes) {
    if (node.role == Role::kPeer) world.push_back({{node.loopback->address, 32}, "peer loopback"});
    if (node.role == Role::kClient && node.network)
      world.push_back({node.network->network(), "client network"});
  }
  for (const auto& node : topology.nodes) {
    if (node.role != Role::kPeer) continue;
    for (const auto& [prefix, why] : world) {
      if (why == "peer loopback" && prefix.address == node.loopback->address) continue;
      plan.expected.push_back({node.name, prefix, why});
    }
  }
  return plan;
}

}  // namespace blastlab::frr
