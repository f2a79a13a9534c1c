// The network in one state, before the change or after it: the links up, the OSPF
// components over the adjacencies left, the BGP sessions up (and why one is down) and what
// each DNS site's healthd decides from that.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <tuple>

#include "controller/gate/predict_internal.hpp"

namespace blastlab::gate {
namespace internal {

bool NetworkState::igp_path(const std::string& a, const std::string& b) const {
  auto x = igp.find(a), y = igp.find(b);
  return x != igp.end() && y != igp.end() && x->second == y->second;
}

namespace {

using model::Role;

// The links between two nodes, by index.
std::vector<size_t> links_between(const model::Topology& t, const std::string& a,
                                  const std::string& b) {
  std::vector<size_t> found;
  for (size_t i = 0; i < t.links.size(); ++i) {
    const auto& l = t.links[i];
    if ((l.a.node == a && l.b.node == b) || (l.a.node == b && l.b.node == a)) found.push_back(i);
  }
  return found;
}

bool runs_ospf_on(const frr::RoutingPlan& plan, const ChangeEffects& e, const std::string& node,
                  const std::string& ifname, bool adjacency) {
  const frr::RouterPlan* r = plan.find(node);
  if (!r || r->user || e.ospf_removed.count(node)) return false;
  auto it = std::find_if(r->ospf.begin(), r->ospf.end(),
                         [&](const frr::OspfInterface& o) { return o.ifname == ifname; });
  if (it == r->ospf.end() || e.ospf_area_removed.count({node, ifname})) return false;
  if (!adjacency) return true;
  bool passive = it->passive || e.ospf_default_passive.count(node);
  if (auto p = e.ospf_passive.find({node, ifname}); p != e.ospf_passive.end()) passive = p->second;
  return !passive;
}

}  // namespace

std::optional<PredictedSession> session_down(const model::Topology& t, const ChangeEffects& e,
                                             const NetworkState& s, const frr::Session& session) {
  PredictedSession down{.a = session.a, .b = session.b};
  for (const std::string* side : {&session.a, &session.b}) {
    if (auto it = e.bgp_removed.find(*side); it != e.bgp_removed.end()) {
      down.why = "router bgp removed on " + *side;
      down.cause.lines = it->second;
      return down;
    }
  }
  // Each side's configuration of the other: shut, removed, or the wrong remote AS.
  for (const auto& [self, other, address] :
       {std::tuple{&session.a, &session.b, session.b_address},
        std::tuple{&session.b, &session.a, session.a_address}}) {
    auto it = e.neighbors.find({*self, address.str()});
    if (it == e.neighbors.end()) continue;
    const NeighborChange& n = it->second;
    down.cause.lines = n.lines;
    if (n.removed) down.why = fmt::format("neighbor {} removed on {}", *other, *self);
    if (n.shut) down.why = fmt::format("neighbor {} shut on {}", *other, *self);
    if (n.remote_as && down.why.empty()) {
      const model::Node* me = t.find_node(*self);
      const model::Node* them = t.find_node(*other);
      bool same_as = me && them && me->asn == them->asn;
      bool wrong = *n.remote_as == "internal" ? !same_as
                   : *n.remote_as == "external"
                       ? same_as
                       : !them || *n.remote_as != std::to_string(them->asn);
      if (wrong)
        down.why = fmt::format("remote-as {} for {} on {}, which is AS {}", *n.remote_as, *other,
                               *self, them ? them->asn : 0);
    }
    if (!down.why.empty()) return down;
  }
  down.cause.lines.clear();
  if (session.internal) {
    if (s.igp_path(session.a, session.b)) return std::nullopt;
    down.why = fmt::format("no IGP path between {} and {}", session.a, session.b);
    return down;
  }
  // eBGP runs over the link whose ends hold the session's addresses.
  for (size_t i : links_between(t, session.a, session.b)) {
    const auto& l = t.links[i];
    bool ours = (l.a.address && l.a.address->address == session.a_address) ||
                (l.b.address && l.b.address->address == session.a_address);
    if (!ours || s.link_up[i]) continue;
    down.why = fmt::format("link {}:{} down", session.a, session.b);
    for (const auto* end : {&l.a, &l.b}) {
      auto shut = e.shut.find({end->node, end->ifname});
      if (shut != e.shut.end())
        down.cause.lines.insert(down.cause.lines.end(), shut->second.begin(), shut->second.end());
    }
    return down;
  }
  return std::nullopt;
}

namespace {

// Whether a DNS host's link to its PoP is up and advertised in OSPF by the PoP, so that
// the operator's network reaches it back.
bool uplink_ok(const model::Topology& t, const frr::RoutingPlan& plan, const ChangeEffects& e,
               const NetworkState& s, const model::Node& host) {
  for (size_t i : links_between(t, host.name, host.site)) {
    const auto& l = t.links[i];
    const auto& pop_end = l.a.node == host.site ? l.a : l.b;
    if (s.link_up[i] && runs_ospf_on(plan, e, host.site, pop_end.ifname, false)) return true;
  }
  return false;
}

// Whether a DNS host's health checks pass: with a remote check (tcp, icmp, http), some
// target reached over its uplink and the IGP from its PoP; the local dns check alone needs
// no route.
bool reaches_targets(const model::Topology& t, const frr::RoutingPlan& plan, const ChangeEffects& e,
                     const NetworkState& s, const model::Node& host) {
  const model::HealthCheck health = t.health_of(host);
  bool remote = std::any_of(health.checks.begin(), health.checks.end(),
                            [](const std::string& c) { return c != "dns"; });
  if (!remote) return true;
  if (!uplink_ok(t, plan, e, s, host)) return false;
  return std::any_of(health.targets.begin(), health.targets.end(),
                     [&](const std::string& target) { return s.igp_path(host.site, target); });
}

// healthd's site rule (agents/healthd/state.hpp) on the routing's outcome: a site reaching
// no target withdraws, unless its action keeps the announcement (degrade, fail-static) or
// the min-sites guard holds it; the guard's view of the others is their gossip, which
// crosses the operator's network between the sites' PoPs, and a site held only by its guard
// counts for the sites whose names sort after it (peer_view.hpp).
void decide_sites(const model::Topology& t, const frr::RoutingPlan& plan, const ChangeEffects& e,
                  NetworkState& s) {
  if (!t.services.dns) return;
  const auto& health = t.services.dns->health;
  std::vector<const model::Node*> hosts, failing;
  std::set<std::string> healthy;
  for (const auto& node : t.nodes) {
    if (node.role != Role::kDns) continue;
    hosts.push_back(&node);
    if (reaches_targets(t, plan, e, s, node))
      healthy.insert(node.name);
    else
      failing.push_back(&node);
  }
  std::set<std::string> guarded;
  auto gossip = [&](const model::Node& a, const model::Node& b) {
    return uplink_ok(t, plan, e, s, a) && uplink_ok(t, plan, e, s, b) && s.igp_path(a.site, b.site);
  };
  std::sort(failing.begin(), failing.end(),
            [](const model::Node* x, const model::Node* y) { return x->name < y->name; });
  for (const model::Node* host : failing) {
    if (health.action != model::HealthAction::kWithdraw) continue;
    if (health.min_sites > 0) {
      int seen = 0;
      for (const model::Node* other : hosts) {
        if (other == host || !gossip(*host, *other)) continue;
        if (healthy.count(other->name) || guarded.count(other->name)) ++seen;
      }
      if (seen < health.min_sites) {
        guarded.insert(host->name);
        continue;
      }
    }
    s.withdrawn.insert(host->name);
  }
  for (const model::Node* host : hosts)
    if (!s.withdrawn.count(host->name)) s.announcing.insert(host->name);
}

}  // namespace

NetworkState evaluate(const model::Topology& t, const frr::RoutingPlan& plan,
                      const ChangeEffects& e) {
  NetworkState s;
  for (const auto& l : t.links)
    s.link_up.push_back(!e.shut.count({l.a.node, l.a.ifname}) &&
                        !e.shut.count({l.b.node, l.b.ifname}));
  // OSPF: components of the routers over the adjacencies left.
  std::map<std::string, std::string> parent;
  std::function<std::string(const std::string&)> root = [&](const std::string& n) {
    return parent[n] == n ? n : parent[n] = root(parent[n]);
  };
  for (const auto& r : plan.routers)
    if (!r.ospf.empty() && !r.user && !e.ospf_removed.count(r.node)) parent[r.node] = r.node;
  for (size_t i = 0; i < t.links.size(); ++i) {
    const auto& l = t.links[i];
    if (!s.link_up[i] || !parent.count(l.a.node) || !parent.count(l.b.node)) continue;
    if (!runs_ospf_on(plan, e, l.a.node, l.a.ifname, true) ||
        !runs_ospf_on(plan, e, l.b.node, l.b.ifname, true))
      continue;
    parent[root(l.a.node)] = root(l.b.node);
  }
  std::map<std::string, int> ids;
  for (const auto& [node, unused] : parent) {
    std::string r = root(node);
    if (!ids.count(r)) ids[r] = int(ids.size());
    s.igp[node] = ids[r];
  }
  for (const auto& session : plan.sessions)
    if (!session_down(t, e, s, session)) s.sessions_up.insert({session.a, session.b});
  decide_sites(t, plan, e, s);
  return s;
}

}  // namespace internal

}  // namespace blastlab::gate
