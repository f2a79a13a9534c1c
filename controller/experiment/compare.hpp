// `blastlab compare`: every variant of a variants file run one after the other, each a full
// `blastlab run` on a fresh lab into OUT/VARIANT/ (its effective topology.yaml and
// script.yaml written there first, so any variant can be replayed alone), then the
// side-by-side comparison (report/compare.hpp) written into OUT/. A variant whose lab fails
// (exit 3) is recorded with its error and the next one still runs; Ctrl-C stops after the
// variant it interrupts.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "controller/experiment/run.hpp"
#include "controller/experiment/variants.hpp"
#include "controller/lab/lab.hpp"
#include "controller/netns/netlink.hpp"
#include "controller/proc/process.hpp"
#include "controller/report/compare.hpp"
#include "controller/report/report.hpp"

namespace blastlab::experiment {

struct CompareOptions {
  std::string out_dir;
  std::string lab_name;
  std::chrono::milliseconds up_timeout{60000};
  RunObserver* observer = nullptr;             // shown each variant's progress
  const std::atomic<bool>* aborted = nullptr;  // a second Ctrl-C: skip the rollbacks too
};

struct CompareResult {
  report::Comparison comparison;
  report::Report reference;  // the first variant's report, for the terminal summary
  bool reference_ran = false;
  bool interrupted = false;
  // 0 every variant passed; 1 a variant's expectation or step failed; 3 a variant's lab
  // failed or its run was incomplete; 130 interrupted.
  int exit_code() const;
};

// What happened to the change in a run, from its steps: "applied", "refused by STEP",
// "halted by STEP", "STEP failed".
std::string change_outcome(const measure::Metrics& metrics);

CompareResult run_comparison(const VariantSet& set, const CompareOptions& options,
                             lab::LabManager& labs, netns::Netlink& netlink,
                             proc::ProcessRunner& runner, const std::atomic<bool>* interrupted);

}  // namespace blastlab::experiment
