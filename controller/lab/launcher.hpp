// Brings a built fabric to life: for every node it writes the rendered configurations into
// the node's directory of the lab (LAB/nodes/NODE/), adds the service addresses and host
// routes the routing plan asks for, and starts the node's programs in its namespace: FRR's
// daemons on routers, NSD and healthd on DNS hosts, the backend on datacenters, unbound on
// clients. Every started process is recorded in the journal the moment its pid is known,
// and released, so it outlives the controller and `down` ends it by that record.
#pragma once

#include <atomic>
#include <string>

#include "controller/frr/plan.hpp"
#include "controller/lab/journal.hpp"
#include "controller/model/topology.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::lab {

// Where the lab finds its own agents: the directory the running blastlab binary is in (the
// build puts them side by side).
std::string agent_directory();

// A node's exec lines that are ip addresses and routes, applied again after one of its
// links came back up: the kernel drops a node's routes (and can drop its addresses) through
// an interface set down, which a host's network configuration would put back. An address
// or route already there is fine.
void reapply_exec_addresses_and_routes(netns::Netlink& netlink, const std::string& ns,
                                       const model::Node& node);

std::string node_directory(const std::string& lab_dir, const std::string& node);
std::string events_directory(const std::string& lab_dir);

class Launcher {
 public:
  Launcher(netns::Netlink& netlink, proc::ProcessRunner& runner, Journal& journal,
           std::string lab_name, std::string lab_dir);

  // Throws LabError on the first failure; whatever was started is in the journal already.
  void launch(const model::Topology& topology, const frr::RoutingPlan& plan,
              const std::atomic<bool>* interrupted);
  // Starts a stopped node's programs again from the configurations already in its
  // directory: FRR's daemons (zebra first), then its services and agents.
  void restart_node(const model::Topology& topology, const frr::RoutingPlan& plan,
                    const std::string& node);
  // Starts one program in the node's namespace, output to NODE_DIR/WHAT.out, and records
  // it in the journal; `down` ends it. max_open_files: its RLIMIT_NOFILE, 0 inherited.
  proc::RecordedProcess start(const std::string& node, const std::string& what,
                              std::vector<std::string> argv, unsigned long max_open_files = 0);

 private:
  void configure_hosts(const frr::RoutingPlan& plan);
  // Each node's exec lines, in file order: ip operations through netlink, trusted shell
  // lines with /bin/sh -c in the node's namespace.
  void run_exec_lines(const model::Topology& topology);
  void write_router_files(const model::Topology& topology, const frr::RouterPlan& router);
  // Sends each user router's configuration to its daemons once they all listen.
  void apply_user_configs(const std::vector<const frr::RouterPlan*>& routers);
  void start_routers(const model::Topology& topology, const frr::RoutingPlan& plan);
  void start_daemons(std::vector<const frr::RouterPlan*> routers);
  void start_services(const model::Topology& topology);
  void start_services(const model::Topology& topology, const model::Node& node);
  std::string zserv_socket(const std::string& node) const;
  std::string write_healthd_config(const model::Topology& topology, const model::Node& node);

  netns::Netlink& netlink_;
  proc::ProcessRunner& runner_;
  Journal& journal_;
  std::string lab_;
  std::string dir_;
};

}  // namespace blastlab::lab
