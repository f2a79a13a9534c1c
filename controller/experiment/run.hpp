// `blastlab run`: one experiment from start to end. It brings the lab up, starts the
// measurement agents (routewatch at the vantage points, dnsprobe at the clients), records a
// baseline, runs the script's steps, observes, stops the agents, merges every event into
// OUT/events.jsonl, derives the metrics, checks the script's expectations, writes the
// report and removes the lab. Whatever happens after the lab is up (a failed step, Ctrl-C,
// an error of the lab), the agents are stopped, a report of what was seen is written
// (marked cut short unless the run ended as planned), and the lab is removed unless --keep;
// an error is then thrown as LabError(3).
#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "controller/experiment/live.hpp"
#include "controller/lab/lab.hpp"
#include "controller/model/topology.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/proc/process.hpp"
#include "controller/report/report.hpp"
#include "controller/scenario/script.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::experiment {

// Whoever watches a run as it goes (the CLI's progress line): told the step under way and
// shown the live view of the events, about ten times a second.
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  virtual void progress(const std::string& what, const LiveView& live, double elapsed_s,
                        int64_t now_us) = 0;
  virtual void done() = 0;  // the run no longer changes: the report comes next
};

struct RunOptions {
  std::string topology_path;
  // How the topology was loaded, kept by the lab to reload its copy the same way.
  topology_load::LoadOptions load;
  std::string script_path;
  std::string lab_name;
  std::string out_dir;
  bool keep = false;  // leave the lab up afterwards
  std::chrono::milliseconds up_timeout{60000};
  RunObserver* observer = nullptr;  // shown the run's progress; none: nothing is shown
  // Set by a second Ctrl-C: the rollbacks that a first one runs are skipped too.
  const std::atomic<bool>* aborted = nullptr;
};

struct RunResult {
  report::Report report;
  report::ReportFiles files;
  bool steps_failed = false;
  bool interrupted = false;
  // Wall times, in seconds: bringing the lab up (to converged), the run from its probes'
  // start to the report written, and removing the lab (0 with --keep).
  double up_s = 0;
  double run_s = 0;
  double down_s = 0;
  // The report's verdict: 0 pass, 1 fail (an expectation or a step failed), 3 incomplete
  // (an agent wrote nothing, died or fell silent; the run was cut short); 130 interrupted.
  int exit_code() const;
};

// The script's expectations judged on the run's scalar metrics: one on a metric without a
// value fails, with the reason it has none.
std::vector<report::ExpectationResult> judge_expectations(const scenario::Script& script,
                                                          const measure::Scalars& scalars);

// The context the metrics need, from the topology and the script.
measure::RunContext run_context(const model::Topology& topology, const scenario::Script& script,
                                const std::string& lab_name);

RunResult run_experiment(const model::Topology& topology, const scenario::Script& script,
                         const RunOptions& options, lab::LabManager& labs, netns::Netlink& netlink,
                         proc::ProcessRunner& runner, const std::atomic<bool>* interrupted);

}  // namespace blastlab::experiment
