#include "controller/scenario/agent_commands.hpp"

#include <fmt/format.h>

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

std::vector<AgentCommand> agent_commands(const model::Topology& topology, const Script& script,
                                         const std::string& agent_dir,
                                         const std::string& events_dir) {
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
  return commands;
}

}  // namespace blastlab::scenario
