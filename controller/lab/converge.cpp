#include "controller/lab/converge.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
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

ConvergenceReport ConvergenceChecker::check(bool force_sessions) {
  ConvergenceReport report;
  if (dead_processes_) report.dead_processes = dead_processes_();
  check_prefixes(report);
  if (force_sessions || report.prefixes_missing.empty()) check_sessions(report);
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
