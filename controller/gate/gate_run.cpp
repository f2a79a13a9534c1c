#include "controller/gate/gate_run.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "controller/files/safe_write.hpp"
#include "controller/frr/user_config.hpp"
#include "controller/lab/lab.hpp"
#include "controller/measure/events.hpp"
#include "controller/report/report.hpp"

namespace blastlab::gate {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

double seconds_since(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

std::string millis(Millis d) {
  return fmt::format("{}ms", d.count());
}

// A YAML double-quoted string: JSON's escaping is valid YAML.
std::string quoted(const std::string& text) {
  return nlohmann::json(text).dump();
}

bool is_host(const model::Node& node) {
  return node.role == model::Role::kHost;
}

// A scratch directory for FRR's dry run, removed when it goes.
class Scratch {
 public:
  Scratch() {
    path_ = (fs::temp_directory_path() / "blastlab-gate-XXXXXX").string();
    if (::mkdtemp(path_.data()) == nullptr) {
      throw lab::LabError(3, "create a directory for FRR's dry run in " +
                                 fs::temp_directory_path().string() + ": " + std::strerror(errno));
    }
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void fail_on(const std::vector<model::Diagnostic>& errors) {
  if (!errors.empty()) throw lab::LabError(2, model::format_diagnostics(errors));
}

std::string step_name(const RouterChange& change) {
  return "change-" + change.node;
}

// The events of the baseline only, ended where the change began: the run as it would have
// been had the change never come.
std::optional<measure::Scalars> baseline_scalars(const GatePlan& gate, const std::string& lab_name,
                                                 const report::Report& report) {
  if (!report.metrics.change_s) return std::nullopt;
  auto file = measure::read_event_file(report.events_path);
  std::optional<int64_t> start_ts;
  for (const auto& e : file.events) {
    if (e.event == "run" && e.data.value("phase", "") == "start") {
      start_ts = e.ts;
      break;
    }
  }
  if (!start_ts) return std::nullopt;
  const int64_t change_ts = *start_ts + int64_t(*report.metrics.change_s * 1e6);
  std::vector<measure::Event> before;
  for (const auto& e : file.events) {
    if (e.ts >= change_ts) continue;
    if (e.event == "run" && e.data.value("phase", "") == "end") continue;
    before.push_back(e);
  }
  measure::Event end{.ts = change_ts,
                     .agent = "controller",
                     .node = "",
                     .event = "run",
                     .data = {{"ts", change_ts},
                              {"agent", "controller"},
                              {"event", "run"},
                              {"phase", "end"},
                              {"cut_short", false}}};
  before.push_back(end);
  auto context = experiment::run_context(gate.topology, gate.script, lab_name);
  return measure::scalar_metrics(measure::compute_metrics(context, before));
}

// The candidate lines behind the prediction's root effects (links and sessions it takes
// down); the changed files when the prediction names none.
std::vector<SourceLine> blame_of(const GateResult& result) {
  std::vector<SourceLine> lines;
  auto add = [&](const SourceLine& line) {
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) lines.push_back(line);
  };
  for (const auto& link : result.prediction.links_down)
    for (const auto& line : link.cause.lines) add(line);
  for (const auto& session : result.prediction.sessions_down)
    for (const auto& line : session.cause.lines) add(line);
  if (lines.empty()) {
    for (const auto& change : result.changes)
      if (!change.sources.empty()) add({change.sources.front().file, 0});
  }
  return lines;
}

void blame_failures(GateResult& result, std::vector<InvariantResult>& invariants) {
  auto blame = blame_of(result);
  for (auto& invariant : invariants)
    if (!invariant.passed) invariant.blame = blame;
}

// The run's report with the policy's invariants as its expectations, so that report.json,
// report.txt and report.html give the gate's verdict too.
void judge_report(report::Report& report, const std::vector<InvariantResult>& invariants) {
  report.expectations.clear();
  for (const auto& r : invariants) {
    report::ExpectationResult e;
    e.text = r.invariant.text;
    e.where = r.invariant.file.empty()
                  ? "default policy"
                  : fmt::format("{}:{}:{}", r.invariant.file, r.invariant.mark.line,
                                r.invariant.mark.column);
    e.metric = r.invariant.metric;
    e.op = r.invariant.op;
    e.threshold = r.limit.value_or(0);
    e.value = r.measured;
    e.missing = r.missing;
    e.passed = r.passed;
    report.expectations.push_back(std::move(e));
  }
}

void add_phase(GateResult& result, const std::string& name, double seconds) {
  result.phases.push_back({name, seconds});
}

// The lab's phases from the run: its steps' own times.
void run_phases(GateResult& result, const experiment::RunResult& run) {
  add_phase(result, "up", run.up_s);
  const auto& m = run.report.metrics;
  double change_end = 0, rollback_start = 0, rollback_end = 0, recover_end = 0;
  bool any_rollback = false;
  for (const auto& step : m.steps) {
    double end = step.end_s.value_or(step.start_s);
    if (step.kind == "vtysh") change_end = std::max(change_end, end);
    if (step.kind == "rollback") {
      if (!any_rollback) rollback_start = step.start_s;
      any_rollback = true;
      rollback_end = std::max(rollback_end, end);
    }
    if (step.kind == "wait") recover_end = std::max(recover_end, end);
  }
  double change_start = m.change_s.value_or(0);
  add_phase(result, "baseline", change_start);
  add_phase(result, "change", std::max(0.0, change_end - change_start));
  add_phase(result, "observe", any_rollback ? std::max(0.0, rollback_start - change_end) : 0);
  add_phase(result, "rollback", std::max(0.0, rollback_end - rollback_start));
  add_phase(result, "recover", std::max(0.0, recover_end - rollback_end));
  double accounted = recover_end;
  add_phase(result, "probes and report", std::max(0.0, run.run_s - accounted));
  add_phase(result, "down", run.down_s);
}

// Whether the change takes the session down on purpose: it shuts or removes the neighbor,
// or removes BGP. A wrong remote-as, a link or the IGP taking it down is no purpose.
bool removed_by_change(const PredictedSession& s) {
  return (s.why.starts_with("neighbor ") && (s.why.find(" shut on ") != std::string::npos ||
                                             s.why.find(" removed on ") != std::string::npos)) ||
         s.why.starts_with("router bgp removed");
}

// The sessions the prediction takes down that the change does not shut or remove itself.
double predicted_unplanned(const BlastPrediction& prediction) {
  return double(std::count_if(prediction.sessions_down.begin(), prediction.sessions_down.end(),
                              [](const PredictedSession& s) { return !removed_by_change(s); }));
}

// Each whole-config candidate against its router's running config right after the change
// (the step's `config` event).
std::vector<NotRunning> candidate_lines_not_running(const GatePlan& gate,
                                                    const std::string& events_path) {
  std::map<std::string, std::string> after;  // node -> running config after its step
  for (const auto& e : measure::read_event_file(events_path).events) {
    if (e.event != "config" || e.data.value("when", "") != "after") continue;
    after[e.data.value("node", "")] = e.data.value("text", "");
  }
  auto current = current_configs(gate.topology, gate.plan);
  std::vector<NotRunning> missing;
  for (const auto& router : gate.candidate.routers) {
    auto it = after.find(router.node);
    if (it == after.end()) continue;  // not changed, or its step failed (reported as such)
    for (auto& line : lines_not_running(router, current, it->second))
      missing.push_back(std::move(line));
  }
  return missing;
}

}  // namespace

std::map<std::string, double> gate_predicted_scalars(const BlastPrediction& prediction) {
  auto predicted = predicted_scalars(prediction);
  if (predicted.contains("bgp.sessions_down"))
    predicted["bgp.unplanned_sessions_down"] = predicted_unplanned(prediction);
  return predicted;
}

std::string gate_script_text(const model::Topology& topology,
                             const std::vector<RouterChange>& changes, const Policy& policy,
                             const std::string& candidate_path) {
  std::string out = fmt::format(
      "# The change script of `blastlab gate`: the candidate {} applied to {},\n"
      "# observed, rolled back. Rerun it with: blastlab run {} THIS-FILE\n"
      "name: gate\n"
      "description: {}\n",
      candidate_path, topology.file, topology.file,
      quoted("the candidate " + candidate_path + ", router by router, then rolled back"));
  std::vector<std::string> hosts;
  for (const auto& node : topology.nodes)
    if (is_host(node)) hosts.push_back(node.name);
  if (hosts.size() >= 2) {
    std::string list = fmt::format("[{}]", fmt::join(hosts, ", "));
    out += fmt::format(
        "probes:\n  reach:\n    - {{from: {0}, to: {0}, proto: icmp, rate: 10/s, timeout: "
        "300ms}}\n",
        list);
  }
  out += fmt::format("baseline: {}\nobserve: 1s\nsteps:\n", millis(policy.baseline));
  for (const auto& change : changes) {
    out += fmt::format("  - name: {}\n    vtysh:\n      on: {}\n      config:\n", step_name(change),
                       change.node);
    for (const auto& command : change.commands) out += "        - " + quoted(command) + "\n";
  }
  bool first = true;
  for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
    out += first ? fmt::format("  - after: {}\n    rollback: {}\n", millis(policy.observe),
                               step_name(*it))
                 : fmt::format("  - rollback: {}\n", step_name(*it));
    first = false;
  }
  out += fmt::format("  - wait: {{until: converged, timeout: {}}}\n", millis(policy.recovery));
  bool clients = std::any_of(topology.nodes.begin(), topology.nodes.end(),
                             [](const auto& n) { return n.role == model::Role::kClient; });
  if (clients && topology.services.dns) {
    out += fmt::format("  - wait: {{until: dns-answering, queries: 3, timeout: {}}}\n",
                       millis(policy.recovery));
  }
  return out;
}

LabMeasures lab_measures(const model::Topology& topology, const frr::RoutingPlan& plan,
                         const scenario::Script& script) {
  LabMeasures m;
  bool has_dns_hosts = std::any_of(topology.nodes.begin(), topology.nodes.end(),
                                   [](const auto& n) { return n.role == model::Role::kDns; });
  m.dns_sites = topology.services.dns.has_value() && has_dns_hosts;
  m.clients =
      script.dns.enabled && !script.dns.clients.nodes.empty() && topology.services.dns.has_value();
  m.routes =
      script.routes.enabled && !script.routes.at.nodes.empty() && !script.routes.prefixes.empty();
  for (const auto& kind : script.routes.kinds) {
    if (!m.routes) break;
    if (kind == "anycast") m.anycast = true;
    if (kind == "covering") m.covering = true;
  }
  m.reachability = !script.reach.empty();
  m.bgp = std::any_of(plan.routers.begin(), plan.routers.end(),
                      [](const frr::RouterPlan& r) { return r.runs(frr::Daemon::kBgpd); });
  return m;
}

Watched watched_by(const scenario::Script& script) {
  Watched w;
  if (script.routes.enabled) {
    w.vantages = script.routes.at.nodes;
    w.prefixes = script.routes.prefixes;
    w.kinds = script.routes.kinds;
  }
  if (script.dns.enabled) w.clients = script.dns.clients.nodes;
  for (const auto& probe : script.reach) {
    for (const auto& from : probe.from.nodes) {
      for (const auto& to : probe.to) {
        if (!to.is_node || to.name == from) continue;
        bool seen = std::any_of(w.reach.begin(), w.reach.end(), [&](const Watched::Pair& p) {
          return p.from == from && p.to == to.name;
        });
        if (!seen) w.reach.push_back({from, to.name});
      }
    }
  }
  return w;
}

double unplanned_sessions_down(const measure::Metrics& metrics, const BlastPrediction& prediction) {
  std::set<std::pair<std::string, std::string>> planned;
  for (const auto& s : prediction.sessions_down) {
    if (!removed_by_change(s)) continue;
    planned.insert({s.a, s.b});
    planned.insert({s.b, s.a});
  }
  std::set<std::pair<std::string, std::string>> down;
  for (const auto& change : metrics.bgp) {
    if (change.state != "down" || change.at_s < metrics.change_s.value_or(0)) continue;
    std::string peer = change.peer_node.empty() ? change.peer : change.peer_node;
    if (planned.contains({change.node, peer})) continue;
    down.insert(std::minmax(change.node, peer));
  }
  return double(down.size());
}

AuditOutcome audit_prediction(const model::Topology& topology, const Policy& policy,
                              const BlastPrediction& prediction) {
  AuditOutcome audit;
  if (!policy.audit) {
    audit.detail = "off in the policy";
    return audit;
  }
  audit.ran = true;
  audit.on_prediction = judge_prediction(policy.invariants, gate_predicted_scalars(prediction));
  // The backbone's links (both ends the operator's, one a backbone router) the change cuts.
  auto is_operator = [](const model::Node* n) {
    return n && (n->acts_as(model::Role::kBackbone) || n->acts_as(model::Role::kEdge) ||
                 n->acts_as(model::Role::kDatacenter));
  };
  int backbone = 0, cut = 0;
  for (const auto& link : topology.links) {
    const model::Node* a = topology.find_node(link.a.node);
    const model::Node* b = topology.find_node(link.b.node);
    if (!is_operator(a) || !is_operator(b)) continue;
    if (!a->acts_as(model::Role::kBackbone) && !b->acts_as(model::Role::kBackbone)) continue;
    ++backbone;
    bool down = std::any_of(prediction.links_down.begin(), prediction.links_down.end(),
                            [&](const PredictedLink& d) {
                              return (d.a == link.a.node && d.a_ifname == link.a.ifname) ||
                                     (d.b == link.b.node && d.b_ifname == link.b.ifname) ||
                                     (d.a == link.b.node && d.a_ifname == link.b.ifname) ||
                                     (d.b == link.a.node && d.b_ifname == link.a.ifname);
                            });
    if (down) ++cut;
  }
  double share = backbone ? double(cut) / backbone : 0;
  bool within = share <= policy.audit_max_cut;
  int broken = int(std::count_if(audit.on_prediction.begin(), audit.on_prediction.end(),
                                 [](const InvariantResult& r) { return !r.passed; }));
  audit.passed = within && broken == 0 && prediction.made;
  std::string links =
      backbone ? fmt::format("cuts {} of {} backbone links ({:.0f}%), {} the limit {:.0f}%", cut,
                             backbone, share * 100, within ? "within" : "over",
                             policy.audit_max_cut * 100)
               : "no backbone links";
  std::string predicted = !prediction.made ? "no prediction could be made"
                          : broken == 0
                              ? "the predicted blast radius holds every invariant"
                              : fmt::format("the predicted blast radius breaks {} invariant{}",
                                            broken, broken == 1 ? "" : "s");
  audit.detail = fmt::format("{}; {}", links, predicted);
  return audit;
}

GatePlan prepare_gate(const GateOptions& options, proc::ProcessRunner& runner) {
  const auto started = Steady::now();
  GatePlan gate;
  auto loaded = topology_load::load_topology_file(options.topology_path, options.load);
  if (!loaded.topology) fail_on(loaded.errors);
  gate.topology = std::move(*loaded.topology);
  gate.plan = frr::plan_routing(gate.topology);
  Scratch scratch;
  fail_on(frr::load_user_configs(gate.plan, runner, scratch.path()));
  auto candidate = load_candidate(options.candidate_path, gate.topology, gate.plan);
  fail_on(candidate.errors);
  gate.candidate = std::move(*candidate.candidate);
  fail_on(check_candidate(gate.candidate, gate.plan, runner, scratch.path()));
  gate.changes = router_changes(gate.candidate, current_configs(gate.topology, gate.plan));
  if (!options.policy_path.empty()) {
    auto policy = load_policy_file(options.policy_path);
    fail_on(policy.errors);
    gate.policy = std::move(*policy.policy);
  }
  gate.script_text =
      gate_script_text(gate.topology, gate.changes, gate.policy, options.candidate_path);
  auto script = scenario::load_script_text(gate.script_text, "gate-script.yaml", gate.topology);
  if (!script.script) {
    // The gate wrote it: a problem here is blastlab's, not the user's.
    throw lab::LabError(3, "the gate's change script does not load: " +
                               model::format_diagnostics(script.errors) + "\n" + gate.script_text);
  }
  gate.script = std::move(*script.script);
  gate.watched = watched_by(gate.script);
  gate.measures = lab_measures(gate.topology, gate.plan, gate.script);
  if (options.policy_path.empty())
    gate.policy.invariants = default_policy(gate.measures).invariants;
  gate.prepare_s = seconds_since(started);
  return gate;
}

GateResult run_gate(const GatePlan& gate, const GateOptions& options, lab::LabManager& labs,
                    netns::Netlink& netlink, proc::ProcessRunner& runner,
                    const std::atomic<bool>* interrupted) {
  GateResult result;
  result.topology = options.topology_path;
  result.candidate = options.candidate_path;
  result.policy = options.policy_path.empty() ? "default" : options.policy_path;
  result.lab = options.lab_name;
  result.changes = gate.changes;
  result.predict_only = options.predict_only;
  add_phase(result, "load and check", gate.prepare_s);

  const auto predict_started = Steady::now();
  result.prediction = predict_blast_radius(gate.topology, gate.plan, gate.changes, gate.watched);
  result.predicted = gate_predicted_scalars(result.prediction);
  result.audit = audit_prediction(gate.topology, gate.policy, result.prediction);
  blame_failures(result, result.audit.on_prediction);
  add_phase(result, "predict and audit", seconds_since(predict_started));
  files::create_directories(options.out_dir, "gate output directory");
  files::write_file_atomically(options.out_dir + "/gate-script.yaml", gate.script_text,
                               "gate change script");

  auto stop_before_lab = [&](const std::string& why) {
    result.stopped_before_lab = why;
    result.invariants = result.audit.ran
                            ? result.audit.on_prediction
                            : judge_prediction(gate.policy.invariants, result.predicted);
    blame_failures(result, result.invariants);
    bool broken = std::any_of(result.invariants.begin(), result.invariants.end(),
                              [](const InvariantResult& r) { return !r.passed; });
    result.verdict = (result.audit.ran && !result.audit.passed) || broken ? GateVerdict::kBlocked
                                                                          : GateVerdict::kPass;
    if (!result.prediction.made) {
      result.verdict = GateVerdict::kIncomplete;
      result.incomplete.push_back("no prediction could be made: " +
                                  fmt::format("{}", fmt::join(result.prediction.basis, "; ")));
    }
    write_outputs(options.out_dir, result);
    return result;
  };
  if (gate.changes.empty()) {
    result.stopped_before_lab = "the candidate changes no router's configuration";
    result.verdict = GateVerdict::kPass;
    write_outputs(options.out_dir, result);
    return result;
  }
  if (options.predict_only) return stop_before_lab("--predict-only: the prediction alone");
  if (result.audit.ran && !result.audit.passed)
    return stop_before_lab("the audit refused the change");

  experiment::RunOptions run_options;
  run_options.topology_path = options.topology_path;
  run_options.load = options.load;
  run_options.script_path = options.out_dir + "/gate-script.yaml";
  run_options.lab_name = options.lab_name;
  run_options.out_dir = options.out_dir;
  run_options.keep = options.keep;
  run_options.up_timeout = options.up_timeout;
  run_options.observer = options.observer;
  run_options.aborted = options.aborted;
  scenario::Script script = gate.script;
  script.file = run_options.script_path;
  auto run = experiment::run_experiment(gate.topology, script, run_options, labs, netlink, runner,
                                        interrupted);
  result.lab_ran = true;
  result.report_dir = options.out_dir;
  run_phases(result, run);

  auto measured = measure::scalar_metrics(run.report.metrics);
  measured.values["bgp.unplanned_sessions_down"] =
      unplanned_sessions_down(run.report.metrics, result.prediction);
  auto baseline = baseline_scalars(gate, options.lab_name, run.report);
  measure::Scalars none;
  if (!baseline) none.missing["*"] = "the run has no baseline before a change";
  result.invariants = judge(gate.policy.invariants, measured, baseline.value_or(none));
  // What the prediction said of each metric, beside what was measured.
  for (auto& r : result.invariants) {
    if (auto it = result.predicted.find(r.invariant.metric); it != result.predicted.end())
      r.predicted = it->second;
  }
  result.measured = measured;
  blame_failures(result, result.invariants);
  result.prediction_differences = compare_prediction(result.prediction, run.report.metrics);

  if (run.report.verdict() == report::Verdict::kIncomplete) {
    for (auto& reason : run.report.verdict_reasons()) result.incomplete.push_back(reason);
  }
  for (const auto& step : run.report.metrics.steps) {
    if (step.state == measure::StepState::kFailed) {
      result.incomplete.push_back(fmt::format("step {} ({}) failed{}", step.name, step.kind,
                                              step.detail.empty() ? "" : ": " + step.detail));
    }
  }
  if (run.interrupted) result.incomplete.push_back("interrupted (Ctrl-C or a signal)");
  // What FRR made of the candidate: a line it took without error but does not show sets a
  // default, or did not take. The lab ran what FRR would run in production, so this is a
  // warning beside the verdict, not a hole in it.
  result.not_running = candidate_lines_not_running(gate, run.report.events_path);
  bool broken = std::any_of(result.invariants.begin(), result.invariants.end(),
                            [](const InvariantResult& r) { return !r.passed; });
  result.verdict = !result.incomplete.empty() ? GateVerdict::kIncomplete
                   : broken                   ? GateVerdict::kBlocked
                                              : GateVerdict::kPass;
  // The run's report says the gate's verdict too.
  judge_report(run.report, result.invariants);
  report::write_report(options.out_dir, run.report);
  write_outputs(options.out_dir, result);
  return result;
}

}  // namespace blastlab::gate
