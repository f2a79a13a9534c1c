// Convergence: the moment a lab is ready for an experiment. Every BGP session of the
// routing plan is Established, and every prefix the plan expects is in the kernel table of
// the node that should hold it (forwarding, not only known to a daemon). Prefixes are read
// through netlink, which costs nothing, and sessions through vtysh only once every prefix is
// there; a report names what is still missing, so a timeout says exactly what did not come
// up.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "controller/frr/plan.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::lab {

struct ConvergenceReport {
  std::vector<std::string> sessions_down;     // "pop1 - dns1 (198.19.0.11): Active"
  std::vector<std::string> prefixes_missing;  // "198.51.100.0/26 (anycast) at transit1"
  std::vector<std::string> dead_processes;    // "bgpd on pop1 (pid 123)"
  bool sessions_checked = false;
  bool converged() const {
    return sessions_checked && sessions_down.empty() && prefixes_missing.empty() &&
           dead_processes.empty();
  }
  std::string describe() const;  // multi-line, for the error message
};

class ConvergenceChecker {
 public:
  using DeadProcesses = std::function<std::vector<std::string>()>;
  ConvergenceChecker(netns::Netlink& netlink, frr::Vtysh& vtysh, std::string lab_name,
                     const frr::RoutingPlan& plan, DeadProcesses dead_processes);

  // One look. Sessions are asked for when every prefix is present or when forced.
  ConvergenceReport check(bool force_sessions);
  // Looks every `poll` until converged (returns the last report) or the timeout passes
  // (the last report, with sessions checked) or *interrupted.
  ConvergenceReport wait(std::chrono::milliseconds timeout, const std::atomic<bool>* interrupted,
                         std::chrono::milliseconds poll = std::chrono::milliseconds(100));

 private:
  void check_prefixes(ConvergenceReport& report);
  void check_sessions(ConvergenceReport& report);

  netns::Netlink& netlink_;
  frr::Vtysh& vtysh_;
  std::string lab_;
  const frr::RoutingPlan& plan_;
  DeadProcesses dead_processes_;
};

}  // namespace blastlab::lab
