// The change as the prediction reads it: each router's commands through FRR's reading
// (frr/config_commands.hpp), reduced to the final state of what the model holds. A line the
// model does not hold, or cannot place (a neighbor the plan does not have, a network the
// router does not originate, any routing command on a router running its own config), is
// kept with where it is, and the prediction assumes it changes no routing.
#include <fmt/format.h>

#include <algorithm>

#include "controller/frr/config_commands.hpp"
#include "controller/gate/predict_internal.hpp"

namespace blastlab::gate::internal {
namespace {

using frr::CommandEffect;

std::string where_text(const SourceLine& where) {
  if (where.file.empty()) return "";
  return where.line > 0 ? fmt::format("{}:{}: ", where.file, where.line) : where.file + ": ";
}

bool has_neighbor(const frr::RouterPlan* router, const std::string& address) {
  if (!router) return false;
  return std::any_of(router->neighbors.begin(), router->neighbors.end(),
                     [&](const frr::Neighbor& n) { return n.address.str() == address; });
}

bool originates(const frr::RouterPlan* router, const std::string& network) {
  if (!router) return false;
  return std::any_of(router->networks.begin(), router->networks.end(),
                     [&](const model::Ipv4Prefix& p) { return p.network().str() == network; });
}

}  // namespace

std::string network_text(const std::string& prefix) {
  auto parsed = model::Ipv4Prefix::parse(prefix);
  return parsed ? parsed->network().str() : prefix;
}

ChangeEffects read_changes(const model::Topology& topology, const frr::RoutingPlan& plan,
                           const std::vector<RouterChange>& changes) {
  ChangeEffects e;
  for (const RouterChange& change : changes) {
    const model::Node* node = topology.find_node(change.node);
    const frr::RouterPlan* router = plan.find(change.node);
    // Interfaces are the link graph's, whoever configures the router; the rest of a router's
    // own configuration is its own routing, which the plan does not hold.
    bool own_routing = !node || !node->generated_routing();
    auto commands = frr::read_config_commands(change.commands);
    for (size_t i = 0; i < commands.size(); ++i) {
      const frr::ConfigCommand& c = commands[i];
      SourceLine where = i < change.sources.size() ? change.sources[i] : SourceLine{};
      auto not_modelled = [&](const std::string& why) {
        e.not_modelled.push_back(
            fmt::format("{}{}{}", where_text(where), c.text, why.empty() ? "" : " (" + why + ")"));
      };
      const NodeIf at{change.node, c.interface};
      switch (c.effect) {
        case CommandEffect::kContext:
          continue;
        case CommandEffect::kInterfaceShutdown:
          e.shut[at].push_back(where);
          continue;
        case CommandEffect::kInterfaceNoShutdown:
          e.shut.erase(at);
          continue;
        case CommandEffect::kOther:
          not_modelled(c.note == "not modelled" ? "" : c.note);
          continue;
        default:
          break;
      }
      if (own_routing) {
        not_modelled("the router's own routing is not modelled");
        continue;
      }
      const NodeIf neighbor{change.node, c.neighbor};
      switch (c.effect) {
        case CommandEffect::kOspfPassive:
        case CommandEffect::kOspfNoPassive: {
          bool passive = c.effect == CommandEffect::kOspfPassive;
          if (!router || router->ospf.empty()) {
            not_modelled("the router runs no OSPF in the plan");
          } else if (c.interface == "default") {
            if (passive)
              e.ospf_default_passive.insert(change.node);
            else
              e.ospf_default_passive.erase(change.node);
          } else {
            e.ospf_passive[at] = passive;
          }
          break;
        }
        case CommandEffect::kOspfAreaRemoved:
          e.ospf_area_removed.insert(at);
          break;
        case CommandEffect::kOspfRemoved:
          e.ospf_removed[change.node].push_back(where);
          break;
        case CommandEffect::kBgpRemoved:
          e.bgp_removed[change.node].push_back(where);
          break;
        case CommandEffect::kNeighborShutdown:
        case CommandEffect::kNeighborNoShutdown:
        case CommandEffect::kNeighborRemoved:
        case CommandEffect::kNeighborRemoteAs: {
          if (!has_neighbor(router, c.neighbor)) {
            not_modelled("not a neighbor of " + change.node + " in the plan");
            break;
          }
          NeighborChange& n = e.neighbors[neighbor];
          if (c.effect == CommandEffect::kNeighborShutdown) n.shut = true;
          if (c.effect == CommandEffect::kNeighborNoShutdown) n.shut = false;
          if (c.effect == CommandEffect::kNeighborRemoved) {
            n = NeighborChange{.removed = true};
          } else if (c.effect == CommandEffect::kNeighborRemoteAs) {
            n.removed = false;
            n.remote_as = c.remote_as;
          }
          n.lines.push_back(where);
          break;
        }
        case CommandEffect::kNetworkAdded:
          // bgpd originates it only while a route to it exists (the import check): not
          // modelled.
          not_modelled("a new origination");
          break;
        case CommandEffect::kNetworkRemoved:
          if (originates(router, network_text(c.prefix))) {
            e.networks_removed[change.node].insert(network_text(c.prefix));
          } else {
            not_modelled("not a network " + change.node + " originates in the plan");
          }
          break;
        default:
          break;
      }
    }
  }
  return e;
}

}  // namespace blastlab::gate::internal
