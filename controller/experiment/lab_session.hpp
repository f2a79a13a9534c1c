// What every orchestration that measures a live lab shares (a run, a gate, a drill): the
// lab behind the executor's seam, the measurement agents started from a script's probes,
// waited for and stopped, and the lab's events merged into one timeline. A run holds them
// for one process; a drill holds them across commands (its agents outlive `drill start`
// and are stopped by `drill end`, by their pids in the lab's records).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/experiment/agent_watch.hpp"
#include "controller/experiment/live.hpp"
#include "controller/frr/plan.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/lab/lab.hpp"
#include "controller/measure/events.hpp"
#include "controller/measure/metrics.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/proc/process.hpp"
#include "controller/scenario/executor.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::experiment {

// Every agent's events so far (and the controller's), merged into one timeline; *bad counts
// the lines that were not events.
std::vector<measure::Event> merged_events(const std::string& lab_dir, size_t* bad);

// Each router's bgpd log since `since_us`, turned into session events.
std::vector<nlohmann::json> bgp_events(const model::Topology& topology, const std::string& lab_dir,
                                       int64_t since_us);
// The same, kept with the run's events (events/bgp.jsonl).
void collect_bgp_events(const model::Topology& topology, const std::string& lab_dir,
                        int64_t since_us);

// The live lab behind the executor's seam: vtysh for configuration, the lab manager for
// links and nodes, netlink for routing tables, the live view for DNS answers, the events
// so far for a gate's metrics.
class LiveLab : public scenario::LabControl {
 public:
  LiveLab(lab::LabManager& labs, netns::Netlink& netlink, proc::ProcessRunner& runner,
          const model::Topology& topology, std::string lab_name, LiveView& live,
          measure::RunContext context);

  std::string running_config(const std::string& node) override;
  void configure(const std::string& node, const std::vector<std::string>& lines) override;
  std::vector<std::string> rollback_commands(const std::string& before,
                                             const std::string& after) override;
  void set_link(const std::string& a, const std::string& b, bool up) override;
  netns::NetemSpec netem(const std::string& a, const std::string& b) override;
  void set_netem(const std::string& a, const std::string& b, const netns::NetemSpec& spec) override;
  // A stop spares the run's measurement agents on the node (stopping a peer must not blind
  // the run); what it ends there on purpose (a DNS host's healthd) is not watched until
  // the start that brings it back.
  void stop_node(const std::string& node) override;
  void start_node(const std::string& node) override;
  // `watch` may be null: nobody watches the agents (a drill's injection), which are still
  // spared by stops.
  void watch_agents(AgentWatch* watch, std::vector<proc::RecordedProcess> spare);
  bool converged(std::string* seen) override;
  bool has_route(const std::string& node, const std::string& prefix) override;
  std::optional<bool> dns_streak(const std::string& client, int queries) override;
  measure::Scalars metrics_now() override;

 private:
  lab::LabManager& labs_;
  netns::Netlink& netlink_;
  frr::RoutingPlan plan_;  // made once: `wait: converged` polls ten times a second
  frr::Vtysh vtysh_;
  std::string lab_;
  LiveView& live_;
  measure::RunContext context_;
  const model::Topology& topology_;
  scenario::SystemClock clock_;
  AgentWatch* watch_ = nullptr;
  std::vector<proc::RecordedProcess> spare_;
};

// A measurement agent started in the lab (recorded in its journal).
struct Agent {
  std::string node;
  std::string what;
  proc::RecordedProcess process;
};

// The address of every reach target node that has none in the model, read from its
// namespace: the first global address on lo, else on its other interfaces in name order.
// A target whose address cannot be found cannot be probed: LabError(3).
std::map<std::string, std::string> read_reach_addresses(const scenario::Script& script,
                                                        netns::Netlink& netlink,
                                                        const std::string& lab_name);

// The script's agents, started in the lab's namespaces and recorded in its journal.
std::vector<Agent> start_agents(const model::Topology& topology, const scenario::Script& script,
                                lab::LabManager& labs, const std::string& lab_name,
                                const std::map<std::string, std::string>& reach_addresses);

// Waits (up to 15 s) until every agent has said what it sees (routewatch its dump, dnsprobe
// a first answer), so that what follows starts with the measurement running. Returns the
// agents still silent ("dnsprobe on client1"), also logged as a warning.
std::vector<std::string> await_agents(const std::vector<Agent>& agents, LiveView& live,
                                      const std::atomic<bool>* interrupted);

// Stops the agents newest first, each given time to answer for what it has in flight (the
// script's longest probe timeout and 2 s), and records that they ended on purpose.
void stop_agents(std::vector<Agent>& agents, const scenario::Script& script, lab::LabManager& labs,
                 const std::string& lab_name);

}  // namespace blastlab::experiment
