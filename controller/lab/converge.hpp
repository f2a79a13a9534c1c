// Convergence: the moment a lab is ready for an experiment. Every BGP session of the
// routing plan is Established, and every prefix the plan expects is in the kernel table of
// the node that should hold it (forwarding, not only known to a daemon). A lab with the
// user's own routers waits besides for what their configs promise, read from FRR itself:
// every BGP neighbor their bgpd has configured is Established (unless configured
// `shutdown`), every OSPF adjacency between two of them is full (both ends' interfaces
// OSPF-enabled, up, not passive, in one area) and their databases agree, every IS-IS
// adjacency between two active circuits is Up, and then every node's kernel table holds
// still (the same prefixes, protocols and metrics) for the settle time. Prefixes are read
// through netlink, which costs nothing, and sessions through vtysh only once every prefix is
// there; a report names what is still missing, so a timeout says exactly what did not come
// up.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/frr/plan.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/model/topology.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::lab {

struct ConvergenceReport {
  std::vector<std::string> sessions_down;     // "pop1 - dns1 (198.19.0.11): Active"
  std::vector<std::string> prefixes_missing;  // "198.51.100.0/26 (anycast) at transit1"
  std::vector<std::string> dead_processes;    // "bgpd on pop1 (pid 123)"
  // The user's routers: "r1 - 10.0.0.2 (AS 65002): Active", "r1:eth1 - r2:eth1: ...".
  std::vector<std::string> neighbors_down;
  std::vector<std::string> adjacencies_down;
  std::string routes_unsettled;  // "changed 0.4 s ago at r2, r3 (settle 2.0 s)"
  bool sessions_checked = false;
  bool converged() const {
    return sessions_checked && sessions_down.empty() && prefixes_missing.empty() &&
           dead_processes.empty() && neighbors_down.empty() && adjacencies_down.empty() &&
           routes_unsettled.empty();
  }
  std::string describe() const;  // multi-line, for the error message
};

class ConvergenceChecker {
 public:
  using DeadProcesses = std::function<std::vector<std::string>()>;
  ConvergenceChecker(netns::Netlink& netlink, frr::Vtysh& vtysh, std::string lab_name,
                     const frr::RoutingPlan& plan, DeadProcesses dead_processes);

  // Also waits for what the user routers' configs promise (above), and for every node's
  // routes to hold still for `settle`; only for a lab that has user routers.
  void check_user_network(const model::Topology& topology, std::chrono::milliseconds settle);

  // One look. Sessions are asked for when every prefix is present or when forced.
  ConvergenceReport check(bool force_sessions);
  // Looks every `poll` until converged (returns the last report) or the timeout passes
  // (the last report, with sessions checked) or *interrupted.
  ConvergenceReport wait(std::chrono::milliseconds timeout, const std::atomic<bool>* interrupted,
                         std::chrono::milliseconds poll = std::chrono::milliseconds(100));

 private:
  void check_prefixes(ConvergenceReport& report);
  void check_sessions(ConvergenceReport& report);
  void check_user_routers(ConvergenceReport& report);
  void check_settled(ConvergenceReport& report);

  netns::Netlink& netlink_;
  frr::Vtysh& vtysh_;
  std::string lab_;
  const frr::RoutingPlan& plan_;
  DeadProcesses dead_processes_;
  const model::Topology* topology_ = nullptr;  // set for labs with user routers
  std::chrono::milliseconds settle_{0};
  std::map<std::string, std::string> tables_;  // node -> its routes, as last seen
  std::chrono::steady_clock::time_point last_change_{};
  // Since when every other condition has held: the settle time counts from there too, so
  // routes that held still while an adjacency was still forming do not count.
  std::optional<std::chrono::steady_clock::time_point> ok_since_;
  std::vector<std::string> last_changed_;  // the nodes whose routes changed then
};

}  // namespace blastlab::lab
