// blastlab: the command line over the controller's libraries. It parses flags, calls the
// library, prints, and maps errors to exit codes: 0 success, 1 expectations violated,
// 2 bad input (a file, a flag), 3 environment or runtime failure. It is the only place that
// prints fatal errors.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <filesystem>
#include <iostream>

#include "controller/cli/commands.hpp"
#include "controller/lab/lab.hpp"

namespace {

std::atomic<bool> g_interrupted{false};
std::atomic<bool> g_aborted{false};  // a second signal: skip even the rollbacks

void on_signal(int) {
  if (g_interrupted.exchange(true)) g_aborted.store(true);
}

// Ctrl-C, kill and a closed terminal all end `up` the same way: it stops at the next step
// and removes what it built.
void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
  // A closed pipe on the output (`blastlab run ... | head`) must not kill the controller
  // mid-run, with a lab up: writes then fail with EPIPE, which the streams absorb.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, nullptr);
}

void add_topology_flags(CLI::App* command, blastlab::cli::TopologyFlags& flags) {
  command->add_flag("--trust-exec", flags.trust_exec,
                    "run exec lines that are not ip address/link/route commands with /bin/sh "
                    "-c in their node's namespace (trusts the topology file)");
  command->add_option("--overlay", flags.overlay,
                      "YAML giving nodes measurement roles and tags: nodes: {NAME: {role: "
                      "peer, tags: [..]}}");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace blastlab::cli;
  CLI::App app{"blastlab: measure the blast radius of router configuration changes", "blastlab"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "blastlab 0.1.0");
  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "log debug detail to stderr");

  ValidateArgs validate_args;
  auto* validate =
      app.add_subcommand("validate", "check a topology file; exit 2 naming each error");
  validate->add_option("file", validate_args.file, "topology YAML or containerlab *.clab.yml")
      ->required();
  validate->add_option("script", validate_args.script, "a change script to check against it");
  validate->add_flag("--plan", validate_args.show_plan,
                     "print the planned names, ASNs and addresses");
  add_topology_flags(validate, validate_args.topology_flags);

  GraphArgs graph_args;
  auto* graph = app.add_subcommand(
      "graph", "print the lab's graph (nodes by role, links with interfaces and impairments)");
  graph->add_option("topology", graph_args.topology, "topology YAML or containerlab *.clab.yml")
      ->required();
  graph->add_option("--format", graph_args.format, "dot (Graphviz), mermaid or d2 (default dot)")
      ->check(CLI::IsMember({"dot", "mermaid", "d2"}));
  graph->add_option("--out", graph_args.out, "write the graph to this file (default: stdout)");
  add_topology_flags(graph, graph_args.topology_flags);

  ExportArgs export_args;
  auto* export_command = app.add_subcommand("export", "write a lab for another tool to run");
  export_command->require_subcommand(1);
  auto* export_clab = export_command->add_subcommand(
      "clab",
      "write the lab as a containerlab topology (and the blastlab node image's build files, "
      "its nodes' files, netem.sh) into --out; no lab needs to be up");
  export_clab
      ->add_option("topology", export_args.topology, "topology YAML or containerlab *.clab.yml")
      ->required();
  export_clab->add_option("--out", export_args.out, "a directory that does not exist or is empty")
      ->required();
  export_clab->add_option("--name", export_args.name,
                          "the containerlab lab's name (default: the topology's)");
  export_clab->add_option("--frr-image", export_args.frr_image,
                          "FRR's image for the nodes that run only FRR (default "
                          "quay.io/frrouting/frr:8.4.4)");
  export_clab->add_option("--node-image", export_args.node_image,
                          "the blastlab node image as the nodes name it (default "
                          "blastlab-node:latest; a registry's for clabernetes)");
  add_topology_flags(export_clab, export_args.topology_flags);

  UpArgs up_args;
  auto* up = app.add_subcommand("up", "build a lab from a topology");
  up->add_option("topology", up_args.topology, "topology YAML or containerlab *.clab.yml")
      ->required();
  up->add_option("--name", up_args.name, "lab name (default: the topology's name)");
  up->add_option("--timeout", up_args.timeout,
                 "how long to wait for convergence before giving up (default 60s)");
  up->add_option("--settle", up_args.settle,
                 "with the user's own routers: how long every node's routes must hold still "
                 "(default 2s)");
  up->add_flag("--no-wait", up_args.no_wait, "return once the daemons are started");
  up->add_flag("--keep-on-failure", up_args.keep_on_failure,
               "leave a lab that did not converge up, for inspection");
  add_topology_flags(up, up_args.topology_flags);

  RunArgs run_args;
  auto* run = app.add_subcommand(
      "run",
      "run a change script on a fresh lab and report its blast radius; exit 1 when an "
      "expectation fails");
  run->add_option("topology", run_args.topology, "topology YAML or containerlab *.clab.yml")
      ->required();
  run->add_option("script", run_args.script, "change script YAML")->required();
  run->add_option("--out", run_args.out, "report directory (default runs/SCRIPT-DATE-TIME)");
  run->add_option("--name", run_args.name, "lab name (default: the topology's name)");
  run->add_option("--timeout", run_args.timeout, "how long to wait for convergence (default 60s)");
  run->add_flag("--keep", run_args.keep, "leave the lab up afterwards, for inspection");
  add_topology_flags(run, run_args.topology_flags);

  CompareArgs compare_args;
  auto* compare = app.add_subcommand(
      "compare",
      "run the what-if variants of an experiment one after the other and compare them side by "
      "side; exit 1 when a variant's expectation fails");
  compare->add_option("variants", compare_args.variants, "variants YAML")->required();
  compare->add_option("--out", compare_args.out,
                      "comparison directory, a subdirectory per variant (default "
                      "runs/NAME-DATE-TIME)");
  compare->add_option("--only", compare_args.only, "run only these variants (by name)")
      ->delimiter(',');
  compare->add_option("--name", compare_args.name, "lab name (default: the topology's name)");
  compare->add_option("--timeout", compare_args.timeout,
                      "how long to wait for each lab's convergence (default 60s)");
  add_topology_flags(compare, compare_args.topology_flags);

  GateArgs gate_args;
  auto* gate = app.add_subcommand(
      "gate",
      "judge a candidate router change in the lab before it ships: exit 0 pass, 1 blocked, 2 "
      "bad input, 3 the lab failed; writes junit.xml, summary.md and annotations.txt");
  gate->add_option("topology", gate_args.topology, "topology YAML or containerlab *.clab.yml")
      ->required();
  gate->add_option("--candidate", gate_args.candidate,
                   "a directory of router configs (NODE.conf or NODE/frr.conf), or a YAML file "
                   "of vtysh configuration snippets per router")
      ->required();
  gate->add_option("--policy", gate_args.policy,
                   "policy YAML of invariants and timings (default: no regression against the "
                   "baseline)");
  gate->add_option("--out", gate_args.out, "output directory (default runs/gate-DATE-TIME)");
  gate->add_option("--name", gate_args.name, "lab name (default: the topology's name)");
  gate->add_option("--timeout", gate_args.timeout,
                   "how long to wait for convergence (default 60s)");
  gate->add_flag("--predict-only", gate_args.predict_only,
                 "judge the predicted blast radius only, without a lab (milliseconds)");
  gate->add_flag("--keep", gate_args.keep, "leave the lab up afterwards, for inspection");
  add_topology_flags(gate, gate_args.topology_flags);

  DownArgs down_args;
  auto* down = app.add_subcommand("down", "remove a lab, or every lab");
  down->add_option("lab", down_args.lab, "lab name");
  down->add_flag("--all", down_args.all, "remove every lab recorded on this host");

  StatusArgs status_args;
  auto* status = app.add_subcommand("status", "show labs, or one lab's nodes and links");
  status->add_option("lab", status_args.lab, "lab name");
  status->add_flag("--json", status_args.json, "print JSON");

  ExecArgs exec_args;
  auto* exec = app.add_subcommand("exec", "run a command inside a node's namespace");
  exec->add_option("lab", exec_args.lab, "lab name")->required();
  exec->add_option("node", exec_args.node, "node name")->required();
  exec->add_option("command", exec_args.command, "the command, after --")->required();

  ConfigArgs config_args;
  auto* config = app.add_subcommand("config", "print a node's rendered FRR configuration");
  config->add_option("lab", config_args.lab, "lab name")->required();
  config->add_option("node", config_args.node, "node name")->required();

  VtyshArgs vtysh_args;
  auto* vtysh = app.add_subcommand("vtysh", "FRR's shell on a node: interactive, or -c commands");
  vtysh->add_option("lab", vtysh_args.lab, "lab name")->required();
  vtysh->add_option("node", vtysh_args.node, "node name")->required();
  vtysh->add_option("-c,--command", vtysh_args.commands, "a command; repeat for several")
      ->take_all();

  CaptureArgs capture_args;
  auto* capture = app.add_subcommand(
      "capture",
      "write a node's packets to a pcap file (tcpdump, Wireshark), captured inside its "
      "namespace; stops after --duration (default 10s) or -c packets");
  capture->add_option("lab", capture_args.lab, "lab name")->required();
  capture
      ->add_option("node", capture_args.target,
                   "node (every interface, Linux cooked headers) or node:interface "
                   "(Ethernet frames)")
      ->required();
  capture->add_option("-w,--write", capture_args.out, "the pcap file, or - for standard output")
      ->required();
  capture->add_option("-c,--count", capture_args.count, "stop after this many packets");
  capture->add_option("--duration", capture_args.duration,
                      "stop after this long, e.g. 30s (default 10s when -c is not given)");
  capture->add_option("-s,--snaplen", capture_args.snaplen,
                      "bytes kept of each packet (default 262144)");

  DrillArgs drill_args;
  auto* drill = app.add_subcommand(
      "drill", "incident drills: start a broken lab, diagnose, check, end with a score");
  drill->require_subcommand(1);
  auto drill_action = [&](const char* action, const char* help) {
    auto* sub = drill->add_subcommand(action, help);
    sub->callback([&drill_args, action] { drill_args.action = action; });
    sub->add_option("--name", drill_args.name,
                    std::string(action) == "start"
                        ? "lab name (default: the drill's name)"
                        : "the drill's lab (default: the one lab running a drill)");
    return sub;
  };
  auto* drill_start = drill_action("start", "bring the drill's lab up, put the fault in, brief");
  drill_start->add_option("drill", drill_args.drill, "the drill file (drills/*.yaml)")->required();
  drill_start->add_option("--seed", drill_args.seed,
                          "picks the fault among the drill's; the same seed replays the drill");
  drill_start->add_option("--timeout", drill_args.timeout,
                          "how long the lab may take to converge (default 120s)");
  drill_action("status", "what users see now: DNS, prefixes, sites, elapsed time");
  drill_action("hint", "the next hint (it costs points)");
  drill_action("check", "is the network restored? exit 0 yes, 1 no (naming what remains)");
  auto* drill_end = drill_action("end", "stop the clock, score, write the drill report");
  drill_end->add_option("--out", drill_args.out,
                        "report directory (default runs/drill-LAB-DATE-TIME)");
  drill_end->add_flag("--keep", drill_args.keep, "leave the lab up afterwards");
  drill_action("reveal", "for the instructor: the fault that was put in");

  LinkArgs link_args;
  auto* link = app.add_subcommand("link", "set the links between two nodes up or down");
  link->add_option("lab", link_args.lab, "lab name")->required();
  link->add_option("a", link_args.a, "node, or node:interface")->required();
  link->add_option("b", link_args.b, "node, or node:interface")->required();
  link->add_option("state", link_args.state, "up or down")
      ->required()
      ->check(CLI::IsMember({"up", "down"}));

  NetemArgs netem_args;
  auto* netem = app.add_subcommand("netem", "impair the links between two nodes (both directions)");
  netem->add_option("lab", netem_args.lab, "lab name")->required();
  netem->add_option("a", netem_args.a, "node, or node:interface")->required();
  netem->add_option("b", netem_args.b, "node, or node:interface")->required();
  netem->add_option("--delay", netem_args.delay, "one-way delay, e.g. 10ms");
  netem->add_option("--jitter", netem_args.jitter, "delay variation, e.g. 2ms");
  netem->add_option("--loss", netem_args.loss, "loss, e.g. 1% or 0.5");
  netem->add_option("--rate", netem_args.rate, "rate limit, e.g. 100mbit");
  netem->add_flag("--clear", netem_args.clear, "remove every impairment");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "blastlab: " << e.what() << "\n"
              << "run `blastlab --help` for usage\n";
    return 2;
  }

  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_pattern("%^%l%$ %n: %v");
  try {
    if (*validate) return run_validate(validate_args);
    if (*graph) return run_graph(graph_args);
    if (*export_command) return run_export(export_args);
    if (*up) {
      install_interrupt_handlers();
      return run_up(up_args, &g_interrupted);
    }
    if (*run) {
      install_interrupt_handlers();
      return run_run(run_args, &g_interrupted, &g_aborted);
    }
    if (*gate) {
      install_interrupt_handlers();
      return run_gate(gate_args, &g_interrupted, &g_aborted);
    }
    if (*compare) {
      install_interrupt_handlers();
      return run_compare(compare_args, &g_interrupted, &g_aborted);
    }
    if (*capture) {
      install_interrupt_handlers();
      return run_capture(capture_args, &g_interrupted);
    }
    if (*drill) {
      if (drill_args.action == "start") install_interrupt_handlers();
      return run_drill(drill_args, &g_interrupted);
    }
    if (*down) return run_down(down_args);
    if (*status) return run_status(status_args);
    if (*exec) return run_exec(exec_args);
    if (*link) return run_link(link_args);
    if (*netem) return run_netem(netem_args);
    if (*config) return run_config(config_args);
    if (*vtysh) return run_vtysh(vtysh_args);
  } catch (const blastlab::lab::LabError& e) {
    std::cerr << "blastlab: " << e.what() << "\n";
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cerr << "blastlab: " << e.what() << "\n";
    return 3;
  }
  return 0;
}
