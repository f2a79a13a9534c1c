// The predicted blast radius: the network evaluated twice, before the change and after it
// (links, the IGP's reach, BGP sessions, DNS sites), then what the run watches is set
// against both states: a route, client or pair counts as lost when it was there before
// and is not after, so the prediction speaks of what the change does, not of what the
// model never had.
#include "controller/gate/predict.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <deque>

#include "controller/gate/predict_internal.hpp"

namespace blastlab::gate {

namespace {

using internal::ChangeEffects;
using internal::Model;
using internal::NetworkState;
using model::Role;

bool forwards(Role role) {
  return role == Role::kBackbone || role == Role::kEdge || role == Role::kDatacenter ||
         role == Role::kPeer || role == Role::kRouter;
}

// The holders of each prefix in one state, computed once.
class Routes {
 public:
  explicit Routes(const Model& model) : model_(model) {}
  bool holds(const std::string& node, const std::string& prefix) {
    auto it = cache_.find(prefix);
    if (it == cache_.end())
      it = cache_.emplace(prefix, internal::route_holders(model_, prefix)).first;
    return it->second.count(node) > 0;
  }

 private:
  const Model& model_;
  std::map<std::string, std::set<std::string>> cache_;
};

// The peer a client's default route leads to.
std::string upstream_of(const model::Topology& t, const frr::RoutingPlan& plan,
                        const std::string& client) {
  for (const auto& route : plan.host_routes) {
    if (route.node != client) continue;
    for (const auto& l : t.links) {
      if (l.a.address && l.a.address->address == route.gateway && l.b.node == client)
        return l.a.node;
      if (l.b.address && l.b.address->address == route.gateway && l.a.node == client)
        return l.b.node;
    }
  }
  return "";
}

// A client's DNS through its resolver works when some anycast prefix reaches its upstream
// peer (so the queries reach a site that announces it) and the PoP of some announcing site
// holds a route to the client's network (so the answers come back).
bool client_served(const model::Topology& t, const frr::RoutingPlan& plan, const NetworkState& s,
                   Routes& routes, const std::string& client) {
  const model::Node* node = t.find_node(client);
  std::string upstream = upstream_of(t, plan, client);
  if (!node || !node->network || upstream.empty() || !t.services.dns) return false;
  bool forward = false;
  for (const auto& a : t.services.dns->anycast)
    forward =
        forward || (!a.nameservers.empty() && routes.holds(upstream, a.prefix.network().str()));
  if (!forward) return false;
  std::string network = node->network->network().str();
  return std::any_of(s.announcing.begin(), s.announcing.end(), [&](const std::string& host) {
    const model::Node* h = t.find_node(host);
    return h && routes.holds(h->site, network);
  });
}

// Whether a path of links up joins two nodes through nodes that forward (routers), or for
// two OSPF routers of the operator, whether the IGP joins them.
bool pair_connected(const model::Topology& t, const NetworkState& s, const std::string& from,
                    const std::string& to) {
  if (s.igp.count(from) && s.igp.count(to)) return s.igp_path(from, to);
  std::set<std::string> seen{from};
  std::deque<std::string> queue{from};
  while (!queue.empty()) {
    std::string node = queue.front();
    queue.pop_front();
    if (node == to) return true;
    const model::Node* n = t.find_node(node);
    if (node != from && (!n || !forwards(n->role))) continue;
    for (size_t i = 0; i < t.links.size(); ++i) {
      const auto& l = t.links[i];
      if (!s.link_up[i] || (l.a.node != node && l.b.node != node)) continue;
      const std::string& other = l.a.node == node ? l.b.node : l.a.node;
      if (seen.insert(other).second) queue.push_back(other);
    }
  }
  return false;
}

bool user_routing(const model::Topology& t) {
  return std::any_of(t.nodes.begin(), t.nodes.end(), [](const model::Node& n) {
    return model::is_user_role(n.role) || n.frr.has_value();
  });
}

}  // namespace

BlastPrediction predict_blast_radius(const model::Topology& topology, const frr::RoutingPlan& plan,
                                     const std::vector<RouterChange>& changes,
                                     const Watched& watched) {
  auto started = std::chrono::steady_clock::now();
  BlastPrediction p;
  for (const RouterChange& change : changes) {
    if (topology.find_node(change.node)) continue;
    p.basis.push_back(fmt::format("no prediction: the change is for {}, which is no node of {}",
                                  change.node, topology.file));
    return p;
  }
  p.made = true;
  const ChangeEffects none;
  const ChangeEffects effects = internal::read_changes(topology, plan, changes);
  p.not_modelled = effects.not_modelled;
  const NetworkState before = internal::evaluate(topology, plan, none);
  const NetworkState after = internal::evaluate(topology, plan, effects);

  for (size_t i = 0; i < topology.links.size(); ++i) {
    if (!before.link_up[i] || after.link_up[i]) continue;
    const auto& l = topology.links[i];
    PredictedLink link{l.a.node, l.a.ifname, l.b.node, l.b.ifname, {}};
    for (const auto* end : {&l.a, &l.b}) {
      auto it = effects.shut.find({end->node, end->ifname});
      if (it != effects.shut.end())
        link.cause.lines.insert(link.cause.lines.end(), it->second.begin(), it->second.end());
    }
    p.links_down.push_back(std::move(link));
  }
  for (const auto& session : plan.sessions) {
    if (!before.sessions_up.count({session.a, session.b})) continue;
    if (auto down = internal::session_down(topology, effects, after, session))
      p.sessions_down.push_back(std::move(*down));
  }
  for (const auto& host : after.withdrawn)
    if (!before.withdrawn.count(host)) p.sites_lost.push_back(host);

  p.basis.push_back(
      "links: down when either end's interface is shut; OSPF: adjacencies over the links up "
      "between the operator's routers, passive interfaces and interfaces taken out of OSPF "
      "carry none");
  p.basis.push_back(
      "BGP sessions: eBGP down with its link; iBGP down without an IGP path between the "
      "loopbacks; either side's neighbor shut, removed or given the wrong remote-as");
  if (topology.services.dns) {
    p.basis.push_back(fmt::format(
        "DNS sites: healthd's rule on routing alone: a site withdraws when no health target "
        "is reached over its PoP's IGP, unless its action ({}) or the min-sites guard ({}) "
        "keeps the announcement; timers, flapping and local DNS failures are not modelled",
        model::to_string(topology.services.dns->health.action),
        topology.services.dns->health.min_sites));
  }

  Model model_before{topology, plan, none, before};
  Model model_after{topology, plan, effects, after};
  Routes routes_before(model_before), routes_after(model_after);
  if (user_routing(topology)) {
    p.basis.push_back(
        "the user's own routers: links only, their routing policy is not modelled; routes, "
        "DNS sites and clients are not predicted");
    p.unpredicted = {"sites.withdrawn",        "prefixes.lost",         "prefixes.anycast_lost",
                     "prefixes.covering_lost", "vantage_prefixes.lost", "clients.affected",
                     "bgp.sessions_down"};
    p.sites_lost.clear();
  } else {
    p.basis.push_back(
        "routes: a vantage point keeps a prefix while some chain of BGP sessions up carries it "
        "from an origin (network statements, announcing DNS hosts) within the plan's "
        "route-maps, AS-path loop prevention, route reflection and next hops reachable over "
        "the IGP; which path BGP prefers and transient losses while it explores are not "
        "modelled");
    for (size_t i = 0; i < watched.prefixes.size(); ++i) {
      std::string prefix = internal::network_text(watched.prefixes[i]);
      std::string kind = i < watched.kinds.size() ? watched.kinds[i] : "other";
      for (const auto& vantage : watched.vantages) {
        if (routes_before.holds(vantage, prefix) && !routes_after.holds(vantage, prefix))
          p.routes_lost.push_back({vantage, watched.prefixes[i], kind});
      }
    }
    p.basis.push_back(
        "clients: DNS through the resolver fails when no anycast prefix reaches the client's "
        "upstream peer, or when no announcing site's PoP holds a route back to the client's "
        "network; which site answers is not modelled");
    for (const auto& client : watched.clients) {
      if (client_served(topology, plan, before, routes_before, client) &&
          !client_served(topology, plan, after, routes_after, client))
        p.clients_lost.push_back(client);
    }
  }
  if (!watched.reach.empty()) {
    p.basis.push_back(
        "reachability: between two OSPF routers of the operator, the IGP; otherwise a path of "
        "links up through routers (backbone, edge, datacenter, peer, router), with no "
        "routing policy modelled");
  }
  for (const auto& pair : watched.reach) {
    if (pair_connected(topology, before, pair.from, pair.to) &&
        !pair_connected(topology, after, pair.from, pair.to))
      p.reach_lost.push_back(pair);
  }
  p.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return p;
}

std::map<std::string, double> predicted_scalars(const BlastPrediction& p) {
  if (!p.made) return {};
  std::set<std::string> prefixes, anycast, covering;
  for (const auto& r : p.routes_lost) {
    prefixes.insert(r.prefix);
    if (r.kind == "anycast") anycast.insert(r.prefix);
    if (r.kind == "covering") covering.insert(r.prefix);
  }
  std::map<std::string, double> values = {
      {"sites.withdrawn", double(p.sites_lost.size())},
      {"prefixes.lost", double(prefixes.size())},
      {"prefixes.anycast_lost", double(anycast.size())},
      {"prefixes.covering_lost", double(covering.size())},
      {"vantage_prefixes.lost", double(p.routes_lost.size())},
      {"clients.affected", double(p.clients_lost.size())},
      {"reachability.pairs_lost", double(p.reach_lost.size())},
      // The run counts a session down once per end whose bgpd logged it (metrics_scalars.cpp:
      // distinct node and peer), and both ends log it.
      {"bgp.sessions_down", double(2 * p.sessions_down.size())},
  };
  for (const auto& name : p.unpredicted) values.erase(name);
  return values;
}

}  // namespace blastlab::gate
