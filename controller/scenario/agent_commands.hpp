// The command lines of the measurement agents a run starts: routewatch at every vantage
// point, dnsprobe and querywatch at every client, reachprobe at every source node of the
// reachability probes and a TCP listener (blastlab-backendd) where they connect. Made from the
// topology and the script alone, so that the contract tests feed them to each agent's own parser,
// and the script's validation bounds what they carry (the run's length, each agent's --duration)
// before anything is built.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "controller/model/topology.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::scenario {

struct AgentCommand {
  std::string node;
  // "routewatch", "dnsprobe", "querywatch", "reachprobe", "reachlisten": its name in the
  // lab's journal
  std::string what;
  std::vector<std::string> argv;
};

// An upper bound of the run's length, for the agents' own --duration: they must end even
// if the controller is killed and nobody stops them. The bound of the run outside its steps
// and each step's share are apart so that validation can name the step that makes it too
// long.
Millis run_bound_outside_steps(const Script& script);
Millis run_bound_of_step(const Step& step);
std::chrono::seconds run_bound(const Script& script);

// In start order: routewatch on each vantage point, then dnsprobe and querywatch on each
// client, then the reachability probes' listeners and each source's reachprobe.
// `agent_dir` holds the agents' binaries, `events_dir` is where they write. `read_addresses`
// gives the address of each reach target node that has none in the model (read from its
// namespace when the run starts); such a target missing from it throws std::runtime_error
// naming the node.
std::vector<AgentCommand> agent_commands(
    const model::Topology& topology, const Script& script, const std::string& agent_dir,
    const std::string& events_dir, const std::map<std::string, std::string>& read_addresses = {});

// The reach target nodes whose address the run must read from their namespace.
std::vector<std::string> reach_nodes_without_address(const Script& script);

}  // namespace blastlab::scenario
