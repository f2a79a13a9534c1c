#include "controller/cli/commands.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "controller/capture/capture.hpp"
#include "controller/capture/packet_socket.hpp"
#include "controller/clab_export/clab_export.hpp"
#include "controller/cli/cli_support.hpp"
#include "controller/cli/progress.hpp"
#include "controller/drill/drill_live.hpp"
#include "controller/experiment/compare.hpp"
#include "controller/experiment/run.hpp"
#include "controller/files/safe_write.hpp"
#include "controller/frr/user_config.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/gate/gate_run.hpp"
#include "controller/graph/graph.hpp"
#include "controller/lab/lab.hpp"
#include "controller/lab/launcher.hpp"
#include "controller/model/topology.hpp"
#include "controller/model/units.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/proc/process.hpp"
#include "controller/report/compare.hpp"
#include "controller/report/report.hpp"
#include "controller/scenario/script.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::cli {

using lab::LabError;

void require_root(const char* what) {
  if (::geteuid() != 0) {
    throw LabError(3, fmt::format("{} needs root: network namespaces and netlink changes are "
                                  "privileged (run it with sudo)",
                                  what));
  }
}

std::string run_dir() {
  const char* dir = std::getenv("BLASTLAB_RUN_DIR");
  return dir && *dir ? dir : lab::kDefaultRunDir;
}

std::string default_out(const std::string& name) {
  auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  return fmt::format("runs/{}-{:%Y%m%d-%H%M%S}", name, local);
}

namespace {

using json = nlohmann::json;

topology_load::LoadOptions load_options(const TopologyFlags& flags) {
  return {.base_directory = "", .trust_exec = flags.trust_exec, .overlay = flags.overlay};
}

// What the lab will do differently from the file, each as `file:line:col: warning: ...`.
void print_warnings(const std::vector<model::Diagnostic>& warnings) {
  if (!warnings.empty()) std::cerr << topology_load::format_warnings(warnings) << "\n";
}

model::Topology load_or_fail(const std::string& path, const TopologyFlags& flags) {
  auto loaded = topology_load::load_topology_file(path, load_options(flags));
  print_warnings(loaded.warnings);
  if (!loaded.topology) {
    // Diagnostics go out bare, one `file:line:col: field: problem` per line, for editors
    // and CI annotations to pick up.
    std::cerr << model::format_diagnostics(loaded.errors) << "\n";
    throw LabError(2, fmt::format("{}: {} error{}", path, loaded.errors.size(),
                                  loaded.errors.size() == 1 ? "" : "s"));
  }
  return *loaded.topology;
}

scenario::Script load_script_or_fail(const std::string& path, const model::Topology& topology) {
  auto loaded = scenario::load_script_file(path, topology);
  if (!loaded.script) {
    std::cerr << model::format_diagnostics(loaded.errors) << "\n";
    throw LabError(2, fmt::format("{}: {} error{}", path, loaded.errors.size(),
                                  loaded.errors.size() == 1 ? "" : "s"));
  }
  return *loaded.script;
}

std::string netem_text(const std::optional<netns::NetemSpec>& netem) {
  if (!netem || netem->empty()) return "-";
  std::string text;
  auto add = [&text](const std::string& part) { text += (text.empty() ? "" : " ") + part; };
  if (netem->delay.count()) add(fmt::format("delay {}ms", netem->delay.count() / 1000.0));
  if (netem->jitter.count()) add(fmt::format("jitter {}ms", netem->jitter.count() / 1000.0));
  if (netem->loss_percent) add(fmt::format("loss {}%", netem->loss_percent));
  if (netem->rate_bits_per_second)
    add(fmt::format("rate {}kbit", netem->rate_bits_per_second / 1000));
  return text;
}

json netem_json(const std::optional<netns::NetemSpec>& netem) {
  if (!netem) return nullptr;
  return {{"delay_us", netem->delay.count()},
          {"jitter_us", netem->jitter.count()},
          {"loss_percent", netem->loss_percent},
          {"rate_bps", netem->rate_bits_per_second}};
}

json end_json(const lab::LinkEndStatus& end) {
  return {{"node", end.node},
          {"ifname", end.ifname},
          {"address", end.address},
          {"present", end.present},
          {"admin_up", end.admin_up},
          {"carrier", end.carrier},
          {"netem", netem_json(end.netem)}};
}

json status_json(const lab::LabStatus& s) {
  json nodes = json::array();
  for (const auto& n : s.nodes) {
    json processes = json::array();
    for (const auto& p : n.processes)
      processes.push_back({{"what", p.what}, {"pid", p.pid}, {"running", p.running}});
    nodes.push_back({{"name", n.name},
                     {"role", n.role},
                     {"namespace", n.ns},
                     {"present", n.present},
                     {"processes", processes}});
  }
  json links = json::array();
  for (const auto& l : s.links)
    links.push_back({{"a", end_json(l.a)}, {"b", end_json(l.b)}, {"up", l.up()}});
  return {{"name", s.name},         {"topology", s.topology}, {"state", s.state},
          {"healthy", s.healthy()}, {"nodes", nodes},         {"links", links}};
}

const char* end_state(const lab::LinkEndStatus& end) {
  if (!end.present) return "missing";
  if (!end.admin_up) return "down";
  if (!end.carrier) return "no-carrier";
  return "up";
}

// "bb1:pop1 - pop1:bb1", for a link of the model or of a lab's status.
template <class End>
std::string link_name(const End& a, const End& b) {
  return fmt::format("{}:{} - {}:{}", a.node, a.ifname, b.node, b.ifname);
}

// The LINK column fits the longest name, so addresses always line up.
template <class Links>
size_t link_name_width(const Links& links) {
  size_t width = 6;
  for (const auto& l : links) width = std::max(width, link_name(l.a, l.b).size() + 2);
  return width;
}

void print_status(const lab::LabStatus& s) {
  std::cout << fmt::format("lab {}  state {}  {}\ntopology {}\n\n", s.name, s.state,
                           s.healthy() ? "healthy" : "DEGRADED", s.topology);
  std::cout << fmt::format("{:<16}{:<12}{:<28}{:<9}{}\n", "NODE", "ROLE", "NAMESPACE", "STATE",
                           "PROCESSES");
  for (const auto& n : s.nodes) {
    std::string processes;
    for (const auto& p : n.processes) {
      if (!processes.empty()) processes += " ";
      processes += p.running ? p.what : fmt::format("{}:DEAD(pid {})", p.what, p.pid);
    }
    std::cout << fmt::format("{:<16}{:<12}{:<28}{:<9}{}\n", n.name, n.role, n.ns,
                             n.present ? "present" : "MISSING",
                             processes.empty() ? "-" : processes);
  }
  size_t width = link_name_width(s.links);
  std::cout << fmt::format("\n{:<{}}{:<18}{:<18}{:<22}{}\n", "LINK", width, "A ADDRESS",
                           "B ADDRESS", "STATE (A/B)", "NETEM");
  for (const auto& l : s.links) {
    std::string state = fmt::format("{}/{}", end_state(l.a), end_state(l.b));
    std::cout << fmt::format("{:<{}}{:<18}{:<18}{:<22}{}\n", link_name(l.a, l.b), width,
                             l.a.address, l.b.address, state, netem_text(l.a.netem));
  }
}

// "router", or "router (peer)" for a router measured as a peer.
std::string role_text(const model::Node& n) {
  std::string text(model::to_string(n.role));
  if (n.measured_as) text += fmt::format(" ({})", model::to_string(*n.measured_as));
  return text;
}

// The user's own configuration of each node that has one: its FRR files, its exec lines as
// blastlab will apply them.
void print_user_config(const model::Topology& t) {
  bool any = std::any_of(t.nodes.begin(), t.nodes.end(),
                         [](const model::Node& n) { return n.frr || !n.exec.empty(); });
  if (!any) return;
  std::cout << fmt::format("\n{:<16}{}\n", "NODE", "CONFIGURATION");
  for (const auto& n : t.nodes) {
    std::vector<std::string> lines;
    if (n.frr) {
      std::string config =
          n.frr->config_text
              ? (n.frr->config_text->empty() ? std::string("FRR with an empty configuration")
                                             : fmt::format("frr.conf inline at {}:{}",
                                                           n.frr->config, n.frr->text_first_line))
              : "frr.conf " + n.frr->config;
      if (!n.frr->daemons.empty()) config += ", daemons " + n.frr->daemons;
      lines.push_back(config);
    }
    for (const auto& e : n.exec)
      lines.push_back(e.ip ? execline::render_ip_command(*e.ip) : "/bin/sh -c '" + e.line + "'");
    for (size_t i = 0; i < lines.size(); ++i)
      std::cout << fmt::format("{:<16}{}\n", i == 0 ? n.name : "", lines[i]);
  }
}

void print_plan(const model::Topology& t) {
  std::cout << fmt::format("{:<16}{:<18}{:<12}{:<20}{}\n", "NODE", "ROLE", "ASN", "LOOPBACK",
                           "NETWORK");
  for (const auto& n : t.nodes) {
    std::cout << fmt::format(
        "{:<16}{:<18}{:<12}{:<20}{}\n", n.name, role_text(n), n.asn ? std::to_string(n.asn) : "-",
        n.loopback ? n.loopback->str() : "-", n.network ? n.network->str() : "-");
  }
  size_t width = link_name_width(t.links);
  std::cout << fmt::format("\n{:<{}}{:<20}{:<20}{}\n", "LINK", width, "A ADDRESS", "B ADDRESS",
                           "MTU");
  for (const auto& l : t.links) {
    std::cout << fmt::format("{:<{}}{:<20}{:<20}{}\n", link_name(l.a, l.b), width,
                             l.a.address ? l.a.address->str() : "-",
                             l.b.address ? l.b.address->str() : "-", l.mtu);
  }
  print_user_config(t);
}

netns::NetemSpec parse_netem_flags(const NetemArgs& args) {
  netns::NetemSpec spec;
  if (args.clear) {
    if (!args.delay.empty() || !args.jitter.empty() || !args.loss.empty() || !args.rate.empty())
      throw LabError(2, "netem: --clear takes no other impairment flag");
    return spec;
  }
  if (!args.delay.empty()) {
    auto d = model::parse_duration(args.delay);
    if (!d)
      throw LabError(
          2, "netem: --delay '" + args.delay + "': expected a duration like 10ms, 500us or 1s");
    spec.delay = *d;
  }
  if (!args.jitter.empty()) {
    auto d = model::parse_duration(args.jitter);
    if (!d)
      throw LabError(2, "netem: --jitter '" + args.jitter + "': expected a duration like 2ms");
    if (args.delay.empty()) throw LabError(2, "netem: --jitter needs --delay");
    spec.jitter = *d;
  }
  if (!args.loss.empty()) {
    auto p = model::parse_percent(args.loss);
    if (!p || *p < 0 || *p > 100)
      throw LabError(
          2, "netem: --loss '" + args.loss + "': expected a percentage 0..100, like 1% or 0.5");
    spec.loss_percent = *p;
  }
  if (!args.rate.empty()) {
    auto r = model::parse_rate(args.rate);
    if (!r || *r == 0)
      throw LabError(
          2, "netem: --rate '" + args.rate + "': expected a rate like 100mbit, 512kbit or 1gbit");
    spec.rate_bits_per_second = *r;
  }
  if (spec.empty())
    throw LabError(2, "netem: give --delay, --jitter, --loss or --rate, or --clear");
  return spec;
}

// The directory of a node that runs FRR (has a rendered frr.conf); exit 2 for an unknown
// node, or one without FRR, such as a client.
std::string frr_node_directory(Labs& labs, const std::string& lab_name, const std::string& node) {
  auto topology = labs.manager.topology(lab_name);
  if (!topology.find_node(node))
    throw LabError(2, "lab " + lab_name + " has no node '" + node + "'");
  std::string dir = lab::node_directory(labs.manager.lab_dir(lab_name), node);
  if (!std::filesystem::exists(dir + "/frr.conf"))
    throw LabError(2, "node " + node + " of lab " + lab_name + " runs no FRR");
  return dir;
}

// `link` and `netem` name a lab and two endpoints, "node" or "node:ifname".
void check_link_names(const std::string& lab_name, const std::string& a, const std::string& b) {
  lab::check_lab_name(lab_name);
  lab::check_endpoint(a);
  lab::check_endpoint(b);
}

// Ignoring signals in the parent would be inherited by the child across exec; a handler
// that does nothing is reset by exec instead, so the child still gets Ctrl-C.
void on_signal_while_waiting(int) {}

// While a child runs in the foreground, Ctrl-C and friends are the child's to act on; we
// only wait for its exit code.
void wait_through_signals() {
  struct sigaction action {};
  action.sa_handler = on_signal_while_waiting;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGQUIT, SIGTERM}) sigaction(sig, &action, nullptr);
}

}  // namespace

int run_graph(const GraphArgs& args) {
  auto topology = load_or_fail(args.topology, args.topology_flags);
  auto format = graph::format_from_string(args.format);
  if (!format)
    throw LabError(2, "graph: --format '" + args.format + "': expected dot, mermaid or d2");
  std::string text = graph::render_text(topology, *format);
  if (args.out.empty()) {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) throw LabError(3, "graph: could not write the graph to standard output");
  } else {
    files::write_file_atomically(args.out, text, "graph file");
  }
  return 0;
}

int run_validate(const ValidateArgs& args) {
  auto topology = load_or_fail(args.file, args.topology_flags);
  // The user's own FRR configs, through FRR's own dry run.
  auto plan = frr::plan_routing(topology);
  lab::check_user_configs(plan, *proc::make_process_runner());
  std::cout << fmt::format("{}: ok ({} nodes, {} links)\n", args.file, topology.nodes.size(),
                           topology.links.size());
  if (!args.script.empty()) {
    auto script = load_script_or_fail(args.script, topology);
    std::cout << fmt::format("{}: ok ({} steps, {} expectations)\n", args.script,
                             script.steps.size(), script.expect.size());
  }
  if (args.show_plan) print_plan(topology);
  return 0;
}

namespace {

// fb-2021.yaml and fb-2021.clab.yml both export to fb-2021.clab.yml.
std::string export_stem(const std::string& topology_path) {
  std::string name = std::filesystem::path(topology_path).filename().string();
  for (std::string_view suffix : {".clab.yml", ".clab.yaml", ".yaml", ".yml"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) {
      return name.substr(0, name.size() - suffix.size());
    }
  }
  return name;
}

}  // namespace

int run_export(const ExportArgs& args) {
  if (!args.name.empty()) lab::check_lab_name(args.name);
  auto topology = load_or_fail(args.topology, args.topology_flags);
  // The user's own FRR configs are read (and put through FRR's dry run) as for `up`.
  auto plan = frr::plan_routing(topology);
  lab::check_user_configs(plan, *proc::make_process_runner());
  clab_export::Options options{
      .lab_name = args.name, .file_stem = export_stem(args.topology), .source = args.topology};
  if (!args.frr_image.empty()) options.frr_image = args.frr_image;
  if (!args.node_image.empty()) options.node_image = args.node_image;
  auto result = clab_export::render_export(topology, plan, options);
  for (const auto& warning : result.warnings) std::cerr << "warning: " << warning << "\n";
  if (!result.exported) {
    std::cerr << model::format_diagnostics(result.errors) << "\n";
    throw LabError(2, fmt::format("{}: cannot be exported ({} error{})", args.topology,
                                  result.errors.size(), result.errors.size() == 1 ? "" : "s"));
  }
  try {
    clab_export::write_export(*result.exported, args.out, lab::agent_directory());
  } catch (const std::invalid_argument& e) {
    throw LabError(2, fmt::format("export to {}: {}", args.out, e.what()));
  } catch (const std::runtime_error& e) {
    throw LabError(3, fmt::format("export to {}: {}", args.out, e.what()));
  }
  const auto& exported = *result.exported;
  std::string image = options.node_image.substr(0, options.node_image.rfind(':'));
  std::cout << fmt::format(
      "exported {} ({} nodes, {} links) to {}/{}\n"
      "  docker build -t {} {}/image\n"
      "  containerlab deploy -t {}/{}\n"
      "  bash {}/netem.sh\n",
      args.topology, topology.nodes.size(), topology.links.size(), args.out, exported.topology_path,
      image, args.out, args.out, exported.topology_path, args.out);
  return 0;
}

int run_up(const UpArgs& args, const std::atomic<bool>* interrupted) {
  if (!args.name.empty()) lab::check_lab_name(args.name);
  auto topology = load_or_fail(args.topology, args.topology_flags);
  require_root("blastlab up");
  std::string name = args.name.empty() ? topology.name : args.name;
  if (name.empty()) throw LabError(2, "the topology has no `name`; give the lab one with --name");
  Labs labs;
  auto& manager = labs.manager;
  auto timeout = model::parse_duration(args.timeout);
  if (!timeout || timeout->count() <= 0)
    throw LabError(2, "up: --timeout '" + args.timeout + "': expected a duration like 60s");
  lab::UpOptions options{.wait = !args.no_wait,
                         .timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout),
                         .keep_on_failure = args.keep_on_failure,
                         .load = load_options(args.topology_flags)};
  if (!args.settle.empty()) {
    auto settle = model::parse_duration(args.settle);
    if (!settle || settle->count() < 0)
      throw LabError(2, "up: --settle '" + args.settle + "': expected a duration like 6s");
    options.settle = std::chrono::duration_cast<std::chrono::milliseconds>(*settle);
  }
  auto start = std::chrono::steady_clock::now();
  auto times = manager.up(topology, args.topology, name, options, interrupted);
  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto s = [](std::chrono::milliseconds ms) { return std::chrono::duration<double>(ms).count(); };
  if (options.wait) {
    // Read by bringup_bench: keep the phases' words.
    std::cout << fmt::format(
        "lab {} is up: {} nodes, {} links in {:.2f}s (converged {:.2f}s after its daemons "
        "started; built in {:.2f}s, daemons started in {:.2f}s)\n",
        name, topology.nodes.size(), topology.links.size(), elapsed, s(times.converge),
        s(times.build), s(times.start));
  } else {
    std::cout << fmt::format(
        "lab {} is up: {} nodes, {} links in {:.2f}s (not waiting for "
        "convergence)\n",
        name, topology.nodes.size(), topology.links.size(), elapsed);
  }
  std::cout << fmt::format(
      "  blastlab status {}\n  blastlab exec {} {} -- ip addr\n  blastlab down {}\n", name, name,
      topology.nodes.front().name, name);
  return 0;
}

int run_down(const DownArgs& args) {
  if (args.all == !args.lab.empty()) throw LabError(2, "down: give a lab name or --all, not both");
  if (!args.all) lab::check_lab_name(args.lab);
  require_root("blastlab down");
  Labs labs;
  auto& manager = labs.manager;
  std::vector<std::string> names = args.all ? manager.labs() : std::vector<std::string>{args.lab};
  int code = 0;
  for (const auto& name : names) {
    try {
      manager.down(name);
      std::cout << "lab " << name << " is down\n";
    } catch (const LabError& e) {
      if (!args.all) throw;
      std::cerr << "blastlab: " << e.what() << "\n";
      code = 3;
    }
  }
  if (args.all && names.empty()) std::cout << "no labs\n";
  return code;
}

int run_status(const StatusArgs& args) {
  if (!args.lab.empty()) lab::check_lab_name(args.lab);
  Labs labs;
  auto& manager = labs.manager;
  if (!args.lab.empty()) {
    auto s = manager.status(args.lab);
    if (args.json)
      std::cout << status_json(s).dump(2) << "\n";
    else
      print_status(s);
    return 0;
  }
  json all = json::array();
  if (!args.json)
    std::cout << fmt::format("{:<14}{:<14}{:<10}{}\n", "LAB", "STATE", "HEALTH", "TOPOLOGY");
  for (const auto& name : manager.labs()) {
    auto s = manager.status(name);
    if (args.json)
      all.push_back(status_json(s));
    else
      std::cout << fmt::format("{:<14}{:<14}{:<10}{}\n", s.name, s.state,
                               s.healthy() ? "healthy" : "DEGRADED", s.topology);
  }
  if (args.json) std::cout << all.dump(2) << "\n";
  return 0;
}

int run_exec(const ExecArgs& args) {
  lab::check_lab_name(args.lab);
  lab::check_node_name(args.node);
  require_root("blastlab exec");
  Labs labs;
  auto& manager = labs.manager;
  auto topology = manager.topology(args.lab);
  if (!topology.find_node(args.node))
    throw LabError(2, "lab " + args.lab + " has no node '" + args.node + "'");
  // In a drill, what the trainee runs is a marker on the report's timeline.
  drill::record_change(manager, args.lab,
                       fmt::format("exec on {}: {}", args.node, fmt::join(args.command, " ")));
  wait_through_signals();
  auto child =
      labs.runner->start({.argv = args.command, .netns = lab::namespace_name(args.lab, args.node)});
  return child->wait();
}

int run_link(const LinkArgs& args) {
  check_link_names(args.lab, args.a, args.b);
  require_root("blastlab link");
  Labs labs;
  auto& manager = labs.manager;
  manager.set_link(args.lab, args.a, args.b, args.state == "up");
  drill::record_change(manager, args.lab,
                       fmt::format("link {} - {} {}", args.a, args.b, args.state));
  std::cout << fmt::format("{} - {}: {}\n", args.a, args.b, args.state);
  return 0;
}

int run_config(const ConfigArgs& args) {
  lab::check_lab_name(args.lab);
  lab::check_node_name(args.node);
  Labs labs;
  std::string node_dir = frr_node_directory(labs, args.lab, args.node);
  std::ifstream in(node_dir + "/frr.conf");
  std::stringstream text;
  text << in.rdbuf();
  // A user router: say what the lab adds to the config and what it leaves out.
  if (std::filesystem::exists(node_dir + "/" + frr::kLabConfigFile)) {
    auto plan = labs.manager.routing_plan(args.lab);
    auto topology = labs.manager.topology(args.lab);
    const auto* node = topology.find_node(args.node);
    if (const auto* router = plan.find(args.node); router && router->user && node && node->frr) {
      std::cout << frr::describe_lab_changes(text.str(), node->frr->config, args.node, node_dir,
                                             frr::pathspace(args.lab, args.node), router->daemons);
    }
  }
  std::cout << text.str();
  return 0;
}

int run_vtysh(const VtyshArgs& args) {
  lab::check_lab_name(args.lab);
  lab::check_node_name(args.node);
  require_root("blastlab vtysh");
  Labs labs;
  frr_node_directory(labs, args.lab, args.node);
  frr::Vtysh vtysh(*labs.runner, labs.manager.lab_dir(args.lab));
  std::string pathspace = frr::pathspace(args.lab, args.node);
  // In a drill, what a session changed in the node's configuration is a marker on the
  // report's timeline, however it was typed.
  bool drill = drill::drill_running(labs.manager, args.lab);
  auto running = [&] {
    auto result = vtysh.run(pathspace, {"show running-config"});
    return result.exit_code == 0 ? result.out : std::string();
  };
  std::string before = drill ? running() : "";
  wait_through_signals();
  auto child = labs.runner->start({.argv = vtysh.argv(pathspace, args.commands)});
  int code = child->wait();
  if (drill) {
    std::string change = drill::config_change_text(args.node, before, running());
    if (!change.empty()) drill::record_change(labs.manager, args.lab, change);
  }
  return code;
}

int run_netem(const NetemArgs& args) {
  check_link_names(args.lab, args.a, args.b);
  auto spec = parse_netem_flags(args);
  require_root("blastlab netem");
  Labs labs;
  auto& manager = labs.manager;
  manager.set_netem(args.lab, args.a, args.b, spec);
  drill::record_change(manager, args.lab,
                       fmt::format("netem {} - {}: {}", args.a, args.b, netem_text(spec)));
  std::cout << fmt::format("{} - {}: {}\n", args.a, args.b, netem_text(spec));
  return 0;
}

namespace {

// What the capture's bounds are, for the line that says what it is about to do.
std::string bounds_text(const capture::CaptureLimits& limits) {
  std::string text;
  if (limits.duration)
    text = fmt::format("for {:g}s", std::chrono::duration<double>(*limits.duration).count());
  if (limits.max_packets) {
    text += fmt::format("{}{} packet{}", text.empty() ? "until " : " or until ", limits.max_packets,
                        limits.max_packets == 1 ? "" : "s");
  }
  return text;
}

}  // namespace

int run_capture(const CaptureArgs& args, const std::atomic<bool>* interrupted) {
  lab::check_lab_name(args.lab);
  lab::check_endpoint(args.target);
  auto [node, ifname] = lab::split_endpoint(args.target);
  if (ifname.empty() && args.target.find(':') != std::string::npos)
    throw LabError(2, "capture: '" + args.target +
                          "': name an interface after ':', or leave "
                          "out ':' for every interface");
  std::string error;
  auto settings = capture::check_capture_flags(
      {.ifname = ifname, .count = args.count, .duration = args.duration, .snaplen = args.snaplen},
      error);
  if (!settings) throw LabError(2, error);
  bool to_stdout = args.out == "-";
  if (to_stdout && ::isatty(STDOUT_FILENO))
    throw LabError(2,
                   "capture: -w -: standard output is a terminal; pipe it (| tcpdump -n -r -) "
                   "or give a file");
  require_root("blastlab capture");
  Labs labs;
  auto topology = labs.manager.topology(args.lab);
  if (!topology.find_node(node))
    throw LabError(2, "lab " + args.lab + " has no node '" + node + "'");
  netns::Status status;
  auto socket = capture::PacketSocket::open(lab::namespace_name(args.lab, node), settings->ifname,
                                            settings->snaplen, status);
  if (!socket) throw LabError(status.errno_code() == ENODEV ? 2 : 3, status.message());
  // Only now, with every name checked, is a file made.
  std::optional<files::AtomicFile> file;
  if (!to_stdout) file.emplace(args.out, "capture");
  capture::PcapWriter writer(to_stdout ? STDOUT_FILENO : file->fd(), settings->snaplen,
                             socket->link_type());
  std::string where =
      settings->ifname.empty()
          ? fmt::format("every interface of {} (Linux cooked headers)", node)
          : fmt::format(
                "{}:{} ({} frames)", node, settings->ifname,
                socket->link_type() == capture::LinkType::kEthernet ? "Ethernet" : "Linux cooked");
  std::string into = to_stdout ? "standard output" : args.out;
  std::cerr << fmt::format("capturing on {} in lab {} {} into {}; Ctrl-C stops\n", where, args.lab,
                           bounds_text(settings->limits), into);
  auto result = capture::run_capture(*socket, writer, settings->limits, interrupted);
  // A failure to read still leaves a valid file of what came before; a failure to write
  // does not, and the file is left out.
  if (file && result.file_complete) file->commit();
  std::string summary =
      fmt::format("{} packet{} in {:.2f}s into {}", result.packets, result.packets == 1 ? "" : "s",
                  std::chrono::duration<double>(result.elapsed).count(), into);
  if (auto dropped = socket->dropped())
    summary += fmt::format(" ({} dropped by the kernel: the file could not keep up)", dropped);
  if (result.stopped == capture::StopReason::kFailed) {
    // The reader of a pipe (tcpdump -c N -r -) is done with it: a normal end.
    if (to_stdout && result.status.errno_code() == EPIPE) {
      std::cerr << summary << "; the reader closed the pipe\n";
      return 0;
    }
    throw LabError(3,
                   result.status.message() + (result.file_complete ? "; captured " + summary : ""));
  }
  std::cerr << summary << "\n";
  return 0;
}

int run_run(const RunArgs& args, const std::atomic<bool>* interrupted,
            const std::atomic<bool>* aborted) {
  if (!args.name.empty()) lab::check_lab_name(args.name);
  // Both files are checked completely before anything is built.
  auto topology = load_or_fail(args.topology, args.topology_flags);
  auto script = load_script_or_fail(args.script, topology);
  auto timeout = model::parse_duration(args.timeout);
  if (!timeout || timeout->count() <= 0)
    throw LabError(2, "run: --timeout '" + args.timeout + "': expected a duration like 60s");
  require_root("blastlab run");
  experiment::RunOptions options;
  options.topology_path = args.topology;
  options.load = load_options(args.topology_flags);
  options.script_path = args.script;
  options.lab_name = args.name.empty() ? topology.name : args.name;
  if (options.lab_name.empty())
    throw LabError(2, "the topology has no `name`; give the lab one with --name");
  options.out_dir = args.out.empty() ? default_out(script.name) : args.out;
  options.keep = args.keep;
  options.aborted = aborted;
  options.up_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  ProgressLine progress(::isatty(STDERR_FILENO) != 0);
  options.observer = &progress;
  Labs labs;
  if (labs.manager.exists(options.lab_name))
    throw LabError(2, fmt::format("a lab named {0} is already up; remove it (blastlab down {0}) "
                                  "or give this run another --name",
                                  options.lab_name));
  auto result = experiment::run_experiment(topology, script, options, labs.manager, *labs.netlink,
                                           *labs.runner, interrupted);
  std::cout << report::report_text(result.report, ::isatty(STDOUT_FILENO) != 0);
  std::cout << fmt::format("\nreport: {}\n        {}\n        {}\nevents: {}\n", result.files.text,
                           result.files.html, result.files.json, result.report.events_path);
  return result.exit_code();
}

int run_gate(const GateArgs& args, const std::atomic<bool>* interrupted,
             const std::atomic<bool>* aborted) {
  if (!args.name.empty()) lab::check_lab_name(args.name);
  auto timeout = model::parse_duration(args.timeout);
  if (!timeout || timeout->count() <= 0)
    throw LabError(2, "gate: --timeout '" + args.timeout + "': expected a duration like 60s");
  // The topology first, for its warnings; then everything else, before anything is built.
  auto topology = load_or_fail(args.topology, args.topology_flags);
  gate::GateOptions options;
  options.topology_path = args.topology;
  options.load = load_options(args.topology_flags);
  options.candidate_path = args.candidate;
  options.policy_path = args.policy;
  options.out_dir = args.out.empty() ? default_out("gate") : args.out;
  options.lab_name = args.name.empty() ? topology.name : args.name;
  if (options.lab_name.empty())
    throw LabError(2, "the topology has no `name`; give the lab one with --name");
  options.predict_only = args.predict_only;
  options.keep = args.keep;
  options.aborted = aborted;
  options.up_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  Labs labs;
  auto plan = gate::prepare_gate(options, *labs.runner);
  if (!args.predict_only) {
    require_root("blastlab gate");
    if (labs.manager.exists(options.lab_name))
      throw LabError(2, fmt::format("a lab named {0} is already up; remove it (blastlab down {0}) "
                                    "or give this gate another --name",
                                    options.lab_name));
  }
  ProgressLine progress(::isatty(STDERR_FILENO) != 0);
  options.observer = &progress;
  auto result =
      gate::run_gate(plan, options, labs.manager, *labs.netlink, *labs.runner, interrupted);
  std::cout << gate::gate_summary_markdown(result);
  const char* actions = std::getenv("GITHUB_ACTIONS");
  if (actions && std::string(actions) == "true") std::cout << gate::gate_annotations(result);
  std::cout << fmt::format(
      "\ngate: {0}/summary.md\n      {0}/junit.xml\n      {0}/annotations.txt\n", options.out_dir);
  if (result.lab_ran) std::cout << fmt::format("report: {}/report.html\n", options.out_dir);
  return result.exit_code();
}

int run_compare(const CompareArgs& args, const std::atomic<bool>* interrupted,
                const std::atomic<bool>* aborted) {
  if (!args.name.empty()) lab::check_lab_name(args.name);
  auto timeout = model::parse_duration(args.timeout);
  if (!timeout || timeout->count() <= 0)
    throw LabError(2, "compare: --timeout '" + args.timeout + "': expected a duration like 60s");
  // The directory name needs the comparison's name, which needs the file: read it once for
  // the name when no --out is given, then build every variant against the real directory.
  std::string out = args.out;
  auto flags = load_options(args.topology_flags);
  if (out.empty()) {
    auto first = experiment::load_variants_file(args.variants, "runs", args.only, flags);
    if (!first.set) throw LabError(2, model::format_diagnostics(first.errors));
    out = default_out(first.set->name);
  }
  auto loaded = experiment::load_variants_file(args.variants, out, args.only, flags);
  if (!loaded.set) throw LabError(2, model::format_diagnostics(loaded.errors));
  const auto& set = *loaded.set;
  // Variants differ in values, not in what the lab cannot reproduce: each warning once.
  std::vector<model::Diagnostic> warnings;
  for (const auto& variant : set.variants) {
    for (const auto& w : variant.topology_warnings) {
      bool seen = std::any_of(warnings.begin(), warnings.end(),
                              [&](const model::Diagnostic& d) { return d.str() == w.str(); });
      if (!seen) warnings.push_back(w);
    }
  }
  print_warnings(warnings);
  require_root("blastlab compare");
  experiment::CompareOptions options;
  options.out_dir = out;
  options.aborted = aborted;
  options.lab_name = args.name.empty() ? set.variants.front().topology.name : args.name;
  if (options.lab_name.empty())
    throw LabError(2, "the topology has no `name`; give the lab one with --name");
  options.up_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*timeout);
  ProgressLine progress(::isatty(STDERR_FILENO) != 0);
  options.observer = &progress;
  Labs labs;
  if (labs.manager.exists(options.lab_name))
    throw LabError(2, fmt::format("a lab named {0} is already up; remove it (blastlab down {0}) "
                                  "or give this comparison another --name",
                                  options.lab_name));
  auto result = experiment::run_comparison(set, options, labs.manager, *labs.netlink, *labs.runner,
                                           interrupted);
  bool color = ::isatty(STDOUT_FILENO) != 0;
  if (result.reference_ran) {
    std::cout << fmt::format("\n{} (the reference, variant {})\n", set.name,
                             set.variants.front().name);
    std::cout << report::report_text(result.reference, color);
  }
  std::cout << "\n" << report::comparison_text(result.comparison);
  std::cout << fmt::format(
      "\ncomparison: {0}/compare.txt\n            {0}/compare.html\n            "
      "{0}/compare.json\nreference:  {0}/{1}/report.html\n",
      out, set.variants.front().name);
  return result.exit_code();
}

}  // namespace blastlab::cli
