#include "controller/scenario/agent_commands.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "controller/scenario/reach_targets.hpp"

namespace blastlab::scenario {
namespace {

std::string ms_flag(Millis d) {
  return fmt::format("{}ms", d.count());
}

}  // namespace

Millis run_bound_outside_steps(const Script& script) {
  return script.baseline + script.observe + Millis(60000);
}

Millis run_bound_of_step(const Step& step) {
  Millis bound = step.at ? *step.at : step.after;
  if (step.kind == StepKind::kWait) bound += step.wait.timeout;
  if (step.kind == StepKind::kGate) bound += step.gate.observe;
  return bound + Millis(30000);  // vtysh, node restarts
}

std::chrono::seconds run_bound(const Script& script) {
  Millis total = run_bound_outside_steps(script);
  for (const auto& step : script.steps) total += run_bound_of_step(step);
  return std::chrono::duration_cast<std::chrono::seconds>(total);
}

std::vector<std::string> reach_nodes_without_address(const Script& script) {
  std::vector<std::string> nodes;
  for (const auto& probe : script.reach)
    for (const auto& target : probe.to)
      if (target.is_node && target.address.empty() &&
          std::find(nodes.begin(), nodes.end(), target.name) == nodes.end())
        nodes.push_back(target.name);
  return nodes;
}

std::vector<AgentCommand> agent_commands(const model::Topology& topology, const Script& script,
                                         const std::string& agent_dir,
                                         const std::string& events_dir,
                                         const std::map<std::string, std::string>& read_addresses) {
  std::string duration = fmt::format("{}s", run_bound(script).count());
  // What every agent is told first: the node it reports for and the file it writes.
  auto head = [&](const std::string& what, const std::string& node) {
    return std::vector<std::string>{agent_dir + "/blastlab-" + what, "--node", node, "--events",
                                    events_dir + "/" + what + "-" + node + ".jsonl"};
  };
  std::vector<AgentCommand> commands;
  if (script.routes.enabled && !script.routes.prefixes.empty()) {
    for (const auto& node : script.routes.at.nodes) {
      std::vector<std::string> argv = head("routewatch", node);
      argv.insert(argv.end(), {"--duration", duration});
      for (const auto& p : script.routes.prefixes) {
        argv.push_back("--prefix");
        argv.push_back(p);
      }
      commands.push_back({node, "routewatch", std::move(argv)});
    }
  }
  const auto& dns = topology.services.dns;
  if (script.dns.enabled && dns) {
    for (const auto& node : script.dns.clients.nodes) {
      std::vector<std::string> argv = head("dnsprobe", node);
      argv.insert(argv.end(), {"--rate", fmt::format("{}", script.dns.rate), "--timeout",
                               ms_flag(script.dns.timeout), "--zone", dns->zone, "--qname",
                               script.dns.query, "--duration", duration, "--nsid"});
      for (const auto& target : script.dns.targets) {
        if (target == "resolver") {
          argv.insert(argv.end(), {"--target", "resolver=127.0.0.1"});
        } else if (!dns->anycast.empty() && !dns->anycast.front().nameservers.empty()) {
          argv.insert(
              argv.end(),
              {"--target", "anycast=" + dns->anycast.front().nameservers.front().address.str()});
        }
      }
      commands.push_back({node, "dnsprobe", std::move(argv)});
      // The resolver's own queries toward the name servers: its load, baseline against outage.
      std::vector<std::string> watch = head("querywatch", node);
      watch.insert(watch.end(), {"--duration", duration});
      for (const auto& anycast : dns->anycast)
        for (const auto& ns : anycast.nameservers)
          watch.insert(watch.end(), {"--target", ns.address.str()});
      commands.push_back({node, "querywatch", std::move(watch)});
    }
  }
  // The listeners first, so the first connections find them.
  for (const auto& listener : reach_listeners(topology, script)) {
    std::vector<std::string> argv = {agent_dir + "/blastlab-backendd"};
    for (const auto& address : listener.listen) argv.insert(argv.end(), {"--listen", address});
    commands.push_back({listener.node, "reachlisten", std::move(argv)});
  }
  for (const auto& node : topology.nodes) {
    std::vector<std::string> targets;
    const ReachProbe* first = nullptr;
    for (const auto& probe : script.reach) {
      if (std::find(probe.from.nodes.begin(), probe.from.nodes.end(), node.name) ==
          probe.from.nodes.end())
        continue;
      if (!first) first = &probe;
      for (const auto& target : probe.to) {
        if (target.name == node.name) continue;  // a node does not probe itself
        std::string address = target.address;
        if (address.empty()) {
          auto it = read_addresses.find(target.name);
          if (it == read_addresses.end())
            throw std::runtime_error(fmt::format(
                "no address for reach target {}: none in the model, none read from its namespace",
                target.name));
          address = it->second;
        }
        std::string text = probe.proto == "tcp"
                               ? fmt::format("tcp:{}={}:{}", target.name, address, probe.port)
                               : fmt::format("icmp:{}={}", target.name, address);
        if (std::find(targets.begin(), targets.end(), text) == targets.end())
          targets.push_back(text);
      }
    }
    if (!first || targets.empty()) continue;
    std::vector<std::string> argv = head("reachprobe", node.name);
    argv.insert(argv.end(), {"--rate", fmt::format("{}", first->rate), "--timeout",
                             ms_flag(first->timeout), "--duration", duration});
    for (const auto& target : targets) argv.insert(argv.end(), {"--target", target});
    commands.push_back({node.name, "reachprobe", std::move(argv)});
  }
  return commands;
}

}  // namespace blastlab::scenario
