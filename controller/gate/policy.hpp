// The gate's policy: a YAML file of invariants and the run's timings, read and checked
// completely (every error at file:line:col, exit 2), or the default policy, "no regression
// against the baseline"; and the judgement of the invariants on a run's metrics, relative
// ones against the baseline's.
//
// The file (docs/ci.md has the reference):
//   baseline: 3s          # probes running before the change
//   observe: 6s           # after the change, before the rollback
//   recovery: 30s         # at most, for the lab to recover after the rollback
//   audit: {max-cut: 50%} # or `audit: off`
//   invariants:
//     - sites.withdrawn <= 1
//     - dns.success_ratio >= baseline - 0.01
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/gate/gate.hpp"
#include "controller/measure/metrics.hpp"
#include "controller/model/diagnostic.hpp"

namespace blastlab::gate {

// What the lab measures, which decides the default policy's invariants: no DNS invariant
// on a lab without DNS sites, no reachability invariant without reachability probes.
struct LabMeasures {
  bool dns_sites = false;
  bool clients = false;
  bool routes = false;        // prefixes watched at vantage points
  bool anycast = false;       // among them, anycast prefixes
  bool covering = false;      // among them, covering prefixes
  bool reachability = false;  // reachability pairs probed
  bool bgp = false;           // BGP sessions watched
};

// The metrics a policy may name: the run's scalar metrics and the gate's own
// (bgp.unplanned_sessions_down: BGP sessions that went down and that the candidate does not
// remove or shut).
const std::vector<std::string>& gate_metric_names();

struct PolicyLoadResult {
  std::optional<Policy> policy;           // set only when errors is empty
  std::vector<model::Diagnostic> errors;  // in file order
};
PolicyLoadResult load_policy_file(const std::string& path);
PolicyLoadResult load_policy_text(std::string_view text, const std::string& file_name);
// The text of an invariant, as a policy file's `invariants` and the default policy write
// it; nullopt with *error saying what is wrong. The result has no file or position.
std::optional<Invariant> parse_invariant(const std::string& text, std::string* error);

// "No regression against the baseline": no DNS site lost, no anycast or covering prefix
// lost at any vantage point, no reachability pair lost, no BGP session down that the
// candidate does not remove, DNS success not below the baseline's; each only where the lab
// measures it.
Policy default_policy(const LabMeasures& measures);

struct InvariantResult {
  Invariant invariant;
  std::optional<double> measured;   // absent: the run did not produce it
  std::string missing;              // why, when absent
  std::optional<double> baseline;   // relative invariants: the baseline's value
  std::optional<double> limit;      // the number compared with
  std::optional<double> predicted;  // the prediction's value, when it predicts the metric
  bool passed = false;              // false when measured or limit is absent
  std::vector<SourceLine> blame;    // the candidate lines responsible, when known
};

// Judges each invariant on `measured`, relative ones against `baseline`. A metric without a
// value fails with the reason; so does a relative limit whose baseline has none.
std::vector<InvariantResult> judge(const std::vector<Invariant>& invariants,
                                   const measure::Scalars& measured,
                                   const measure::Scalars& baseline);

// The same on the prediction (predicted_scalars()): what the audit decides on. A metric the
// prediction does not cover passes, with `missing` saying so (it is judged in the lab); so
// does a relative invariant, since before the lab there is no baseline.
std::vector<InvariantResult> judge_prediction(const std::vector<Invariant>& invariants,
                                              const std::map<std::string, double>& predicted);

}  // namespace blastlab::gate
