// `blastlab gate TOPOLOGY --candidate PATH [--policy FILE] [--out DIR] [--predict-only]`:
// the flow of gate.hpp, from the files to the outputs CI reads.
//
// prepare_gate() reads and checks everything first (the topology, the users' own configs,
// the candidate with FRR's dry run, the policy) and works out each router's change, the
// predicted blast radius and the change script the lab will run; any problem is exit 2
// with nothing built. run_gate() audits the change on the prediction, then (unless the
// audit refused or only a prediction was asked for) runs the script through the same
// experiment as `blastlab run`, judges the policy on the run and writes the outputs.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "controller/experiment/run.hpp"
#include "controller/frr/plan.hpp"
#include "controller/gate/candidate.hpp"
#include "controller/gate/gate.hpp"
#include "controller/gate/outputs.hpp"
#include "controller/gate/policy.hpp"
#include "controller/gate/predict.hpp"
#include "controller/scenario/script.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::gate {

struct GateOptions {
  std::string topology_path;
  topology_load::LoadOptions load;
  std::string candidate_path;
  std::string policy_path;  // empty: the default policy
  std::string out_dir;
  std::string lab_name;
  bool predict_only = false;
  bool keep = false;  // leave the lab up afterwards
  std::chrono::milliseconds up_timeout{60000};
  experiment::RunObserver* observer = nullptr;
  const std::atomic<bool>* aborted = nullptr;
};

// Everything the gate decided before any lab exists.
struct GatePlan {
  model::Topology topology;
  frr::RoutingPlan plan;
  Candidate candidate;
  Policy policy;
  std::vector<RouterChange> changes;
  std::string script_text;  // the change script the lab runs, written to OUT/gate-script.yaml
  scenario::Script script;
  Watched watched;
  LabMeasures measures;
  double prepare_s = 0;  // wall time of loading, checking and planning
};

// Throws lab::LabError(2) naming every problem of the inputs.
GatePlan prepare_gate(const GateOptions& options, proc::ProcessRunner& runner);

// The change script of a gate, as YAML a person can read and rerun with `blastlab run`:
// probes (the script's defaults, and reachability between the lab's hosts when it has two
// or more), the policy's baseline, one vtysh step per changed router, the policy's
// observation, their rollbacks in reverse order, then waits for recovery: converged, and
// DNS answering when the lab has clients.
std::string gate_script_text(const model::Topology& topology,
                             const std::vector<RouterChange>& changes, const Policy& policy,
                             const std::string& candidate_path);

// predicted_scalars() and the gate's own bgp.unplanned_sessions_down, where the prediction
// speaks for sessions.
std::map<std::string, double> gate_predicted_scalars(const BlastPrediction& prediction);

// What the lab measures, from the loaded script and the plan.
LabMeasures lab_measures(const model::Topology& topology, const frr::RoutingPlan& plan,
                         const scenario::Script& script);
Watched watched_by(const scenario::Script& script);

// BGP sessions that went down after the change and that the candidate does not shut or
// remove itself (the prediction's sessions down for a neighbor of the change).
double unplanned_sessions_down(const measure::Metrics& metrics, const BlastPrediction& prediction);

// The audit: the invariants judged on the prediction, and the share of the backbone's links
// the change cuts against the policy's limit.
AuditOutcome audit_prediction(const model::Topology& topology, const Policy& policy,
                              const BlastPrediction& prediction);

GateResult run_gate(const GatePlan& gate, const GateOptions& options, lab::LabManager& labs,
                    netns::Netlink& netlink, proc::ProcessRunner& runner,
                    const std::atomic<bool>* interrupted);

}  // namespace blastlab::gate
