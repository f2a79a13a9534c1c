// The pieces compute_metrics() is assembled from, shared by the metrics_*.cpp files and not
// part of the public API: the run's anchors, the events grouped by the agent that wrote
// them, intervals in absolute microseconds that become Windows relative to the run's
// start, and one function per section of Metrics. Keeping intervals absolute until the last
// moment lets clipping to the run and the recovery arithmetic work on exact integers.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controller/measure/metrics.hpp"

namespace blastlab::measure::internal {

// The instants every delay is measured from, in µs of the host clock.
struct Anchors {
  int64_t start_ts = 0;
  int64_t end_ts = 0;
  std::optional<int64_t> change_ts;
  std::optional<int64_t> rollback_ts;

  // Where "after the change" begins for flags and counts (withdrawn, lost, affected): the
  // change, or the whole run when the script changed nothing, so that a baseline run still
  // reports what went wrong during it.
  int64_t observe_from() const { return change_ts.value_or(start_ts); }
  // Seconds from the run's start.
  double since_start(int64_t ts) const;
};

double seconds(int64_t us);

// A span of the run in µs; an absent `to` means it had not ended at the last event seen.
struct Interval {
  int64_t from = 0;
  std::optional<int64_t> to;
};

// The interval as seen inside the run: clipped to [start, end], open when it ended after the
// run did; nullopt when it lies wholly outside the run.
std::optional<Window> to_window(const Interval& interval, const Anchors& anchors);
std::vector<Window> to_windows(const std::vector<Interval>& intervals, const Anchors& anchors);
// True when some of the interval lies in the run at or after `from`.
bool overlaps_from(const Interval& interval, int64_t from, const Anchors& anchors);
// µs of the interval inside the run at or after `from`.
int64_t covered_from(const Interval& interval, int64_t from, const Anchors& anchors);
// When the interval ended, if it did before the run's end.
std::optional<int64_t> ended_in_run(const Interval& interval, const Anchors& anchors);
// The last of time-ordered intervals that began by the run's end; null when none did.
const Interval* last_in_run(const std::vector<Interval>& intervals, const Anchors& anchors);

// A run's events by (agent, node), each list in time order.
using EventList = std::vector<const Event*>;
using EventsByAgent = std::map<std::pair<std::string, std::string>, EventList>;
const EventList& events_of(const EventsByAgent& by_agent, const std::string& agent,
                           const std::string& node);

// Lenient field access: a field of the wrong type reads as absent, because agents evolve
// and a reader ignores what it does not understand (docs/events.md).
std::string text_field(const nlohmann::json& data, const char* key);
std::optional<int64_t> int_field(const nlohmann::json& data, const char* key);
bool true_field(const nlohmann::json& data, const char* key);  // false unless `true`

// "1 s", "0.5 s", "3 s": a duration in ms as people write it.
std::string seconds_text(int64_t ms);

// Predictions from the configured timers.
Delay predicted_health_failure(const Timers& timers);
Delay predicted_withdrawal(const Timers& timers);
Delay predicted_reannounce(const Timers& timers);

std::vector<SiteMetrics> site_metrics(const RunContext& context, const EventsByAgent& by_agent,
                                      const Anchors& anchors, std::vector<std::string>& warnings);
// The intervals in which a site's announcement was withdrawn or degraded, over the whole
// history in its events (recovery needs them in absolute time).
std::vector<Interval> site_down_intervals(const EventList& events);

struct RouteResult {
  PrefixAtVantage metrics;
  std::vector<Interval> absences;
};
std::vector<RouteResult> route_metrics(const RunContext& context, const EventsByAgent& by_agent,
                                       const Anchors& anchors, std::vector<std::string>& warnings);

struct ClientResult {
  ClientTargetMetrics metrics;
  std::vector<Interval> outages;
};
std::vector<ClientResult> client_metrics(const RunContext& context, const EventsByAgent& by_agent,
                                         const Anchors& anchors,
                                         std::vector<std::string>& warnings);
struct ReachResult {
  ReachPairMetrics metrics;
  std::vector<Interval> outages;
};
// Per pair, from its source's reachprobe `probe` events.
std::vector<ReachResult> reach_metrics(const RunContext& context, const EventsByAgent& by_agent,
                                       const Anchors& anchors, std::vector<std::string>& warnings);

struct LoadResult {
  std::vector<ResolverLoad> clients;
  ResolverLoadTotal total;
};
// Per client, from its querywatch `queries` events; `clients` gives the resolver outages
// that choose each client's outage window, and dnsprobe's events the direct queries to
// take out of the counts.
LoadResult resolver_load(const RunContext& context, const EventsByAgent& by_agent,
                         const std::vector<ClientResult>& clients, const Anchors& anchors,
                         std::vector<std::string>& warnings);

// Nearest-rank percentile (p in 1..100) of sorted values; nullopt when there are none.
std::optional<double> nearest_rank(const std::vector<double>& sorted, int p);

// What a stream of probes sent inside the run adds up to.
struct ProbeTally {
  int64_t sent = 0;
  int64_t ok = 0;
  std::optional<double> success_ratio;    // ok / sent; absent when none was sent
  std::vector<double> latencies_ms;       // of the answered probes that measured one, sorted
  std::vector<Interval> outages;          // in send order; the last open if never answered again
  std::vector<double> success_by_bucket;  // per bucket from the run's start; -1 where none sent
};

// One stream of probes, each sent at its ts and answered or not: dnsprobe's queries to one
// target, reachprobe's probes of one pair. The callers read their own events and count
// failures by their own kinds; this keeps what they share in one place. An outage runs from
// the first failed probe's send time to the next answered probe's, so probes must be added
// in send order; only probes sent inside the run count.
class ProbeStream {
 public:
  ProbeStream(const Anchors& anchors, int64_t bucket_us);

  // Counts a probe sent at `ts`, and its latency when it was answered; false, counting
  // nothing, when it was sent outside the run.
  bool add(int64_t ts, bool ok, std::optional<int64_t> latency_us);
  // The tally after the last probe added.
  ProbeTally finish() &&;

 private:
  const Anchors& anchors_;
  int64_t bucket_us_;
  ProbeTally tally_;
  std::vector<int64_t> sent_, answered_;  // per bucket
  bool failing_ = false;  // not optional<int64_t>: GCC 12 warns falsely about it here
  int64_t failing_since_ = 0;
};

}  // namespace blastlab::measure::internal
