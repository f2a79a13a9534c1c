// The command lines of the measurement agents a run starts: routewatch at every vantage
// point, dnsprobe and querywatch at every client. Made from the topology and the script
// alone, so that the contract tests feed them to each agent's own parser, and the script's
// validation bounds what they carry (the run's length, each agent's --duration) before
// anything is built.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "controller/model/topology.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::scenario {

struct AgentCommand {
  std::string node;
  std::string what;  // "routewatch", "dnsprobe", "querywatch": its name in the lab's journal
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
// client. `agent_dir` holds the agents' binaries, `events_dir` is where they write.
std::vector<AgentCommand> agent_commands(const model::Topology& topology, const Script& script,
                                         const std::string& agent_dir,
                                         const std::string& events_dir);

}  // namespace blastlab::scenario
