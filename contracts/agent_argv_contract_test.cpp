// The command lines the controller starts the agents with are ones the agents take: every
// shipped experiment's routewatch, dnsprobe and querywatch command lines go through each
// agent's own parser, the one its main uses; and at the ends of the agents' ranges the
// script's validation and the agents decide alike.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "agents/dnsprobe/config.hpp"
#include "agents/querywatch/options.hpp"
#include "agents/reachprobe/config.hpp"
#include "agents/routewatch/options.hpp"
#include "contracts/contract_test_support.hpp"
#include "controller/scenario/agent_commands.hpp"

namespace blastlab::contracts {
namespace {

using scenario::AgentCommand;

// The agent's verdict on its command line; *why says what it refused.
bool agent_takes(const AgentCommand& command, std::string* why) {
  std::vector<const char*> argv;
  for (const auto& arg : command.argv) argv.push_back(arg.c_str());
  std::ostringstream help;
  try {
    if (command.what == "dnsprobe")
      return dnsprobe::parse_flags(int(argv.size()), argv.data(), help).has_value();
    if (command.what == "routewatch")
      return routewatch::parse_command_line(int(argv.size()), argv.data(), help).has_value();
    if (command.what == "querywatch")
      return querywatch::parse_command_line(int(argv.size()), argv.data(), help).has_value();
    if (command.what == "reachprobe")
      return reachprobe::parse_flags(int(argv.size()), argv.data(), help).has_value();
    // The listener is backendd, whose --listen ADDR:PORT the lab's datacenters run too.
    if (command.what == "reachlisten")
      return argv.size() >= 3 && std::string(argv[1]) == "--listen" &&
             std::string(argv[0]).ends_with("/blastlab-backendd");
    *why = "no parser for agent " + command.what;
  } catch (const dnsprobe::UsageError& e) {
    *why = e.what();
  } catch (const routewatch::UsageError& e) {
    *why = e.what();
  } catch (const querywatch::UsageError& e) {
    *why = e.what();
  } catch (const reachprobe::UsageError& e) {
    *why = e.what();
  }
  return false;
}

std::vector<AgentCommand> commands_of(const model::Topology& topology,
                                      const scenario::Script& script) {
  // A user network's hosts get their addresses from exec lines and routers from their own
  // configs: a run reads them from the nodes' namespaces. Any address stands in here, where
  // only the shape of the command lines is on trial.
  std::map<std::string, std::string> read;
  for (const auto& node : scenario::reach_nodes_without_address(script)) read[node] = "192.0.2.1";
  return scenario::agent_commands(topology, script, "/usr/lib/blastlab",
                                  "/run/blastlab/contract/events", read);
}

TEST(AgentArgvContractTest, EveryShippedExperimentsCommandLinesAreOnesTheAgentsTake) {
  for (const auto& experiment : testing::shipped_experiments()) {
    auto commands = commands_of(experiment.topology, experiment.script);
    EXPECT_FALSE(commands.empty()) << experiment.name;
    for (const auto& command : commands) {
      std::string why;
      EXPECT_TRUE(agent_takes(command, &why))
          << experiment.name << ": " << command.what << " on " << command.node << " refuses "
          << fmt::format("{}", fmt::join(command.argv, " ")) << ": " << why;
    }
  }
}

TEST(AgentArgvContractTest, DnsprobeRunsWithTheScriptsValues) {
  for (const auto& experiment : testing::shipped_experiments()) {
    for (const auto& command : commands_of(experiment.topology, experiment.script)) {
      if (command.what != "dnsprobe") continue;
      std::vector<const char*> argv;
      for (const auto& arg : command.argv) argv.push_back(arg.c_str());
      std::ostringstream help;
      auto config = dnsprobe::parse_flags(int(argv.size()), argv.data(), help);
      ASSERT_TRUE(config) << experiment.name;
      EXPECT_EQ(config->rate, experiment.script.dns.rate) << experiment.name;
      EXPECT_EQ(config->timeout, experiment.script.dns.timeout) << experiment.name;
      EXPECT_EQ(config->duration, scenario::run_bound(experiment.script)) << experiment.name;
      EXPECT_EQ(config->targets.size(), experiment.script.dns.targets.size()) << experiment.name;
    }
  }
}

// The command line with `flag`'s value replaced, in every command that has the flag.
std::vector<AgentCommand> with_flag(std::vector<AgentCommand> commands, const std::string& flag,
                                    const std::string& value) {
  for (auto& command : commands) {
    auto it = std::find(command.argv.begin(), command.argv.end(), flag);
    if (it != command.argv.end() && it + 1 != command.argv.end()) *(it + 1) = value;
  }
  return commands;
}

struct ScriptCase {
  std::string probes_and_observe;  // the script's lines before `steps`
  bool valid;
  std::string flag;  // for an invalid one: the same value on a valid command line
  std::string value;
};

std::string script_with(const std::string& head) {
  return "name: limits\n" + head + "\nsteps:\n  - stop: bb1\n";
}

// At the ends of each range: what the script takes, the agents take; what the script
// refuses, an agent refuses too. minimal's zone is example.net: a query of 241 characters
// makes a name of 253, DNS's most.
TEST(AgentArgvContractTest, TheScriptAndTheAgentsDecideAlikeAtTheLimits) {
  const std::string l63(63, 'q');
  const std::string longest = l63 + "." + l63 + "." + l63 + "." + std::string(49, 'q');
  const std::string too_long = l63 + "." + l63 + "." + l63 + "." + std::string(50, 'q');
  const std::vector<ScriptCase> cases = {
      {"probes: {dns: {rate: 0.01, timeout: 1ms}}", true, "", ""},
      {"probes: {dns: {rate: 1000, timeout: 60s}}", true, "", ""},
      {"probes: {dns: {query: " + longest + "}}", true, "", ""},
      // 3s baseline + observe + 60s, and 30s for the one step: 86400s, the agents' most.
      {"observe: 86307s", true, "", ""},
      {"probes: {dns: {rate: 0.009}}", false, "--rate", "0.009"},
      {"probes: {dns: {rate: 1000.5}}", false, "--rate", "1000.5"},
      {"probes: {dns: {timeout: 60001ms}}", false, "--timeout", "60001ms"},
      {"probes: {dns: {query: " + too_long + "}}", false, "--qname", too_long},
      {"observe: 86308s", false, "--duration", "86401s"},
  };
  const model::Topology topology =
      testing::load_topology(testing::source("topologies/minimal.yaml"));
  auto base = scenario::load_script_text(script_with(""), "s.yaml", topology);
  ASSERT_TRUE(base.script) << model::format_diagnostics(base.errors);
  for (const auto& c : cases) {
    auto loaded = scenario::load_script_text(script_with(c.probes_and_observe), "s.yaml", topology);
    EXPECT_EQ(loaded.script.has_value(), c.valid) << c.probes_and_observe << "\n"
                                                  << model::format_diagnostics(loaded.errors);
    auto commands = loaded.script ? commands_of(topology, *loaded.script)
                                  : with_flag(commands_of(topology, *base.script), c.flag, c.value);
    bool all_take = true;
    std::string why;
    for (const auto& command : commands) all_take = agent_takes(command, &why) && all_take;
    EXPECT_EQ(all_take, c.valid) << c.probes_and_observe << ": " << why;
  }
}

// reachprobe's ranges, from both sides: a source with its rate and timeout at each end of the
// script's range starts a reachprobe that takes them; past either end the script refuses it
// and so does the agent, given the same value.
TEST(AgentArgvContractTest, ReachprobeAndTheScriptDecideAlikeAtTheLimits) {
  const model::Topology topology =
      testing::load_topology(testing::source("topologies/minimal.yaml"));
  auto reach = [](const std::string& fields) {
    return "probes: {reach: [{from: client1, to: [transit1, 198.51.100.12], " + fields + "}]}";
  };
  auto base = scenario::load_script_text(script_with(reach("rate: 5")), "s.yaml", topology);
  ASSERT_TRUE(base.script) << model::format_diagnostics(base.errors);
  const std::vector<ScriptCase> cases = {
      {reach("rate: 0.01, timeout: 1ms"), true, "", ""},
      {reach("rate: 100, timeout: 10s"), true, "", ""},
      {reach("proto: tcp, port: 65535"), true, "", ""},
      {reach("rate: 0.009"), false, "--rate", "0.009"},
      {reach("rate: 100.5"), false, "--rate", "100.5"},
      {reach("timeout: 10001ms"), false, "--timeout", "10001ms"},
  };
  for (const auto& c : cases) {
    auto loaded = scenario::load_script_text(script_with(c.probes_and_observe), "s.yaml", topology);
    EXPECT_EQ(loaded.script.has_value(), c.valid) << c.probes_and_observe << "\n"
                                                  << model::format_diagnostics(loaded.errors);
    auto commands = loaded.script ? commands_of(topology, *loaded.script)
                                  : with_flag(commands_of(topology, *base.script), c.flag, c.value);
    std::string why;
    bool reachprobe_takes = true;
    for (const auto& command : commands)
      if (command.what == "reachprobe") reachprobe_takes = agent_takes(command, &why);
    EXPECT_EQ(reachprobe_takes, c.valid) << c.probes_and_observe << ": " << why;
  }
}

}  // namespace
}  // namespace blastlab::contracts
