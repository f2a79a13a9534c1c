#include "controller/experiment/lab_session.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "controller/experiment/log.hpp"
#include "controller/frr/bgp_log.hpp"
#include "controller/frr/config_diff.hpp"
#include "controller/frr/daemons.hpp"
#include "controller/lab/launcher.hpp"
#include "controller/scenario/agent_commands.hpp"
#include "controller/scenario/reach_targets.hpp"

namespace blastlab::experiment {

using scenario::Millis;
using scenario::Script;
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

// Every agent's events so far (and the controller's), merged into one timeline; *bad counts
// the lines that were not events.
std::vector<measure::Event> merged_events(const std::string& lab_dir, size_t* bad) {
  std::vector<measure::EventFile> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(lab::events_directory(lab_dir), ec)) {
    if (entry.path().extension() == ".jsonl")
      files.push_back(measure::read_event_file(entry.path().string()));
  }
  *bad = 0;
  for (const auto& f : files) *bad += f.bad_lines;
  return measure::merge_events(std::move(files));
}

// Each router's bgpd log, turned into session events.
std::vector<nlohmann::json> bgp_events(const model::Topology& topology, const std::string& lab_dir,
                                       int64_t since_us) {
  auto plan = frr::plan_routing(topology);
  std::map<std::string, std::string> peer_names;
  for (const auto& s : plan.sessions) {
    peer_names[s.a_address.str()] = s.a;
    peer_names[s.b_address.str()] = s.b;
  }
  std::vector<nlohmann::json> events;
  for (const auto& router : plan.routers) {
    std::string path = frr::log_file(lab::node_directory(lab_dir, router.node), frr::Daemon::kBgpd);
    std::ifstream in(path);
    if (!in) continue;
    std::stringstream text;
    text << in.rdbuf();
    for (auto& event : frr::bgp_session_events(text.str(), router.node, peer_names)) {
      if (event.value("ts", int64_t{0}) >= since_us) events.push_back(std::move(event));
    }
  }
  return events;
}

LiveLab::LiveLab(lab::LabManager& labs, netns::Netlink& netlink, proc::ProcessRunner& runner,
                 const model::Topology& topology, std::string lab_name, LiveView& live,
                 measure::RunContext context)
    : labs_(labs),
      netlink_(netlink),
      plan_(labs.routing_plan(lab_name)),
      vtysh_(runner, labs.lab_dir(lab_name)),
      lab_(std::move(lab_name)),
      live_(live),
      context_(std::move(context)),
      topology_(topology) {}

std::string LiveLab::running_config(const std::string& node) {
  auto result = vtysh_.run(frr::pathspace(lab_, node), {"show running-config"});
  if (result.exit_code != 0)
    throw std::runtime_error(fmt::format("show running-config on {}: {}", node,
                                         result.err.empty() ? result.out : result.err));
  return result.out;
}

void LiveLab::configure(const std::string& node, const std::vector<std::string>& lines) {
  std::vector<std::string> commands = {"configure terminal"};
  commands.insert(commands.end(), lines.begin(), lines.end());
  commands.push_back("end");
  auto result = vtysh_.run(frr::pathspace(lab_, node), commands);
  // vtysh exits non-zero when a line is refused, and says which on its output.
  if (result.exit_code != 0) {
    std::string said = result.out + result.err;
    while (!said.empty() && said.back() == '\n') said.pop_back();
    throw std::runtime_error(fmt::format("vtysh on {} refused the configuration (exit {}): {}",
                                         node, result.exit_code,
                                         said.empty() ? "no message" : said));
  }
}

std::vector<std::string> LiveLab::rollback_commands(const std::string& before,
                                                    const std::string& after) {
  return frr::rollback_commands(before, after);
}

void LiveLab::set_link(const std::string& a, const std::string& b, bool up) {
  labs_.set_link(lab_, a, b, up);
}

netns::NetemSpec LiveLab::netem(const std::string& a, const std::string& b) {
  auto node_of = [](const std::string& end) { return end.substr(0, end.find(':')); };
  for (const auto& link : labs_.status(lab_).links) {
    if ((link.a.node == node_of(a) && link.b.node == node_of(b)) ||
        (link.a.node == node_of(b) && link.b.node == node_of(a)))
      return link.a.netem.value_or(netns::NetemSpec{});
  }
  return {};
}

void LiveLab::set_netem(const std::string& a, const std::string& b, const netns::NetemSpec& spec) {
  labs_.set_netem(lab_, a, b, spec);
}

void LiveLab::stop_node(const std::string& node) {
  if (watch_) watch_->pause(node, {"healthd"});
  labs_.stop_node(lab_, node, std::chrono::milliseconds(1000), spare_);
}
void LiveLab::start_node(const std::string& node) {
  labs_.start_node(lab_, node);
  if (watch_) watch_->resume(node, clock_.realtime_us());
}
void LiveLab::watch_agents(AgentWatch* watch, std::vector<proc::RecordedProcess> spare) {
  watch_ = watch;
  spare_ = std::move(spare);
}

bool LiveLab::converged(std::string* seen) {
  auto view = labs_.check_convergence(lab_, plan_);
  *seen = view.seen;
  return view.converged;
}

bool LiveLab::has_route(const std::string& node, const std::string& prefix) {
  netns::Status status;
  auto routes = netlink_.list_routes(lab::namespace_name(lab_, node), status);
  if (!status) throw std::runtime_error(status.message());
  return std::any_of(routes.begin(), routes.end(),
                     [&](const netns::RouteInfo& r) { return r.prefix == prefix; });
}

std::optional<bool> LiveLab::dns_streak(const std::string& client, int queries) {
  live_.poll();
  return live_.dns_streak(client, queries);
}

measure::Scalars LiveLab::metrics_now() {
  size_t bad = 0;
  auto events = merged_events(labs_.lab_dir(lab_), &bad);
  // BGP sessions from the routers' logs as they are now, so a gate sees them live.
  for (const auto& e : bgp_events(topology_, labs_.lab_dir(lab_), 0)) {
    measure::Event event;
    if (measure::parse_event(e.dump(), event)) events.push_back(std::move(event));
  }
  return measure::scalar_metrics(measure::compute_metrics(context_, events));
}

// The address of every reach target node that has none in the model, read from its
// namespace: the first global address on lo, else on its other interfaces in name order.
// A target whose address cannot be found cannot be probed: that is an error of the run.
std::map<std::string, std::string> read_reach_addresses(const Script& script,
                                                        netns::Netlink& netlink,
                                                        const std::string& lab_name) {
  std::map<std::string, std::string> addresses;
  for (const auto& node : scenario::reach_nodes_without_address(script)) {
    std::string ns = lab::namespace_name(lab_name, node);
    std::vector<scenario::InterfaceAddresses> interfaces;
    for (const auto& link : netlink.list_links(ns))
      interfaces.push_back({link.ifname, link.addresses});
    auto address = scenario::first_probe_address(std::move(interfaces));
    if (!address)
      throw lab::LabError(3, fmt::format("reach target {}: no global IPv4 address in namespace {} "
                                         "(none on lo nor on its other interfaces) to probe",
                                         node, ns));
    logger()->info("reach target {}: probing {}, read from its namespace", node, *address);
    addresses[node] = *address;
  }
  return addresses;
}

std::vector<Agent> start_agents(const model::Topology& topology, const Script& script,
                                lab::LabManager& labs, const std::string& lab_name,
                                const std::map<std::string, std::string>& reach_addresses) {
  std::vector<Agent> started;
  for (auto& command :
       scenario::agent_commands(topology, script, lab::agent_directory(),
                                lab::events_directory(labs.lab_dir(lab_name)), reach_addresses)) {
    started.push_back(
        {command.node, command.what,
         labs.start_process(lab_name, command.node, command.what, std::move(command.argv))});
  }
  return started;
}

// Waits until every agent has said what it sees (routewatch its dump, dnsprobe a first
// answer), so the baseline starts with the measurement running.
std::vector<std::string> await_agents(const std::vector<Agent>& agents, LiveView& live,
                                      const std::atomic<bool>* interrupted) {
  auto deadline = Steady::now() + std::chrono::seconds(15);
  std::vector<std::string> waiting;
  while (!(interrupted && interrupted->load())) {
    live.poll();
    waiting.clear();
    for (const auto& a : agents)
      if (a.what != "reachlisten" && !live.has_reported(a.what, a.node))
        waiting.push_back(a.what + " on " + a.node);
    if (waiting.empty()) return waiting;
    if (Steady::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (!waiting.empty())
    logger()->warn("agents not reporting after 15 s: {}", fmt::join(waiting, ", "));
  return waiting;
}

void stop_agents(std::vector<Agent>& agents, const Script& script, lab::LabManager& labs,
                 const std::string& lab_name) {
  // dnsprobe and reachprobe answer for what is in flight (up to their timeouts) before they
  // stop.
  Millis longest = script.dns.timeout;
  for (const auto& probe : script.reach) longest = std::max(longest, probe.timeout);
  auto grace = longest + Millis(2000);
  // Newest first: reachprobe stops before the listeners it connects to, or its last probes
  // would be refused by a listener already gone.
  for (auto it = agents.rbegin(); it != agents.rend(); ++it) {
    const Agent& a = *it;
    try {
      labs.end_process(lab_name, a.node, a.what, a.process, grace);
    } catch (const std::exception& e) {
      logger()->warn("stop {} on {}: {}", a.what, a.node, e.what());
    }
  }
  agents.clear();
}

// The same, kept with the run's events (events/bgp.jsonl).
void collect_bgp_events(const model::Topology& topology, const std::string& lab_dir,
                        int64_t since_us) {
  std::ofstream out(lab::events_directory(lab_dir) + "/bgp.jsonl", std::ios::trunc);
  for (const auto& event : bgp_events(topology, lab_dir, since_us)) out << event.dump() << "\n";
}

}  // namespace blastlab::experiment
