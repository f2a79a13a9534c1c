// What CI reads from a gate, rendered from one GateResult: junit.xml (one test case per
// invariant, plus the audit, the prediction's agreement with the lab and the run's
// completeness), summary.md (Markdown for a CI job summary), annotations.txt (GitHub
// Actions workflow commands, `::error file=F,line=N,title=T::MESSAGE`, pointing at the
// candidate line responsible, or at the file) and gate.json. Pure functions; write_outputs
// is the only one that touches the disk.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/gate/gate.hpp"
#include "controller/gate/policy.hpp"
#include "controller/gate/predict.hpp"
#include "controller/measure/metrics.hpp"

namespace blastlab::gate {

enum class GateVerdict { kPass, kBlocked, kIncomplete };
std::string_view to_string(GateVerdict verdict);  // "pass", "blocked", "incomplete"

// A phase of the gate and its wall time: load, predict, up, baseline, change, observe,
// rollback, recover, down.
struct Phase {
  std::string name;
  double seconds = 0;
};

struct AuditOutcome {
  bool ran = false;  // off in the policy
  bool passed = true;
  std::string detail;                          // one line
  std::vector<InvariantResult> on_prediction;  // the invariants judged on the prediction
};

struct GateResult {
  std::string topology;               // the topology file
  std::string candidate;              // the candidate path
  std::string policy;                 // the policy file, or "default"
  std::string lab;                    // the lab's name
  std::vector<RouterChange> changes;  // routers whose config changes
  AuditOutcome audit;
  BlastPrediction prediction;
  bool predict_only = false;
  // Set when the gate stopped before the lab: "the audit refused the change",
  // "--predict-only".
  std::string stopped_before_lab;
  bool lab_ran = false;
  std::vector<InvariantResult> invariants;          // judged on the run (empty if it did not run)
  std::vector<std::string> incomplete;              // why the run's measurement cannot be trusted
  std::vector<std::string> prediction_differences;  // compare_prediction()
  // Lines the candidate adds that their routers do not show after the change.
  std::vector<NotRunning> not_running;
  // The blast radius in figures, predicted and measured, for the summary: the prediction's
  // predicted_scalars() (empty when none was made) and the run's scalar metrics (empty when
  // the lab did not run).
  std::map<std::string, double> predicted;
  measure::Scalars measured;
  std::vector<Phase> phases;
  std::string report_dir;  // where report.json/html are, when the lab ran
  GateVerdict verdict = GateVerdict::kIncomplete;
  int exit_code() const;  // 0 pass, 1 blocked, 3 incomplete
};

std::string gate_junit(const GateResult& result);
std::string gate_summary_markdown(const GateResult& result);
std::string gate_annotations(const GateResult& result);

// Why the gate decided as it did, in one line: "1 of 3 invariants failed in the lab", "the
// audit refused the change: ...", "the run is incomplete: ...".
std::string gate_reason(const GateResult& result);

// gate.json: the whole result, keys in a fixed order (outputs.cpp documents them).
nlohmann::ordered_json gate_json(const GateResult& result);

struct GateFiles {
  std::string junit, summary, annotations, json;
};
// Writes junit.xml, summary.md, annotations.txt and gate.json into dir.
GateFiles write_outputs(const std::string& dir, const GateResult& result);

}  // namespace blastlab::gate
