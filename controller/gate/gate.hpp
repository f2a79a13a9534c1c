// `blastlab gate`: a candidate router change judged in the lab before it ships. The types
// every part of the gate shares: the candidate as a repository holds it, each router's
// change with the candidate line each command comes from, the policy of invariants, the
// predicted blast radius and the gate's result, which junit.xml, summary.md and
// annotations.txt render.
//
// The flow (gate_run.cpp): load the topology, the candidate and the policy (any error: exit
// 2, nothing built); work out each router's change against its current config; predict the
// blast radius from the model alone and audit the change on that prediction (a refusal
// blocks the candidate without touching the lab: exit 1); bring the lab up, measure a
// baseline, apply the change, observe, roll it back, wait for recovery; judge every
// invariant on the run's metrics, relative ones against the baseline's; write the outputs.
// Exit codes: 0 pass, 1 blocked, 2 bad input, 3 the lab failed or the measurement has a
// hole (the run is incomplete).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controller/model/diagnostic.hpp"

namespace blastlab::gate {

using Millis = std::chrono::milliseconds;

// Where a line of the candidate is: a file and a 1-based line; line 0 names the file as a
// whole (a removed line, which no candidate line holds).
struct SourceLine {
  std::string file;
  int line = 0;
  bool operator==(const SourceLine&) const = default;
};

// A candidate line that its router does not show in its running config after the change:
// FRR leaves out lines that set a default; any other did not take.
struct NotRunning {
  SourceLine at;
  std::string text;
};

// One router's part of a candidate, as the repository holds it.
struct RouterCandidate {
  std::string node;
  std::string file;  // the file it was read from
  // A whole configuration (NODE.conf, NODE/frr.conf): the router's change is the difference
  // from its current configuration. Otherwise a snippet: configuration lines applied as
  // they are, in order, like a change script's vtysh step.
  bool whole_config = true;
  std::string config;              // whole_config: the text, as read
  std::vector<std::string> lines;  // snippet: the lines, indentation kept
  std::vector<int> line_numbers;   // snippet: each line's line in `file`
};

struct Candidate {
  std::string path;                      // the directory or snippet file given
  std::vector<RouterCandidate> routers;  // topology order
};

// One router's change: the configuration-mode commands (context lines such as `interface
// eth1` and `exit` included) that turn its current configuration into the candidate, and
// for each the candidate line it comes from.
struct RouterChange {
  std::string node;
  std::vector<std::string> commands;
  std::vector<SourceLine> sources;  // parallel to commands
};

// A limit of the policy: `METRIC OP NUMBER`, or relative to the baseline's value of the
// metric, `METRIC OP baseline`, `METRIC OP baseline - 0.01`, `METRIC OP baseline * 0.9`.
struct Invariant {
  std::string text;  // as written
  std::string file;
  model::SourceMark mark;
  std::string metric;  // a run metric (measure::scalar_metric_names()) or a gate metric
  std::string op;      // >=, <=, >, <, ==, !=
  bool relative = false;
  double factor = 1;  // relative: limit = baseline * factor + value
  double value = 0;   // absolute: the limit; relative: the offset
  std::optional<double> limit(std::optional<double> baseline) const;
  bool holds(double measured, double limit) const;
};

struct Policy {
  std::string file;            // empty: the default policy
  Millis baseline{3000};       // probes running before the change
  Millis observe{6000};        // after the change, before the rollback
  Millis recovery{30000};      // at most, after the rollback, for the lab to recover
  bool audit = true;           // audit the change before the lab
  double audit_max_cut = 0.5;  // share of the backbone's links
  std::vector<Invariant> invariants;
};

}  // namespace blastlab::gate
