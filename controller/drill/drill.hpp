// An incident drill: a hidden fault put into a live lab, a briefing that gives only the
// symptoms, hints that cost points, and the conditions under which the network counts as
// restored. A drill file (YAML, in drills/) is read and checked completely against its
// topology before anything is built, like a change script: every error names
// file:line:column and the field, and what comes back only names nodes, links and
// prefixes that exist. A fault is a list of change-script steps, read by the script's own
// reader (scenario/script_reader.hpp), so a fault can do what a script can.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/diagnostic.hpp"
#include "controller/model/topology.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::drill {

using Millis = std::chrono::milliseconds;

// One fault a drill may put into the lab: its steps (vtysh, link, netem, stop, start or
// wait), and what the instructor is told when it is revealed.
struct Fault {
  std::string name;
  std::vector<scenario::Step> steps;
  std::string reveal;  // the cause in words; empty when the file gives none
  model::SourceMark mark;
};

// A hint the trainee may ask for; taking it costs `cost` points of the score.
struct Hint {
  std::string text;
  int cost = 0;
};

enum class ConditionKind { kConverged, kPrefixBack, kDnsAnswering, kReach, kRouteVia };
std::string_view to_string(ConditionKind kind);

// One condition of `restored`, checked on the live lab by `drill check`. Each says what a
// user sees, not how the fault was made, so any fix that gives the service back passes.
struct Condition {
  ConditionKind kind = ConditionKind::kConverged;
  // prefix-back, route-via: the prefix.
  std::string prefix;
  // prefix-back: the vantage nodes that must hold the prefix (default every peer);
  // dns-answering: the clients whose last `queries` resolver answers must all have come
  // back (default every client); route-via: the node whose route is looked at.
  scenario::Selector at;
  int queries = 3;
  // reach: every node of `from` reaches every target of `to` (one probe each, ICMP or TCP
  // to `port`, waiting `timeout`); rate is unused.
  scenario::ReachProbe reach;
  // route-via: the node that must be the next hop of `at`'s route to `prefix`.
  std::string via;
  model::SourceMark mark;

  // "prefix-back 198.51.100.0/26 at role:peer"
  std::string text() const;
};

struct Drill {
  std::string file;
  std::string name;
  std::string title;
  std::string topology;       // as written in the file, relative to the drill file
  std::string topology_path;  // the path it was loaded from
  // The topology the lab is built from, as YAML: the file's text, or with the drill's
  // `topology-set` applied (dotted paths, as a what-if variant's: a drill puts a fault no
  // change step can make, like one site's health check at the wrong target, into the lab's
  // setup). Relative paths in it are relative to topology_path's directory. Empty from
  // load_drill_text.
  std::string topology_text;
  std::string briefing;
  std::vector<Fault> faults;
  std::vector<Hint> hints;
  std::vector<Condition> restored;
  Millis time_limit{0};
  // The probes that run while the trainee works (dns, routes, reach), as a script's; its
  // name is the drill's and it has no steps.
  scenario::Script probes;
};

struct DrillLoadResult {
  std::optional<Drill> drill;               // set only when errors is empty
  std::optional<model::Topology> topology;  // the drill's, when it could be loaded
  std::vector<model::Diagnostic> errors;    // the drill's in file order, or the topology's
};

// Reads the drill and loads its topology (a containerlab file too) relative to it, with the
// drill's `topology-set` applied; an error in the changed topology is reported at the entry
// of topology-set that wrote its field.
DrillLoadResult load_drill_file(const std::string& path);
// A drill's text checked against a topology given by the caller, taken as the drill's with
// any `topology-set` applied already; `topology` must still be in the file, and is not
// loaded.
DrillLoadResult load_drill_text(std::string_view text, const std::string& file_name,
                                const model::Topology& topology);

// Which fault a drill puts in with `seed`: splitmix64(seed) % faults.size(). The same seed
// picks the same fault of the same drill on every run and machine (no std::random
// distribution, whose results the standard leaves to the library); a drill with one fault
// always picks it.
size_t choose_fault(const Drill& drill, uint64_t seed);
uint64_t splitmix64(uint64_t x);

// The change script that injects fault `index`: the drill's probes and the fault's steps,
// named "DRILL/FAULT", for the executor.
scenario::Script fault_script(const Drill& drill, size_t index);

}  // namespace blastlab::drill
