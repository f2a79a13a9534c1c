#include "controller/lab/converge.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <thread>

#include "controller/lab/lab.hpp"

namespace blastlab::lab {
namespace {

// vtysh runs are a fork and exec each; a few at once use both cores without flooding them.
constexpr size_t kVtyshWorkers = 4;

void list(std::string& out, const char* title, const std::vector<std::string>& items) {
  if (items.empty()) return;
  out += fmt::format("\n  {} ({}):", title, items.size());
  for (const auto& item : items) out += "\n    " + item;
}

}  // namespace

std::string ConvergenceReport::describe() const {
  std::string out;
  list(out, "processes not running", dead_processes);
  list(out, "BGP sessions not established", sessions_down);
  list(out, "prefixes missing", prefixes_missing);
  list(out, "BGP neighbors of the user's routers not established", neighbors_down);
  list(out, "OSPF adjacencies not full", adjacencies_down);
  if (!routes_unsettled.empty()) out += "\n  routes not settled: " + routes_unsettled;
  if (!sessions_checked) out += "\n  (BGP sessions not checked yet)";
  return out;
}

ConvergenceChecker::ConvergenceChecker(netns::Netlink& netlink, frr::Vtysh& vtysh,
                                       std::string lab_name, const frr::RoutingPlan& plan,
                                       DeadProcesses dead_processes)
    : netlink_(netlink),
      vtysh_(vtysh),
      lab_(std::move(lab_name)),
      plan_(plan),
      dead_processes_(std::move(dead_processes)) {}

void ConvergenceChecker::check_prefixes(ConvergenceReport& report) {
  std::map<std::string, std::set<std::string>> tables;  // node -> prefixes in its kernel
  for (const auto& expected : plan_.expected) {
    auto it = tables.find(expected.node);
    if (it == tables.end()) {
      netns::Status status;
      std::set<std::string> prefixes;
      for (const auto& route : netlink_.list_routes(namespace_name(lab_, expected.node), status))
        prefixes.insert(route.prefix);
      it = tables.emplace(expected.node, std::move(prefixes)).first;
    }
    if (!it->second.count(expected.prefix.str())) {
      report.prefixes_missing.push_back(
          fmt::format("{} ({}) at {}", expected.prefix.str(), expected.why, expected.node));
    }
  }
}

void ConvergenceChecker::check_sessions(ConvergenceReport& report) {
  report.sessions_checked = true;
  std::map<std::string, std::vector<const frr::Session*>> by_node;
  for (const auto& s : plan_.sessions) by_node[s.a].push_back(&s);
  std::vector<std::string> nodes;
  for (const auto& [node, sessions] : by_node) nodes.push_back(node);

  std::vector<std::vector<std::string>> down(nodes.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < nodes.size(); i = next++) {
      std::string error;
      auto summary = vtysh_.bgp_summary(frr::pathspace(lab_, nodes[i]), &error);
      for (const auto* s : by_node[nodes[i]]) {
        std::string state = "no answer from bgpd (" + error + ")";
        if (summary) {
          state = "not configured";
          for (const auto& peer : summary->peers) {
            if (peer.address != s->b_address.str()) continue;
            state = peer.state;
            if (peer.established() && peer.prefixes_sent < s->a_announces) {
              state = fmt::format("Established, but {} has announced {} of its {} prefixes", s->a,
                                  peer.prefixes_sent, s->a_announces);
            } else if (peer.established() && peer.prefixes_received < s->b_announces) {
              state = fmt::format("Established, but {} has announced {} of its {} prefixes", s->b,
                                  peer.prefixes_received, s->b_announces);
            }
          }
        }
        if (state != "Established") {
          down[i].push_back(fmt::format("{} - {} ({}{}): {}", s->a, s->b, s->b_address.str(),
                                        s->internal ? ", iBGP" : "", state));
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 0; t < std::min(kVtyshWorkers, nodes.size()); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  for (auto& d : down) report.sessions_down.insert(report.sessions_down.end(), d.begin(), d.end());
}

void ConvergenceChecker::check_user_network(const model::Topology& topology,
                                            std::chrono::milliseconds settle) {
  topology_ = &topology;
  settle_ = settle;
}

void ConvergenceChecker::check_user_routers(ConvergenceReport& report) {
  std::vector<const frr::RouterPlan*> routers;
  for (const auto& r : plan_.routers)
    if (r.user) routers.push_back(&r);
  struct Seen {
    std::vector<std::string> neighbors_down;
    std::optional<frr::OspfView> ospf;
    std::string ospf_error;
    std::optional<frr::IsisView> isis;
    std::string isis_error;
  };
  std::vector<Seen> seen(routers.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < routers.size(); i = next++) {
      const auto& router = *routers[i];
      std::string space = frr::pathspace(lab_, router.node);
      if (router.runs(frr::Daemon::kBgpd)) {
        std::string error;
        auto summary = vtysh_.bgp_summary(space, &error);
        if (!summary) {
          seen[i].neighbors_down.push_back(
              fmt::format("{}: no answer from bgpd ({})", router.node, error));
        } else {
          for (const auto& peer : summary->peers) {
            if (peer.established() || peer.admin_down()) continue;
            seen[i].neighbors_down.push_back(
                fmt::format("{} - {} (AS {}{}{}): {}", router.node, peer.address, peer.remote_as,
                            peer.description.empty() ? "" : ", ", peer.description, peer.state));
          }
        }
      }
      if (router.runs(frr::Daemon::kOspfd)) {
        seen[i].ospf = vtysh_.ospf_view(space, &seen[i].ospf_error);
      }
      if (router.runs(frr::Daemon::kIsisd)) {
        seen[i].isis = vtysh_.isis_view(space, &seen[i].isis_error);
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 0; t < std::min(kVtyshWorkers, routers.size()); ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();

  std::map<std::string, const Seen*> by_node;
  for (size_t i = 0; i < routers.size(); ++i) {
    by_node[routers[i]->node] = &seen[i];
    report.neighbors_down.insert(report.neighbors_down.end(), seen[i].neighbors_down.begin(),
                                 seen[i].neighbors_down.end());
    if (routers[i]->runs(frr::Daemon::kOspfd) && !seen[i].ospf) {
      report.adjacencies_down.push_back(
          fmt::format("{}: no answer from ospfd ({})", routers[i]->node, seen[i].ospf_error));
    }
    if (routers[i]->runs(frr::Daemon::kIsisd) && !seen[i].isis) {
      report.adjacencies_down.push_back(
          fmt::format("{}: no answer from isisd ({})", routers[i]->node, seen[i].isis_error));
    }
  }
  // IS-IS: an adjacency is promised where both ends of a link have an active circuit.
  auto isis_of = [&](const model::Endpoint& end) -> const frr::IsisView* {
    auto it = by_node.find(end.node);
    return it == by_node.end() || !it->second->isis ? nullptr : &*it->second->isis;
  };
  auto active_circuit = [](const frr::IsisView& view, const std::string& ifname) {
    return std::any_of(view.circuits.begin(), view.circuits.end(),
                       [&](const auto& c) { return c.ifname == ifname && !c.passive; });
  };
  auto adjacency_state = [](const frr::IsisView& view, const std::string& ifname) {
    for (const auto& a : view.adjacencies)
      if (a.ifname == ifname) return a.state;
    return std::string("none");
  };
  for (const auto& link : topology_->links) {
    const auto* a = isis_of(link.a);
    const auto* b = isis_of(link.b);
    if (!a || !b || !active_circuit(*a, link.a.ifname) || !active_circuit(*b, link.b.ifname))
      continue;
    std::string sa = adjacency_state(*a, link.a.ifname);
    std::string sb = adjacency_state(*b, link.b.ifname);
    if (sa == "Up" && sb == "Up") continue;
    report.adjacencies_down.push_back(
        fmt::format("{}:{} - {}:{}: IS-IS adjacency {} at {}, {} at {}", link.a.node, link.a.ifname,
                    link.b.node, link.b.ifname, sa, link.a.node, sb, link.b.node));
  }
  // An adjacency is promised where both ends of a link run OSPF on it, active, in one area.
  auto state_of = [&](const model::Endpoint& end) -> const frr::OspfInterfaceState* {
    auto it = by_node.find(end.node);
    if (it == by_node.end() || !it->second->ospf) return nullptr;
    for (const auto& i : it->second->ospf->interfaces)
      if (i.ifname == end.ifname) return &i;
    return nullptr;
  };
  // Routers joined by OSPF links form one flooding domain, whose databases must agree.
  std::map<std::string, std::string> domain;  // node -> a representative
  std::function<std::string(const std::string&)> root = [&](const std::string& n) {
    auto it = domain.find(n);
    if (it == domain.end() || it->second == n) return n;
    return it->second = root(it->second);
  };
  for (const auto& link : topology_->links) {
    const auto* a = state_of(link.a);
    const auto* b = state_of(link.b);
    if (!a || !b) continue;
    auto active = [](const frr::OspfInterfaceState* s) { return s->enabled && !s->passive; };
    if (!active(a) || !active(b) || a->area != b->area) continue;
    domain.try_emplace(link.a.node, link.a.node);
    domain.try_emplace(link.b.node, link.b.node);
    domain[root(link.a.node)] = root(link.b.node);
    if (a->up && b->up && a->adjacent > 0 && b->adjacent > 0) continue;
    report.adjacencies_down.push_back(
        fmt::format("{}:{} - {}:{} (area {}): {} has {} full of {} neighbors, {} {} of {}",
                    link.a.node, link.a.ifname, link.b.node, link.b.ifname, a->area, link.a.node,
                    a->adjacent, a->neighbors, link.b.node, b->adjacent, b->neighbors));
  }
  if (!report.adjacencies_down.empty()) return;
  // Full is not yet routed: each router must have announced its adjacencies in its own
  // router-LSA (FRR waits up to MinLSInterval, 5 s, to do so), and the domain's routers
  // must hold the same database (flooding done) before SPF can give the final routes.
  std::map<std::string, std::vector<std::string>> databases;  // representative -> nodes
  for (size_t i = 0; i < routers.size(); ++i) {
    const auto& view = seen[i].ospf;
    if (!view) continue;
    const std::string& node = routers[i]->node;
    if (view->lsa_transit_links == 0) {
      for (const auto& rid : view->full_neighbors) {
        if (!std::binary_search(view->lsa_neighbors.begin(), view->lsa_neighbors.end(), rid)) {
          report.adjacencies_down.push_back(
              fmt::format("{}: its router-LSA does not name its Full neighbor {} yet", node, rid));
        }
      }
    }
    if (domain.count(node)) databases[root(node)].push_back(node);
  }
  auto view_of = [&](const std::string& node) -> const frr::OspfView& {
    return *by_node.at(node)->ospf;
  };
  for (const auto& [representative, nodes] : databases) {
    std::vector<std::string> differ;
    for (const auto& node : nodes) {
      if (view_of(node).database != view_of(nodes.front()).database) differ.push_back(node);
    }
    if (!differ.empty()) {
      std::string names;
      for (const auto& n : differ) names += (names.empty() ? "" : ", ") + n;
      report.adjacencies_down.push_back(fmt::format(
          "OSPF databases still differ: {} from {} (flooding not done)", names, nodes.front()));
    }
  }
}

void ConvergenceChecker::check_settled(ConvergenceReport& report) {
  auto now = std::chrono::steady_clock::now();
  std::vector<std::string> changed;
  for (const auto& node : topology_->nodes) {
    netns::Status status;
    std::string table;
    for (const auto& route : netlink_.list_routes(namespace_name(lab_, node.name), status))
      table += fmt::format("{} {} {}\n", route.prefix, route.protocol, route.metric);
    auto [it, first] = tables_.try_emplace(node.name, table);
    if (!first && it->second != table) {
      changed.push_back(node.name);
      it->second = std::move(table);
    }
  }
  if (!changed.empty() || last_change_ == std::chrono::steady_clock::time_point{}) {
    last_change_ = now;
    last_changed_ = changed;
  }
  auto since = ok_since_ ? std::max(*ok_since_, last_change_) : now;
  auto still = std::chrono::duration_cast<std::chrono::milliseconds>(now - since);
  // Until everything else holds, the settle time has not started: nothing to say about it.
  if (ok_since_ && still < settle_) {
    std::string where;
    for (const auto& n : last_changed_) where += (where.empty() ? "" : ", ") + n;
    report.routes_unsettled =
        fmt::format("the last change was {:.1f} s ago{}{}; they must hold still {:.1f} s",
                    std::chrono::duration<double>(still).count(), where.empty() ? "" : " at ",
                    where, std::chrono::duration<double>(settle_).count());
  }
}

ConvergenceReport ConvergenceChecker::check(bool force_sessions) {
  ConvergenceReport report;
  if (dead_processes_) report.dead_processes = dead_processes_();
  check_prefixes(report);
  if (force_sessions || report.prefixes_missing.empty()) check_sessions(report);
  if (topology_) {
    if (force_sessions || (report.prefixes_missing.empty() && report.sessions_down.empty()))
      check_user_routers(report);
    bool others = report.sessions_checked && report.sessions_down.empty() &&
                  report.prefixes_missing.empty() && report.neighbors_down.empty() &&
                  report.adjacencies_down.empty();
    if (!others) {
      ok_since_.reset();
    } else if (!ok_since_) {
      ok_since_ = std::chrono::steady_clock::now();
    }
    // The routes are watched on every look, so that the settle time counts from their
    // last change.
    check_settled(report);
  }
  return report;
}

ConvergenceReport ConvergenceChecker::wait(std::chrono::milliseconds timeout,
                                           const std::atomic<bool>* interrupted,
                                           std::chrono::milliseconds poll) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto report = check(false);
    if (auto log = spdlog::get("lab"))
      log->debug("convergence of {}: {}", lab_, report.converged() ? "done" : report.describe());
    if (report.converged() || !report.dead_processes.empty()) return report;
    if (interrupted && interrupted->load()) return report;
    if (std::chrono::steady_clock::now() >= deadline) {
      return report.sessions_checked ? report : check(true);
    }
    std::this_thread::sleep_for(poll);
  }
}

}  // namespace blastlab::lab
