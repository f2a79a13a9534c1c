#include "controller/experiment/run.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "controller/experiment/agent_watch.hpp"
#include "controller/experiment/lab_session.hpp"
#include "controller/experiment/live.hpp"
#include "controller/experiment/log.hpp"
#include "controller/files/safe_write.hpp"
#include "controller/frr/bgp_log.hpp"
#include "controller/frr/config_diff.hpp"
#include "controller/frr/daemons.hpp"
#include "controller/frr/plan.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/graph/graph.hpp"
#include "controller/lab/launcher.hpp"
#include "controller/measure/events.hpp"
#include "controller/scenario/agent_commands.hpp"
#include "controller/scenario/executor.hpp"
#include "controller/scenario/reach_targets.hpp"

namespace blastlab::experiment {

using scenario::Clock;
using scenario::EventWriter;
using scenario::Executor;
using scenario::LabControl;
using scenario::Millis;
using scenario::Script;
using scenario::StepKind;
using scenario::SystemClock;
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

double seconds(Steady::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Watches every agent the run depends on: the ones it started and the DNS sites' healthd.
// The processes' liveness comes from the lab's journal, read at most twice a second.
class Watching {
 public:
  Watching(EventWriter& events, lab::LabManager& labs, std::string lab_name)
      : watch_(events, [this](const std::string& agent,
                              const std::string& node) { return alive(agent, node); }),
        labs_(labs),
        lab_(std::move(lab_name)) {}

  AgentWatch& watch() { return watch_; }

  // `now` skips the half-second pacing: the last look before the agents are stopped.
  void tick(const LiveView& live, int64_t now_us, bool now = false) {
    if (stopped_ || (!now && now_us - last_us_ < 500'000)) return;
    last_us_ = now_us;
    running_.clear();
    for (const auto& [node, p] : labs_.processes(lab_)) running_[{p.what, node}] = p.running;
    watch_.check(live, now_us);
  }
  void stop() { stopped_ = true; }

 private:
  std::optional<bool> alive(const std::string& agent, const std::string& node) const {
    auto it = running_.find({agent, node});
    return it == running_.end() ? std::nullopt : std::optional<bool>(it->second);
  }

  AgentWatch watch_;
  lab::LabManager& labs_;
  std::string lab_;
  std::map<std::pair<std::string, std::string>, bool> running_;
  int64_t last_us_ = 0;
  bool stopped_ = false;
};

void watch_agents(AgentWatch& watch, const std::vector<Agent>& agents, const Script& script,
                  const measure::RunContext& context, const model::Topology& topology,
                  int64_t now_us) {
  using std::chrono::milliseconds;
  for (const auto& a : agents) {
    if (a.what == "dnsprobe") {
      // Its queries are written when answered or timed out: up to a timeout late.
      auto period = milliseconds(static_cast<int64_t>(1000.0 / std::max(script.dns.rate, 0.1)));
      watch.add(a.what, a.node, silence_limit(period, script.dns.timeout), now_us);
    } else if (a.what == "reachprobe") {
      // Like dnsprobe: a probe is written when it ends, up to a timeout after it was sent.
      for (const auto& probe : script.reach) {
        if (std::find(probe.from.nodes.begin(), probe.from.nodes.end(), a.node) ==
            probe.from.nodes.end())
          continue;
        auto period = milliseconds(static_cast<int64_t>(1000.0 / std::max(probe.rate, 0.01)));
        watch.add(a.what, a.node, silence_limit(period, probe.timeout), now_us);
        break;
      }
    } else if (a.what == "reachlisten") {
      // A listener writes nothing: watched for its life (its death would read as refusals).
      watch.add(a.what, a.node, milliseconds(0), now_us);
    } else {
      // querywatch writes an interval each second, routewatch an `alive` each second.
      watch.add(a.what, a.node, silence_limit(milliseconds(1000)), now_us);
    }
  }
  if (topology.services.dns) {
    const auto& h = topology.services.dns->health;
    for (const auto& site : context.sites)
      watch.add("healthd", site.node, silence_limit(h.interval, h.timeout), now_us);
  }
}

// Saves the run's merged events where a failed report write cannot have put them (the out
// directory's disk may be full or unwritable): /var/tmp/blastlab/, else /run/blastlab-saved/
// (memory). Says where, or that nothing could be kept.
std::string keep_events(const std::string& lab_dir, const std::string& lab_name) {
  size_t bad = 0;
  auto events = merged_events(lab_dir, &bad);
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&now));
  std::vector<std::string> tried;
  for (const char* base : {"/var/tmp/blastlab", "/run/blastlab-saved"}) {
    std::string dir = fmt::format("{}/{}-{}", base, lab_name, stamp);
    try {
      files::create_directories(dir, "kept events directory");
      measure::write_event_file(dir + "/events.jsonl", events);
      logger()->error("the run's {} events are kept in {}/events.jsonl", events.size(), dir);
      return fmt::format("the run's {} events are kept in {}/events.jsonl", events.size(), dir);
    } catch (const std::exception& e) {
      tried.push_back(e.what());
    }
  }
  return fmt::format("the run's events could not be kept either: {}", fmt::join(tried, "; "));
}

report::Report build_report(const model::Topology& topology, const Script& script,
                            const RunOptions& options, const std::string& lab_dir,
                            const std::string& events_path) {
  size_t bad = 0;
  auto events = merged_events(lab_dir, &bad);
  measure::write_event_file(events_path, events);
  report::Report report;
  auto context = run_context(topology, script, options.lab_name);
  report.metrics = measure::compute_metrics(context, events);
  report.bucket_us = context.bucket_us;
  if (bad) report.metrics.warnings.push_back(fmt::format("{} event line(s) were not events", bad));
  report.events_path = events_path;
  report.expectations = judge_expectations(script, measure::scalar_metrics(report.metrics));
  report.graph = report::LabGraph{graph::render_svg(topology),
                                  graph::render_text(topology, graph::Format::kMermaid)};
  return report;
}

}  // namespace

std::vector<report::ExpectationResult> judge_expectations(const Script& script,
                                                          const measure::Scalars& scalars) {
  std::vector<report::ExpectationResult> results;
  for (const auto& e : script.expect) {
    report::ExpectationResult r;
    r.text = e.text;
    r.where = fmt::format("{}:{}:{}", script.file, e.mark.line, e.mark.column);
    r.metric = e.metric;
    r.op = e.op;
    r.threshold = e.value;
    if (const double* value = scalars.find(e.metric)) {
      r.value = *value;
      r.passed = e.holds(*value);
    } else {
      r.missing = scalars.why_missing(e.metric);  // no data fails, naming why
    }
    results.push_back(r);
  }
  return results;
}

int RunResult::exit_code() const {
  if (interrupted) return 130;
  switch (report.verdict()) {
    case report::Verdict::kPass:
      return 0;
    case report::Verdict::kFail:
      return 1;
    case report::Verdict::kIncomplete:
      return 3;
  }
  return 3;
}

measure::RunContext run_context(const model::Topology& topology, const Script& script,
                                const std::string& lab_name) {
  measure::RunContext context;
  context.lab = lab_name;
  context.topology = topology.file;
  context.script = script.file;
  for (const auto& node : topology.nodes) {
    if (node.role == model::Role::kDns && topology.services.dns)
      context.sites.push_back({node.name, node.site});
  }
  if (script.routes.enabled) {
    context.vantages = script.routes.at.nodes;
    for (size_t i = 0; i < script.routes.prefixes.size(); ++i)
      context.prefixes.push_back({script.routes.prefixes[i], script.routes.kinds[i]});
  }
  if (script.dns.enabled && topology.services.dns) context.clients = script.dns.clients.nodes;
  // The pairs in the order of their sources in the topology, as reachprobe is started.
  for (const auto& node : topology.nodes) {
    for (const auto& probe : script.reach) {
      if (std::find(probe.from.nodes.begin(), probe.from.nodes.end(), node.name) ==
          probe.from.nodes.end())
        continue;
      for (const auto& target : probe.to) {
        if (target.name == node.name) continue;
        measure::ReachPair pair{node.name, target.name, probe.proto, probe.port, target.address};
        bool known = std::any_of(context.reach_pairs.begin(), context.reach_pairs.end(),
                                 [&](const measure::ReachPair& p) {
                                   return p.from == pair.from && p.target == pair.target &&
                                          p.proto == pair.proto && p.port == pair.port;
                                 });
        if (!known) context.reach_pairs.push_back(pair);
      }
    }
  }
  if (topology.services.dns) {
    const auto& h = topology.services.dns->health;
    context.timers.health_interval_ms = h.interval.count();
    context.timers.health_timeout_ms = h.timeout.count();
    context.timers.rise = h.rise;
    context.timers.fall = h.fall;
    context.timers.action = std::string(model::to_string(h.action));
  }
  return context;
}

RunResult run_experiment(const model::Topology& topology, const Script& script,
                         const RunOptions& options, lab::LabManager& labs, netns::Netlink& netlink,
                         proc::ProcessRunner& runner, const std::atomic<bool>* interrupted) {
  files::create_directories(options.out_dir, "report directory");
  std::cerr << fmt::format("blastlab run: {} on {} (lab {}), report in {}\n", script.name,
                           topology.file, options.lab_name, options.out_dir);
  const auto up_started = Steady::now();
  auto converged =
      labs.up(topology, options.topology_path, options.lab_name,
              {.wait = true, .timeout = options.up_timeout, .load = options.load}, interrupted)
          .converge;
  std::cerr << fmt::format("lab {} is up: converged {:.2f} s after its daemons started\n",
                           options.lab_name, std::chrono::duration<double>(converged).count());
  // From here on the lab is removed (unless --keep) whatever happens.
  auto remove_lab = [&] {
    if (options.keep) {
      std::cerr << fmt::format("the lab is left up: blastlab status {0}; blastlab down {0}\n",
                               options.lab_name);
      return;
    }
    try {
      labs.down(options.lab_name);
    } catch (const std::exception& e) {
      logger()->error("remove lab {}: {}", options.lab_name, e.what());
    }
  };
  std::string lab_dir = labs.lab_dir(options.lab_name);
  std::string events_dir = lab::events_directory(lab_dir);
  SystemClock clock;
  RunResult result;
  const auto run_started = Steady::now();
  result.up_s = seconds(run_started - up_started);
  std::vector<Agent> agents;
  std::string failure;  // what ended the run early, when something did
  int64_t start_us = clock.realtime_us();
  try {
    EventWriter events(events_dir + "/controller.jsonl", options.lab_name, clock);
    LiveView live(events_dir);
    // What the user watches while the run goes (the CLI's progress line), if anyone does.
    auto progress = [&, started = Steady::now()](const std::string& what) {
      live.poll();
      if (options.observer)
        options.observer->progress(what, live, seconds(Steady::now() - started),
                                   clock.realtime_us());
    };
    Watching watching(events, labs, options.lab_name);
    try {
      // The run starts with its probes, so that their first answers fall inside it.
      events.emit("run", {{"phase", "start"},
                          {"script", script.name},
                          {"topology", topology.file},
                          {"lab", options.lab_name}});
      agents = start_agents(topology, script, labs, options.lab_name,
                            read_reach_addresses(script, netlink, options.lab_name));
      progress("starting the probes");
      await_agents(agents, live, interrupted);
      auto context = run_context(topology, script, options.lab_name);
      watch_agents(watching.watch(), agents, script, context, topology, clock.realtime_us());
      LiveLab lab(labs, netlink, runner, topology, options.lab_name, live, context);
      std::vector<proc::RecordedProcess> spare;
      for (const auto& a : agents) spare.push_back(a.process);
      lab.watch_agents(&watching.watch(), spare);
      Executor executor(script, topology, lab, clock, events);
      executor.set_abort(options.aborted);
      executor.on_tick([&](const std::string& what) {
        progress(what);
        watching.tick(live, clock.realtime_us());
      });
      events.emit("run", {{"phase", "baseline"}});
      bool go_on = executor.sleep_until(clock.now() + script.baseline, "baseline", interrupted);
      if (go_on) {
        events.emit("run", {{"phase", "steps"}});
        for (const auto& o : executor.run(interrupted)) {
          if (o.state == measure::StepState::kFailed) result.steps_failed = true;
          if (o.state == measure::StepState::kInterrupted) go_on = false;
        }
      }
      if (go_on) {
        events.emit("run", {{"phase", "observe"}});
        executor.sleep_until(clock.now() + script.observe, "observing", interrupted);
      }
    } catch (const std::exception& e) {
      // The report of what was seen up to here is still worth writing.
      failure = e.what();
      logger()->error("the run stopped early: {}", failure);
    }
    // One last look, then none: the agents are about to be ended on purpose.
    live.poll();
    watching.tick(live, clock.realtime_us(), true);
    watching.stop();
    progress("stopping the probes");
    stop_agents(agents, script, labs, options.lab_name);
    if (options.observer) options.observer->done();
    result.interrupted = interrupted && interrupted->load();
    nlohmann::ordered_json end = {{"phase", "end"},
                                  {"cut_short", result.interrupted || !failure.empty()}};
    if (!failure.empty()) {
      end["reason"] = failure;
    } else if (result.interrupted) {
      end["reason"] = "interrupted (Ctrl-C or a signal)";
    }
    events.emit("run", end);
    collect_bgp_events(topology, lab_dir, start_us);
    try {
      result.report =
          build_report(topology, script, options, lab_dir, options.out_dir + "/events.jsonl");
      result.files = report::write_report(options.out_dir, result.report);
    } catch (const std::exception& e) {
      // The lab and its events go next: what was measured must not go with them.
      std::string kept = keep_events(lab_dir, options.lab_name);
      throw lab::LabError(
          3, fmt::format("write the report into {}: {}; {}", options.out_dir, e.what(), kept));
    }
  } catch (...) {
    stop_agents(agents, script, labs, options.lab_name);
    remove_lab();
    throw;
  }
  const auto down_started = Steady::now();
  result.run_s = seconds(down_started - run_started);
  remove_lab();
  result.down_s = seconds(Steady::now() - down_started);
  if (!failure.empty()) {
    std::cerr << report::report_text(result.report);
    throw lab::LabError(3, "the run stopped early: " + failure +
                               "; the report of what was seen "
                               "is in " +
                               options.out_dir);
  }
  return result;
}

}  // namespace blastlab::experiment
