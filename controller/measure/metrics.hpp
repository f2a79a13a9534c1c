// The metrics of one run, derived from its merged timeline (docs/events.md) and what the
// controller knows of the lab (RunContext). Everything here is plain data computed by one
// pure function, compute_metrics(), so it is unit-tested on synthetic event streams and
// rendered by report/ without touching the lab.
//
// Times: `*_s` fields are seconds relative to an anchor named in the field's comment:
// the change (the first step that is neither a wait nor a rollback), the rollback (the
// first rollback step) or the run's start (the controller's `run` start event, or the
// first event when it is missing). Absent optionals mean "did not happen during the run"
// (or there was no change / no rollback to measure from).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/timers.hpp"
#include "controller/measure/events.hpp"
#include "controller/measure/prediction.hpp"
#include "controller/measure/step_state.hpp"

namespace blastlab::measure {

// 2: `verdict`, `verdict_reasons`, `gaps` and expectations' `missing` added; the success
// ratios are null when no query was sent (1 before). docs/report.md.
inline constexpr int kReportSchemaVersion = 2;

// ---- inputs -------------------------------------------------------------------------------

struct SiteInfo {
  std::string node;  // the DNS host
  std::string pop;   // the edge node it sits at
};

struct WatchedPrefix {
  std::string prefix;  // "198.51.100.0/26"
  std::string kind;    // "anycast", "covering", "operator"
};

// The configured timers the predictions are made from: by default the lab's own
// (contracts/timers.hpp), which the renderer writes and a topology starts from.
struct Timers {
  int64_t health_interval_ms = contracts::kDefaultHealthTimers.interval.count();
  int64_t health_timeout_ms = contracts::kDefaultHealthTimers.timeout.count();
  int rise = contracts::kDefaultHealthTimers.rise;
  int fall = contracts::kDefaultHealthTimers.fall;
  std::string action = "withdraw";
  int64_t bgp_hold_ms = contracts::kLabRoutingTimers.bgp_hold_s * int64_t{1000};
  int64_t ospf_hello_ms = contracts::kLabRoutingTimers.ospf_hello_s * int64_t{1000};
  int64_t ospf_dead_ms = contracts::kLabRoutingTimers.ospf_dead_s * int64_t{1000};
};

// One pair a reachprobe measures: a source node and one of its targets by one protocol.
struct ReachPair {
  std::string from;     // the source node, where reachprobe runs
  std::string target;   // the target's name in the events: a node, or an address
  std::string proto;    // "icmp" or "tcp"
  int port = 0;         // tcp only
  std::string address;  // the address probed, when known before the run
};

struct RunContext {
  std::string lab;
  std::string topology;  // file names, for the report
  std::string script;
  std::vector<SiteInfo> sites;
  std::vector<std::string> vantages;  // peers that run routewatch
  std::vector<WatchedPrefix> prefixes;
  std::vector<std::string> clients;    // clients that run dnsprobe
  std::vector<ReachPair> reach_pairs;  // the reachability probes' pairs, by source
  Timers timers;
  int64_t bucket_us = 1'000'000;  // the timeline's resolution for DNS success rates
};

// ---- outputs ------------------------------------------------------------------------------

// A measured delay beside what the configured timers predict for it.
struct Delay {
  std::optional<double> measured_s;
  Prediction prediction = Prediction::kNone;
  double predicted_min_s = 0;  // with kRange only
  double predicted_max_s = 0;
  std::string basis;  // how the prediction was made, or why there is none, in words
};

struct Window {
  double start_s = 0;           // from the run's start
  std::optional<double> end_s;  // absent: still open when the run ended
  double duration_s = 0;        // up to end_s, or to the run's end when open
};

struct StepRecord {
  int index = 0;
  std::string name;
  std::string kind;
  std::string detail;
  StepState state = StepState::kRunning;  // kRunning: the run ended inside it
  double start_s = 0;                     // from the run's start
  std::optional<double> end_s;
  std::string error;
};

struct SiteMetrics {
  std::string node;
  std::string pop;
  bool withdrawn = false;    // withdrew after the change
  bool degraded = false;     // switched to the degraded announcement after the change
  bool fail_static = false;  // reported fail-static after the change
  bool guarded = false;      // held announcing by its min-sites guard after the change
  Delay health_failed;       // from the change to the first target (or local) going down
  Delay withdrawn_after;     // from the change to the withdraw (or degrade) being done
  Delay reannounced_after;   // from the rollback to announcing again
  std::vector<Window> withdrawn_windows;  // announcement absent or degraded, from run start
  bool no_events = false;                 // its healthd wrote nothing
};

// Where a watched prefix went at one node: a route of another next hop, interface or
// protocol took its place while it stayed present (routewatch's `change`), or it came back
// by another path than it left by.
struct NextHopChange {
  double at_s = 0;       // from the run's start
  std::string action;    // "add", "remove", "change"
  std::string gateway;   // the route's next hop after the event ("" for none or a removal)
  std::string dev;       // the interface it leaves by ("" when routewatch did not say)
  std::string protocol;  // "bgp", "ospf", "static", "kernel", ...
};

struct PrefixAtVantage {
  std::string vantage;
  std::string prefix;
  std::string kind;
  bool present_at_start = false;
  bool lost = false;     // absent at some time after the change
  Delay lost_after;      // from the change to the first remove
  Delay regained_after;  // from the rollback to the add that ends the last absence
  double absent_s = 0;   // total time absent after the change
  std::vector<Window> absent_windows;
  // A loss or return during the run was found by a re-dump of the table (routewatch's
  // `resync`, after lost route messages): its time is the dump's, some time after the change.
  bool approximate = false;
  // Every change of the route the node used for the prefix during the run (routewatch's
  // add, remove and change, with the next hop): where the prefix went.
  std::vector<NextHopChange> next_hops;
  bool no_events = false;  // its routewatch wrote nothing
};

struct FailureCounts {
  int64_t servfail = 0;
  int64_t timeout = 0;
  int64_t unreachable = 0;
  int64_t other = 0;  // nxdomain, refused, other rcodes, errors
};

struct ClientTargetMetrics {
  std::string client;
  std::string target;  // "resolver" or "anycast"
  int64_t queries = 0;
  int64_t ok = 0;
  std::optional<double> success_ratio;  // ok / queries; absent when no query was sent
  std::optional<double> latency_p50_ms;
  std::optional<double> latency_p95_ms;
  std::optional<double> latency_p99_ms;
  FailureCounts failures;
  // Maximal runs of consecutive failed queries (by send time): a window starts at the
  // first failure's send time and ends at the next success's send time.
  std::vector<Window> outages;
  std::optional<double> outage_start_after_change_s;  // first outage starting after the change
  std::optional<double> recovered_after_rollback_s;   // end of the last outage, from rollback
  // Success ratio per bucket of RunContext::bucket_us from the run's start; -1 where no
  // query was sent in the bucket.
  std::vector<double> success_by_bucket;
  bool no_events = false;  // its dnsprobe wrote nothing
};

struct ReachFailures {
  int64_t timeout = 0;
  int64_t unreachable = 0;  // no route here, or an ICMP error from a router
  int64_t refused = 0;      // the target reset the connection (nothing listening)
  int64_t other = 0;        // local errors, results this reader predates
};

// What one source saw of one target by one protocol (reachprobe's `probe` events). Outages
// are defined as dnsprobe's: maximal runs of failed probes by send time, from the first
// failure's send time to the next success's send time.
struct ReachPairMetrics {
  std::string from;
  std::string target;
  std::string proto;  // "icmp" or "tcp"
  int port = 0;
  std::string address;  // as the agent said it probed (from its events), else the context's
  int64_t probes = 0;
  int64_t ok = 0;
  std::optional<double> success_ratio;  // ok / probes; absent when none was sent
  std::optional<double> rtt_p50_ms;     // absent when none answered
  std::optional<double> rtt_p95_ms;
  ReachFailures failures;
  std::vector<Window> outages;  // from run start
  bool lost = false;            // an outage at or after the change (the whole run without one)
  bool never_answered = false;  // probes were sent and not one was answered
  std::optional<double> lost_after_change_s;        // the first outage starting after the change
  std::optional<double> regained_after_rollback_s;  // the end of the last outage, from rollback
  double outage_s = 0;                              // total outage time at or after the change
  // Success ratio per bucket of RunContext::bucket_us from the run's start; -1 where no
  // probe was sent in the bucket.
  std::vector<double> success_by_bucket;
  bool no_events = false;  // its reachprobe wrote nothing
};

struct ReachSummary {
  int pairs = 0;       // pairs probed
  int pairs_lost = 0;  // pairs with an outage at or after the change
  int never_answered = 0;
  int64_t probes = 0;
  int64_t ok = 0;
};

struct BlastRadius {
  int sites_withdrawn = 0;
  int sites_total = 0;
  int prefixes_lost = 0;  // watched prefixes absent at one vantage point or more
  int prefixes_total = 0;
  int vantage_prefixes_lost = 0;  // (vantage, prefix) pairs that lost the prefix
  int vantage_prefixes_total = 0;
  int clients_affected = 0;  // clients with an outage through their resolver
  int clients_total = 0;
  double sites_fraction = 0;
  double prefixes_fraction = 0;
  double clients_fraction = 0;
};

struct Recovery {
  // From the rollback to: every site announcing again, every lost prefix back at every
  // vantage point, DNS answering at every client. `all_s` is the largest of the three.
  std::optional<double> sites_s;
  std::optional<double> prefixes_s;
  std::optional<double> dns_s;
  // Every pair of the reachability probes answering again (with reachprobe only).
  std::optional<double> reachability_s;
  std::optional<double> all_s;
  bool complete = false;  // every part the run measures happened before the run ended
};

struct BgpSessionChange {
  double at_s = 0;  // from the run's start
  std::string node;
  std::string peer;
  std::string state;      // "up" or "down"
  std::string peer_node;  // the peer's node, when bgpd's log named it
  std::string reason;
};

// What one client's resolver asked of the name servers: upstream queries per second (UDP
// queries and TCP connections to the anycast name-server addresses, counted by querywatch
// on the client, less dnsprobe's own queries sent straight to those addresses) in the
// baseline and while the client's DNS was out. The 2021 outage multiplied this load (about
// 30 times at one large resolver operator): resolvers retry a silent server.
struct ResolverLoad {
  std::string client;
  int64_t baseline_queries = 0;  // from the run's start to the change
  double baseline_s = 0;         // the measured time those queries fell in
  std::optional<double> baseline_qps;
  int64_t outage_queries = 0;  // in the outage window `basis` names
  double outage_s = 0;
  std::optional<double> outage_qps;
  std::optional<double> ratio;         // outage_qps / baseline_qps; absent when the baseline is 0
  std::optional<double> peak_qps;      // the busiest single interval after the change
  std::optional<double> peak_at_s;     // when that interval ended, from run start
  std::string basis;                   // which outage window was used, in words
  int64_t probe_queries_excluded = 0;  // dnsprobe's direct queries taken out of the counts
  int64_t drops = 0;                   // packets querywatch lost: the counts are a lower bound
  bool no_events = false;              // its querywatch wrote nothing
};

// The load of every client's resolver together: the sum of their rates, so it is the load
// the name servers saw from the lab's clients.
struct ResolverLoadTotal {
  std::optional<double> baseline_qps;  // sum over the clients with a baseline rate
  std::optional<double> outage_qps;    // sum over the clients with an outage rate
  // Sum of outage rates / sum of baseline rates, over the clients that have both; absent
  // when that baseline sum is 0.
  std::optional<double> ratio;
  int clients = 0;  // clients whose querywatch wrote events
};

// A hole in the measurement: one agent on one node that wrote nothing, or that died or fell
// silent during the run (the controller's `agent` events, docs/events.md).
struct MeasurementGap {
  std::string agent;  // "dnsprobe", "routewatch", "querywatch", "healthd", "reachprobe", ...
  std::string node;
  std::string what;              // "wrote nothing", "died", "fell silent"
  std::optional<double> from_s;  // from the run's start; absent for "wrote nothing"
  std::optional<double> to_s;    // when it wrote again; absent: not before the run ended
  std::string detail;            // the controller's words: exit status, last event seen
};

struct Metrics {
  int schema_version = kReportSchemaVersion;
  std::string lab;
  std::string topology;
  std::string script;
  int64_t start_ts = 0;  // µs: the controller's `run` start event, else the first event
  int64_t end_ts = 0;    // µs: the controller's `run` end event, else the last event
  double duration_s = 0;
  std::optional<double> change_s;    // from run start
  std::optional<double> rollback_s;  // from run start
  bool cut_short = false;
  std::string cut_short_reason;
  std::vector<StepRecord> steps;
  std::vector<SiteMetrics> sites;
  std::vector<PrefixAtVantage> routes;
  std::vector<ClientTargetMetrics> clients;
  std::vector<ReachPairMetrics> reach;  // one per pair of the reachability probes
  ReachSummary reach_summary;
  BlastRadius blast_radius;
  Recovery recovery;
  std::vector<BgpSessionChange> bgp;
  // Resolver queries of every client together; absent when none was sent.
  std::optional<double> dns_success_ratio;
  std::vector<ResolverLoad> resolver_load;  // one per client
  ResolverLoadTotal resolver_load_total;
  size_t events = 0;
  // Where the measurement has a hole: an agent that wrote nothing, died or fell silent.
  // Any gap makes the run's verdict `incomplete`.
  std::vector<MeasurementGap> gaps;
  std::vector<std::string> warnings;  // agents that wrote nothing, steps that failed, ...
};

Metrics compute_metrics(const RunContext& context, const std::vector<Event>& events);

// The named scalar metrics a script's `expect` and a gate test, e.g. "dns.success_ratio",
// "sites.withdrawn", "recovery.all_s" (README's change-script section; which agent each
// needs: docs/report.md). A metric the run did not measure has no value, never a default:
// `missing` says why instead ("dnsprobe on client2 wrote nothing", "no rollback to
// measure from"), and an expectation or gate limit on it fails with that reason.
struct Scalars {
  std::map<std::string, double> values;
  std::map<std::string, std::string> missing;  // name -> why it has no value

  const double* find(const std::string& name) const {
    auto it = values.find(name);
    return it == values.end() ? nullptr : &it->second;
  }
  // Why `name` has no value ("not measured" when no reason was recorded).
  std::string why_missing(const std::string& name) const;
};
Scalars scalar_metrics(const Metrics& metrics);

// Whether a step of this kind changes the lab: everything but waits, rollbacks, and the
// audits and gates that only look at a change. The first such step is the run's change.
// Inline: report/ reads these structs without linking measure.
inline bool changes_lab(std::string_view step_kind) {
  return step_kind != "wait" && step_kind != "rollback" && step_kind != "audit" &&
         step_kind != "gate";
}
// Every name scalar_metrics() can produce, for validating scripts before a run.
const std::vector<std::string>& scalar_metric_names();

}  // namespace blastlab::measure
