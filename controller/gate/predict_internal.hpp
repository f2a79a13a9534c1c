// The prediction's parts, shared by its files: predict_change.cpp (the change read),
// predict_network.cpp (links, IGP, sessions, DNS sites in one state), predict_routes.cpp
// (BGP propagation), predict.cpp (routes, clients, pairs; the public functions) and
// predict_compare.cpp. Not a public header.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "controller/frr/plan.hpp"
#include "controller/gate/gate.hpp"
#include "controller/gate/predict.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::gate::internal {

using NodeIf = std::pair<std::string, std::string>;  // node, interface

// What one router's change does to a BGP neighbor, as its final state after every line.
struct NeighborChange {
  bool shut = false;
  bool removed = false;
  std::optional<std::string> remote_as;  // a number, "internal" or "external"
  std::vector<SourceLine> lines;
};

// The change, read: per router, the final state of what the model holds.
struct ChangeEffects {
  std::map<NodeIf, std::vector<SourceLine>> shut;  // interfaces left shut, with their lines
  std::map<NodeIf, bool> ospf_passive;             // set or cleared by the change
  std::set<std::string> ospf_default_passive;      // `passive-interface default`
  std::set<NodeIf> ospf_area_removed;
  std::map<std::string, std::vector<SourceLine>> ospf_removed;    // `no router ospf`
  std::map<std::string, std::vector<SourceLine>> bgp_removed;     // `no router bgp`
  std::map<NodeIf, NeighborChange> neighbors;                     // node, neighbor as written
  std::map<std::string, std::set<std::string>> networks_removed;  // node -> prefix (network)
  std::vector<std::string> not_modelled;
};

ChangeEffects read_changes(const model::Topology& topology, const frr::RoutingPlan& plan,
                           const std::vector<RouterChange>& changes);

// The network in one state (before the change: no effects; after it): which links are up,
// which OSPF routers reach each other, which BGP sessions are up and which DNS sites
// announce.
struct NetworkState {
  std::vector<bool> link_up;                                  // by index in topology.links
  std::map<std::string, int> igp;                             // OSPF router -> its component
  std::set<std::pair<std::string, std::string>> sessions_up;  // as frr::Session names them
  std::set<std::string> announcing;  // DNS hosts originating their anycast prefixes
  std::set<std::string> withdrawn;   // DNS hosts that withdraw (sites.withdrawn)
  bool igp_path(const std::string& a, const std::string& b) const;
};

NetworkState evaluate(const model::Topology& topology, const frr::RoutingPlan& plan,
                      const ChangeEffects& effects);

// Why a planned session is down in a state, or nullopt when it is up.
std::optional<PredictedSession> session_down(const model::Topology& topology,
                                             const ChangeEffects& effects,
                                             const NetworkState& state,
                                             const frr::Session& session);

struct Model {
  const model::Topology& topology;
  const frr::RoutingPlan& plan;
  const ChangeEffects& effects;
  const NetworkState& state;
};

// The nodes that end up holding a route to `prefix` (a network, "198.51.100.0/26"): its
// origins and everyone BGP carries it to over the sessions up, within the export policies,
// AS-path loop prevention, iBGP route-reflection rules and next-hop reachability over the
// IGP.
std::set<std::string> route_holders(const Model& model, const std::string& prefix);

// "198.51.100.0/26" for any way of writing that network; the text as given when it is none.
std::string network_text(const std::string& prefix);

}  // namespace blastlab::gate::internal
