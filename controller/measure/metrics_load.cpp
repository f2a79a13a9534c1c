// Per client, the load its resolver put on the name servers, from its querywatch events
// (docs/events.md): one `queries` event per interval, stamped at the interval's end, with
// the real length of the interval and the UDP queries and TCP connections sent to the
// anycast name-server addresses in it.
//
// Windows. The baseline runs from the run's start to the change. The outage window is the
// union of the client's resolver outages (ClientTargetMetrics.outages of target
// "resolver") from the change on; a client whose resolver never failed is measured from the
// change to the rollback (or to the run's end without one), so a change that hurt nobody
// still says whether it moved the load. Without a change, the whole run is the baseline. An
// interval belongs to the window its midpoint falls in: intervals are about a second long
// and windows several, so splitting them would add precision the counts do not have. A
// window's rate is its intervals' queries over their total length.
//
// dnsprobe on the same client sends its `anycast` queries straight to a name-server
// address, and querywatch cannot tell them from the resolver's. They are taken out: every
// dnsprobe query sent to one of querywatch's targets inside an interval is subtracted from
// that interval's count (never below 0), except those that failed before a packet left
// (no route at connect(), a failed send()), which querywatch never saw.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

#include "controller/measure/metrics_internal.hpp"

namespace blastlab::measure::internal {
namespace {

// One querywatch interval, in µs of the host clock, with the resolver's queries in it.
struct Sample {
  int64_t from = 0;
  int64_t to = 0;
  int64_t queries = 0;
  int64_t midpoint() const { return from + (to - from) / 2; }
};

// A stretch of the run, [from, to) in µs.
struct Span {
  int64_t from = 0;
  int64_t to = 0;
};

// dnsprobe's words for a query that failed while being sent (agents/dnsprobe/udp_network.cpp):
// nothing reached the wire, so querywatch did not count it and nothing is taken out.
bool failed_before_sending(const Event& e) {
  static constexpr std::array<std::string_view, 6> kLocalSteps = {
      "open socket:", "set IP_RECVERR:", "bind to source address:",
      "connect:",     "send:",           "bad server address"};
  const std::string result = text_field(e.data, "result");
  if (result != "unreachable" && result != "error") return false;
  const std::string error = text_field(e.data, "error");
  return std::any_of(kLocalSteps.begin(), kLocalSteps.end(),
                     [&](std::string_view step) { return error.starts_with(step); });
}

// Every address querywatch counted for: its `start` targets (after a restart, of every
// start) and any by_target key, so a torn start line loses nothing.
std::set<std::string> targets_of(const EventList& events) {
  std::set<std::string> targets;
  for (const Event* e : events) {
    const char* key = e->event == "start" ? "targets" : "by_target";
    auto it = e->data.find(key);
    if (it == e->data.end()) continue;
    if (it->is_array()) {
      for (const auto& target : *it) {
        if (target.is_string()) targets.insert(target.get<std::string>());
      }
    } else if (it->is_object()) {
      for (const auto& [target, count] : it->items()) targets.insert(target);
    }
  }
  return targets;
}

// Send times of dnsprobe's queries that went straight to one of `targets`, sorted.
std::vector<int64_t> probe_sends(const EventList& dnsprobe, const std::set<std::string>& targets) {
  std::vector<int64_t> sends;
  for (const Event* e : dnsprobe) {
    if (e->event != "query" || !targets.contains(text_field(e->data, "server"))) continue;
    if (!failed_before_sending(*e)) sends.push_back(e->ts);
  }
  std::sort(sends.begin(), sends.end());
  return sends;
}

int64_t count_in(const std::vector<int64_t>& sorted, int64_t from, int64_t to) {
  return std::lower_bound(sorted.begin(), sorted.end(), to) -
         std::lower_bound(sorted.begin(), sorted.end(), from);
}

struct Rate {
  int64_t queries = 0;
  int64_t us = 0;
  std::optional<double> qps() const {
    if (us <= 0) return std::nullopt;
    return static_cast<double>(queries) / seconds(us);
  }
};

Rate rate_in(const std::vector<Sample>& samples, const std::vector<Span>& spans) {
  Rate rate;
  for (const Sample& s : samples) {
    const int64_t mid = s.midpoint();
    if (std::none_of(spans.begin(), spans.end(),
                     [&](const Span& w) { return mid >= w.from && mid < w.to; })) {
      continue;
    }
    rate.queries += s.queries;
    rate.us += s.to - s.from;
  }
  return rate;
}

// The outage window of one client and the words for it.
std::vector<Span> outage_spans(const std::vector<Interval>& outages, int64_t change,
                               const Anchors& anchors, std::string& basis) {
  std::vector<Span> spans;
  int64_t total = 0;
  for (const Interval& outage : outages) {
    Span span{std::max(outage.from, change),
              std::min(outage.to.value_or(anchors.end_ts), anchors.end_ts)};
    if (span.to <= span.from) continue;
    spans.push_back(span);
    total += span.to - span.from;
  }
  if (!spans.empty()) {
    basis = fmt::format("during the client's resolver outage ({} window{}, {:.1f} s)", spans.size(),
                        spans.size() == 1 ? "" : "s", seconds(total));
    return spans;
  }
  if (anchors.rollback_ts && *anchors.rollback_ts > change) {
    basis = "from the change to the rollback (the client's resolver had no outage)";
    return {{change, *anchors.rollback_ts}};
  }
  basis = "from the change to the run's end (the client's resolver had no outage)";
  return {{change, anchors.end_ts + 1}};
}

ResolverLoad measure_client(const std::string& client, const EventList& querywatch,
                            const EventList& dnsprobe, const std::vector<Interval>& outages,
                            const Anchors& anchors) {
  ResolverLoad load{.client = client};
  const std::vector<int64_t> sends = probe_sends(dnsprobe, targets_of(querywatch));
  std::vector<Sample> samples;
  for (const Event* e : querywatch) {
    if (e->event == "queries") {
      std::optional<int64_t> interval_ms = int_field(e->data, "interval_ms");
      if (!interval_ms || *interval_ms <= 0) continue;
      Sample sample{.from = e->ts - *interval_ms * 1000, .to = e->ts};
      if (sample.midpoint() < anchors.start_ts || sample.midpoint() > anchors.end_ts) continue;
      const int64_t sent =
          int_field(e->data, "udp").value_or(0) + int_field(e->data, "tcp").value_or(0);
      const int64_t probes = count_in(sends, sample.from, sample.to);
      sample.queries = std::max<int64_t>(0, sent - probes);
      load.probe_queries_excluded += sent - sample.queries;
      load.drops += int_field(e->data, "drops").value_or(0);
      samples.push_back(sample);
    }
  }

  std::vector<Span> baseline = {{anchors.start_ts, anchors.change_ts.value_or(anchors.end_ts + 1)}};
  Rate before = rate_in(samples, baseline);
  load.baseline_queries = before.queries;
  load.baseline_s = seconds(before.us);
  load.baseline_qps = before.qps();
  if (!anchors.change_ts) {
    load.basis = "no change: the whole run is the baseline";
  } else {
    Rate during = rate_in(samples, outage_spans(outages, *anchors.change_ts, anchors, load.basis));
    load.outage_queries = during.queries;
    load.outage_s = seconds(during.us);
    load.outage_qps = during.qps();
    if (load.baseline_qps && *load.baseline_qps > 0 && load.outage_qps) {
      load.ratio = *load.outage_qps / *load.baseline_qps;
    }
  }
  for (const Sample& s : samples) {
    if (s.midpoint() < anchors.observe_from() || s.to <= s.from) continue;
    double qps = static_cast<double>(s.queries) / seconds(s.to - s.from);
    if (!load.peak_qps || qps > *load.peak_qps) {
      load.peak_qps = qps;
      load.peak_at_s = anchors.since_start(s.to);
    }
  }
  return load;
}

}  // namespace

LoadResult resolver_load(const RunContext& context, const EventsByAgent& by_agent,
                         const std::vector<ClientResult>& clients, const Anchors& anchors,
                         std::vector<std::string>& warnings) {
  LoadResult result;
  for (const std::string& client : context.clients) {
    const EventList& querywatch = events_of(by_agent, "querywatch", client);
    if (querywatch.empty()) {
      result.clients.push_back({.client = client, .no_events = true});
      continue;
    }
    std::vector<Interval> outages;
    for (const ClientResult& c : clients) {
      if (c.metrics.client == client && c.metrics.target == "resolver") outages = c.outages;
    }
    result.clients.push_back(measure_client(
        client, querywatch, events_of(by_agent, "dnsprobe", client), outages, anchors));
  }

  ResolverLoadTotal& total = result.total;
  double baseline_of_both = 0, outage_of_both = 0;
  bool both = false;
  for (const ResolverLoad& load : result.clients) {
    if (load.no_events) continue;
    ++total.clients;
    if (load.baseline_qps) total.baseline_qps = total.baseline_qps.value_or(0) + *load.baseline_qps;
    if (load.outage_qps) total.outage_qps = total.outage_qps.value_or(0) + *load.outage_qps;
    if (load.baseline_qps && load.outage_qps) {
      both = true;
      baseline_of_both += *load.baseline_qps;
      outage_of_both += *load.outage_qps;
    }
    if (load.drops > 0) {
      warnings.push_back(fmt::format(
          "querywatch on {} lost {} packet(s) to a full socket buffer: its load is a lower bound",
          load.client, load.drops));
    }
  }
  if (both && baseline_of_both > 0) total.ratio = outage_of_both / baseline_of_both;
  // Runs without querywatch (older labs, scripts that do not start it) stay quiet; once one
  // client's querywatch wrote events, a silent one is a gap in the total.
  if (total.clients > 0) {
    for (const ResolverLoad& load : result.clients) {
      if (load.no_events) {
        warnings.push_back(fmt::format("querywatch on {} wrote no events", load.client));
      }
    }
  }
  return result;
}

}  // namespace blastlab::measure::internal
