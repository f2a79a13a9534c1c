// A candidate change as engineers keep it in a repository, and each router's change from
// what the lab runs now.
//
// Two forms:
// - a directory of whole configurations, one per router: `NODE.conf`, or `NODE/frr.conf`
//   as containerlab labs keep them. Other files are ignored (a daemons file, a README); a
//   `.conf` file or a directory holding `frr.conf` whose name is no router of the topology
//   is an error, because a misspelt name would leave a router's change out silently.
// - a YAML file of configuration snippets, one block of vtysh configuration lines per
//   router, applied as they are, in order:
//       pop1: |
//         interface eth1
//          shutdown
//
// Every router named must run FRR in the lab. The lines are checked before the lab is
// built: exec-mode commands (`do ...`, `write`, `copy`) are refused, FRR's own dry run
// (vtysh --dryrun) must accept them, and a whole config must need no daemon the router does
// not run (the gate applies a change; it does not restart daemons). Log destinations are
// left out as in a user's own config (frr/user_config.hpp), so no daemon logs outside the lab.
//
// A whole config's change is the FRR-aware difference (frr/config_diff.hpp) from the
// router's current configuration: the one blastlab renders for it, or the user's own. That
// is what the lab runs right after bring-up, so the commands are known before the lab
// exists (the audit and the prediction need them); the gate checks in the lab that each
// router's running configuration, once changed, holds every line of the candidate.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/frr/plan.hpp"
#include "controller/gate/gate.hpp"
#include "controller/model/diagnostic.hpp"
#include "controller/model/topology.hpp"
#include "controller/proc/process.hpp"

namespace blastlab::gate {

struct CandidateLoadResult {
  std::optional<Candidate> candidate;     // set only when errors is empty
  std::vector<model::Diagnostic> errors;  // in file order
};

// Reads a candidate directory or snippet file; `plan` says which nodes run FRR.
CandidateLoadResult load_candidate(const std::string& path, const model::Topology& topology,
                                   const frr::RoutingPlan& plan);

// The configuration each router of the plan runs right after bring-up: the rendered frr.conf,
// or the user's own config as the lab applies it. `plan` must have its user configs loaded
// (frr::load_user_configs).
std::map<std::string, std::string> current_configs(const model::Topology& topology,
                                                   const frr::RoutingPlan& plan);

// Each router's change, in candidate order; routers whose config does not change are left
// out. A whole config's commands trace to its lines (0 for a removal: the file as a whole);
// a snippet's are its lines.
std::vector<RouterChange> router_changes(const Candidate& candidate,
                                         const std::map<std::string, std::string>& current);

// FRR's dry run of every router's candidate text and the daemons a whole config needs;
// diagnostics at the candidate's file and line.
std::vector<model::Diagnostic> check_candidate(const Candidate& candidate,
                                               const frr::RoutingPlan& plan,
                                               proc::ProcessRunner& runner,
                                               const std::string& scratch_dir);

// The lines a whole-config candidate adds that the router's running configuration lacks
// after the change (nothing for a snippet, whose lines may be `no` forms).
std::vector<NotRunning> lines_not_running(const RouterCandidate& router,
                                          const std::map<std::string, std::string>& current,
                                          const std::string& running_after);

}  // namespace blastlab::gate
