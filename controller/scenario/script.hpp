// A change script: what `blastlab run` does to a live lab and what it expects to see. The
// script is read and checked completely against its topology before anything runs, like a
// topology file: every error names file:line:column and the field, and `run` exits 2 with
// nothing built. What comes back from load_script_*() only names nodes, links, steps and
// metrics that exist.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/diagnostic.hpp"
#include "controller/model/topology.hpp"
#include "controller/netns/netlink.hpp"

namespace blastlab::scenario {

using Millis = std::chrono::milliseconds;

// A set of nodes, written as one term or a list of terms, each a node name, a glob
// (`bb*`, `pop?`), `role:ROLE`, `tag:TAG`, `region:REGION` or `all`. Resolved against the
// topology when the script is loaded; a term that matches no node is an error.
struct Selector {
  std::vector<std::string> terms;
  std::vector<std::string> nodes;  // resolved, in topology order
  std::string text() const;        // "role:backbone, pop1"
};

enum class StepKind { kVtysh, kLink, kNetem, kStop, kStart, kWait, kRollback, kAudit, kGate };
std::string_view to_string(StepKind kind);

enum class WaitUntil { kConverged, kPrefixGone, kPrefixBack, kDnsFailing, kDnsAnswering };
std::string_view to_string(WaitUntil until);

// Configuration lines applied on each router of `on`. `config` is a template: {{node}},
// {{asn}}, {{router_id}}, {{region}} are the router's; with `each_link`, the lines are
// repeated for every link of the router whose other end is in the selection, with
// {{interface}}, {{address}}, {{peer}}, {{peer_interface}} and {{peer_address}} set.
struct VtyshStep {
  Selector on;
  std::vector<std::string> config;  // lines, as written (indentation kept)
  std::optional<Selector> each_link;
};

struct LinkStep {
  std::string a;  // node, or node:interface
  std::string b;
  bool up = false;
};

struct NetemStep {
  std::string a;
  std::string b;
  netns::NetemSpec spec;  // empty: clear
};

struct WaitStep {
  WaitUntil until = WaitUntil::kConverged;
  std::string prefix;  // prefix-gone / prefix-back
  Selector at;         // vantage nodes (prefix) or clients (dns); every one must hold
  Millis timeout{30000};
  int queries = 3;  // dns-*: this many consecutive resolver answers (or failures)
};

struct Expectation {
  std::string text;
  model::SourceMark mark;
  std::string metric;
  std::string op;  // >=, <=, >, <, ==, !=
  double value = 0;
  bool holds(double measured) const;
};

// `METRIC OP NUMBER`, like `dns.success_ratio >= 0.99`, with METRIC one of
// measure::scalar_metric_names(); nullopt with *error saying what is wrong.
std::optional<Expectation> parse_expectation(const std::string& text, std::string* error);

// The audit tool that should have stopped the 2021 command: a pre-check of a later vtysh step
// that works out which backbone links the change shuts (`shutdown` under `interface X`, per
// router) and refuses it when that is more than `max_cut` of the backbone's links (links
// whose ends are both the operator's and one is a backbone router). With `bug`, it carries a
// model of the 2021 bug: it judges each router's part of the change alone, so a change that
// cuts every link, a few per router, passes.
struct AuditStep {
  std::string change;    // the named vtysh step it checks
  double max_cut = 0.5;  // share of the backbone's links, (0, 1]
  bool bug = false;
};

// A stage gate of a staged rollout: the run's metrics so far are watched for `observe`; the
// first expectation that does not hold halts the rollout (the changes after it are skipped,
// rollbacks still run).
struct GateStep {
  Millis observe{5000};
  std::vector<Expectation> expect;
};

struct Step {
  std::string name;  // given, or "step-N" (1-based)
  bool named = false;
  model::SourceMark mark;
  StepKind kind = StepKind::kWait;
  std::optional<Millis> at;  // offset from the start of the steps
  Millis after{0};           // delay after the previous step
  VtyshStep vtysh;
  LinkStep link;
  NetemStep netem;
  Selector nodes;  // stop / start
  WaitStep wait;
  std::string rollback;  // the named step to undo
  AuditStep audit;
  GateStep gate;
};

struct DnsProbes {
  bool enabled = true;
  double rate = 10;  // queries per second per target
  Millis timeout{1000};
  std::string query = "unique";  // or a fixed name relative to the zone
  std::vector<std::string> targets{"resolver", "anycast"};
  Selector clients;  // default: every client
};

struct RouteProbes {
  bool enabled = true;
  Selector at;                        // default: every peer
  std::vector<std::string> prefixes;  // resolved: the prefixes to watch
  std::vector<std::string> kinds;     // parallel: anycast, covering, operator, other
};

// One destination of a reachability probe: a node of the lab, or an address one holds.
struct ReachTarget {
  std::string name;  // the node's name, or the address as written
  bool is_node = false;
  // The address probed: a node's from the model (a client's network address, any other
  // node's loopback); empty for a node whose address only its namespace knows (a node
  // configured by the user's own files), which the run reads there when it starts.
  std::string address;
};

// One `probes.reach` entry: every node of `from` probes every target of `to` (itself left
// out) by ICMP echo or TCP connect to `port`, `rate` times a second, each probe waiting
// `timeout`. A pair is (source node, target, protocol).
struct ReachProbe {
  Selector from;
  std::vector<ReachTarget> to;
  std::string proto = "icmp";  // or "tcp"
  uint16_t port = 0;           // tcp only
  double rate = 5;
  Millis timeout{500};
  model::SourceMark mark;
};

// A TCP listener the run starts for its reachability probes: blastlab-backendd on a target
// node, on each address:port probed there that nothing of the lab serves already.
struct ReachListener {
  std::string node;
  std::vector<std::string> listen;  // "198.18.0.2:80"
};

struct Script {
  std::string file;
  std::string name;
  std::string description;
  DnsProbes dns;
  RouteProbes routes;
  std::vector<ReachProbe> reach;
  Millis baseline{3000};
  Millis observe{5000};
  std::vector<Step> steps;
  std::vector<Expectation> expect;

  const Step* find_step(std::string_view name) const;
};

struct ScriptLoadResult {
  std::optional<Script> script;           // set only when errors is empty
  std::vector<model::Diagnostic> errors;  // in file order
};

ScriptLoadResult load_script_file(const std::string& path, const model::Topology& topology);
ScriptLoadResult load_script_text(std::string_view text, const std::string& file_name,
                                  const model::Topology& topology);

}  // namespace blastlab::scenario
