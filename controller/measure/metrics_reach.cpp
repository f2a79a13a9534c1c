// Per reachability pair (a source node, a target, a protocol), from the source's reachprobe
// `probe` events: probes and answers, round-trip times, failures by kind, outage windows,
// when the pair was lost after the change and regained after the rollback, and success per
// time bucket. Outages are dnsprobe's: a probe's ts is when it was sent, and an outage runs
// from the first failed probe's send time to the next answered probe's. Only probes sent
// inside the run count.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "controller/measure/metrics_internal.hpp"

namespace blastlab::measure::internal {
namespace {

bool is_pair(const Event& e, const ReachPair& pair) {
  if (e.event != "probe" || text_field(e.data, "target") != pair.target) return false;
  if (text_field(e.data, "proto") != pair.proto) return false;
  return pair.proto != "tcp" || int_field(e.data, "port").value_or(0) == pair.port;
}

void count_failure(ReachFailures& failures, const std::string& result) {
  if (result == "timeout") {
    ++failures.timeout;
  } else if (result == "unreachable") {
    ++failures.unreachable;
  } else if (result == "refused") {
    ++failures.refused;
  } else {
    ++failures.other;
  }
}

ReachResult measure_pair(const ReachPair& pair, const EventList& events, const Anchors& anchors,
                         int64_t bucket_us) {
  ReachResult result{.metrics = {.from = pair.from,
                                 .target = pair.target,
                                 .proto = pair.proto,
                                 .port = pair.port,
                                 .address = pair.address}};
  ReachPairMetrics& m = result.metrics;
  ProbeStream stream(anchors, bucket_us);
  for (const Event* e : events) {
    if (!is_pair(*e, pair)) continue;
    const std::string outcome = text_field(e->data, "result");
    if (!stream.add(e->ts, outcome == "ok", int_field(e->data, "rtt_us"))) continue;
    if (outcome != "ok") count_failure(m.failures, outcome);
    if (std::string address = text_field(e->data, "address"); !address.empty()) m.address = address;
  }
  ProbeTally tally = std::move(stream).finish();
  m.probes = tally.sent;
  m.ok = tally.ok;
  m.success_ratio = tally.success_ratio;
  m.never_answered = m.probes > 0 && m.ok == 0;
  m.rtt_p50_ms = nearest_rank(tally.latencies_ms, 50);
  m.rtt_p95_ms = nearest_rank(tally.latencies_ms, 95);
  m.success_by_bucket = std::move(tally.success_by_bucket);
  result.outages = std::move(tally.outages);
  m.outages = to_windows(result.outages, anchors);
  const int64_t from = anchors.observe_from();
  for (const Interval& outage : result.outages) {
    if (!overlaps_from(outage, from, anchors)) continue;
    m.lost = true;
    m.outage_s += seconds(covered_from(outage, from, anchors));
  }
  if (anchors.change_ts) {
    for (const Interval& outage : result.outages) {
      if (outage.from < *anchors.change_ts || outage.from > anchors.end_ts) continue;
      m.lost_after_change_s = seconds(outage.from - *anchors.change_ts);
      break;
    }
  }
  const Interval* last = last_in_run(result.outages, anchors);
  if (anchors.rollback_ts && last && m.lost) {
    std::optional<int64_t> end = ended_in_run(*last, anchors);
    if (end && *end >= *anchors.rollback_ts)
      m.regained_after_rollback_s = seconds(*end - *anchors.rollback_ts);
  }
  return result;
}

std::string pair_text(const ReachPair& pair) {
  return pair.proto == "tcp" ? fmt::format("{} → {} (tcp {})", pair.from, pair.target, pair.port)
                             : fmt::format("{} → {} (icmp)", pair.from, pair.target);
}

}  // namespace

std::vector<ReachResult> reach_metrics(const RunContext& context, const EventsByAgent& by_agent,
                                       const Anchors& anchors, std::vector<std::string>& warnings) {
  const int64_t bucket_us = context.bucket_us > 0 ? context.bucket_us : 1'000'000;
  std::vector<ReachResult> pairs;
  std::set<std::string> silent;
  for (const ReachPair& pair : context.reach_pairs) {
    const EventList& events = events_of(by_agent, "reachprobe", pair.from);
    if (events.empty()) {
      if (silent.insert(pair.from).second)
        warnings.push_back(fmt::format("reachprobe on {} wrote no events", pair.from));
      ReachResult result{.metrics = {.from = pair.from,
                                     .target = pair.target,
                                     .proto = pair.proto,
                                     .port = pair.port,
                                     .address = pair.address,
                                     .no_events = true}};
      pairs.push_back(std::move(result));
      continue;
    }
    pairs.push_back(measure_pair(pair, events, anchors, bucket_us));
    const ReachPairMetrics& m = pairs.back().metrics;
    if (m.never_answered) {
      warnings.push_back(
          fmt::format("{} never answered: {} probe(s), none ok", pair_text(pair), m.probes));
    } else if (m.probes == 0) {
      warnings.push_back(fmt::format("{} sent no probe inside the run", pair_text(pair)));
    }
  }
  return pairs;
}

}  // namespace blastlab::measure::internal
