// BGP propagation of one prefix as the prediction models it: which nodes can hold a route to
// it, not which path each one prefers. A node holds the prefix when some chain of sessions up
// carries it there from an origin, each hop allowed by the plan's route-maps, by AS-path loop
// prevention and by iBGP's rules: a route learned over iBGP goes on over iBGP only from a
// route reflector (from a client to everyone, from a non-client to clients), and is usable
// only while its next hop (the router where it entered the AS, which keeps it) is reachable
// over the IGP. Path existence is what decides whether a vantage point loses a prefix for
// good; which path BGP picks, and the transient losses of path exploration, are not modelled.
#include <algorithm>
#include <deque>
#include <map>

#include "controller/gate/predict_internal.hpp"

namespace blastlab::gate::internal {
namespace {

enum class Learned { kOrigin, kEbgp, kIbgpFromClient, kIbgpFromNonClient };

struct Hop {
  std::string node;
  Learned learned = Learned::kOrigin;
  std::string border;          // the operator router the route entered the AS at
  std::vector<uint32_t> ases;  // the AS path's ASes, the holder's included, sorted
  std::string key() const {
    std::string k = node + "|" + std::to_string(int(learned)) + "|" + border + "|";
    for (uint32_t as : ases) k += std::to_string(as) + ",";
    return k;
  }
};

struct Edge {
  const frr::Neighbor* out;  // the sender's configuration of the receiver
  const frr::Neighbor* in;   // the receiver's configuration of the sender
};

// What a route-map of the plan lets through (plan.cpp's ebgp_policy, render.cpp's maps).
bool permits(const std::string& route_map, const std::string& prefix, const Model& m) {
  if (route_map == "DENY-ALL") return false;
  std::set<std::string> anycast;
  if (m.topology.services.dns) {
    for (const auto& a : m.topology.services.dns->anycast) anycast.insert(a.prefix.network().str());
  }
  if (route_map == "FROM-DNS" || route_map == "TO-OPERATOR") return anycast.count(prefix) > 0;
  if (route_map == "TO-PEER") {
    if (anycast.count(prefix)) return true;
    for (const auto& own : m.topology.services.prefixes)
      if (own.prefix.network().str() == prefix) return true;
    return false;
  }
  return true;  // FROM-ANY, TO-ANY, FROM-PEER, none (iBGP)
}

const frr::Neighbor* neighbor_of(const frr::RoutingPlan& plan, const std::string& node,
                                 const std::string& other) {
  const frr::RouterPlan* router = plan.find(node);
  if (!router) return nullptr;
  for (const auto& n : router->neighbors)
    if (n.node == other) return &n;
  return nullptr;
}

bool is_operator(const model::Node* node) {
  return node && (node->role == model::Role::kDatacenter || node->role == model::Role::kBackbone ||
                  node->role == model::Role::kEdge);
}

}  // namespace

std::set<std::string> route_holders(const Model& m, const std::string& prefix) {
  // The sessions up, from each side.
  std::map<std::string, std::vector<std::pair<std::string, Edge>>> sessions;
  for (const auto& [a, b] : m.state.sessions_up) {
    const frr::Neighbor* ab = neighbor_of(m.plan, a, b);
    const frr::Neighbor* ba = neighbor_of(m.plan, b, a);
    if (!ab || !ba) continue;
    sessions[a].push_back({b, {ab, ba}});
    sessions[b].push_back({a, {ba, ab}});
  }

  std::deque<Hop> queue;
  auto originate = [&](const std::string& node) {
    const model::Node* n = m.topology.find_node(node);
    if (!n || m.effects.bgp_removed.count(node)) return;
    queue.push_back({node, Learned::kOrigin, node, {n->asn}});
  };
  for (const auto& router : m.plan.routers) {
    bool removed = false;
    if (auto it = m.effects.networks_removed.find(router.node);
        it != m.effects.networks_removed.end())
      removed = it->second.count(prefix) > 0;
    bool planned = false;
    for (const auto& p : router.networks) planned = planned || p.network().str() == prefix;
    if (planned && !removed) originate(router.node);
  }
  if (m.topology.services.dns) {
    for (const auto& a : m.topology.services.dns->anycast) {
      if (a.prefix.network().str() != prefix) continue;
      for (const auto& host : m.state.announcing) originate(host);
    }
  }

  std::set<std::string> seen, holders;
  while (!queue.empty()) {
    Hop hop = std::move(queue.front());
    queue.pop_front();
    if (!seen.insert(hop.key()).second) continue;
    holders.insert(hop.node);
    for (const auto& [other, edge] : sessions[hop.node]) {
      const model::Node* peer = m.topology.find_node(other);
      if (!peer) continue;
      Hop next{other, Learned::kEbgp, other, hop.ases};
      if (edge.out->internal) {
        // A route learned from a non-client goes on over iBGP only from a reflector to its
        // clients (without reflectors: nowhere); one learned from a client was learned at a
        // reflector, which passes it to everyone.
        if (hop.learned == Learned::kIbgpFromNonClient && !edge.out->rr_client) continue;
        next.learned = edge.in->rr_client ? Learned::kIbgpFromClient : Learned::kIbgpFromNonClient;
        next.border = hop.border;
        if (!m.state.igp_path(other, hop.border)) continue;  // the next hop is unreachable
      } else {
        if (!permits(edge.out->route_map_out, prefix, m) ||
            !permits(edge.in->route_map_in, prefix, m))
          continue;
        if (std::find(hop.ases.begin(), hop.ases.end(), peer->asn) != hop.ases.end()) continue;
        next.ases.push_back(peer->asn);
        std::sort(next.ases.begin(), next.ases.end());
        next.border = is_operator(peer) ? other : "";
      }
      queue.push_back(std::move(next));
    }
  }
  return holders;
}

}  // namespace blastlab::gate::internal
