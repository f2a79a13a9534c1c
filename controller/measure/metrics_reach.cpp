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
  const int64_t span = anchors.end_ts - anchors.start_ts;
  const size_t buckets =
      static_cast<size_t>(std::max<int64_t>(1, (span + bucket_us - 1) / bucket_us));
  std::vector<int64_t> sent(buckets, 0), answered(buckets, 0);
  std::vector<double> rtts_ms;
  bool failing = false;
  int64_t failing_since = 0;
  for (const Event* e : events) {
    if (!is_pair(*e, pair)) continue;
    if (e->ts < anchors.start_ts || e->ts > anchors.end_ts) continue;
    if (std::string address = text_field(e->data, "address"); !address.empty()) m.address = address;
    const std::string outcome = text_field(e->data, "result");
    const bool ok = outcome == "ok";
    size_t bucket =
        std::min(buckets - 1, static_cast<size_t>((e->ts - anchors.start_ts) / bucket_us));
    ++m.probes;
    ++sent[bucket];
    if (ok) {
      ++m.ok;
      ++answered[bucket];
      if (std::optional<int64_t> rtt = int_field(e->data, "rtt_us"))
        rtts_ms.push_back(static_cast<double>(*rtt) / 1000.0);
      if (failing) result.outages.push_back({failing_since, e->ts});
      failing = false;
    } else {
      count_failure(m.failures, outcome);
      if (!failing) failing_since = e->ts;
      failing = true;
    }
  }
  if (failing) result.outages.push_back({failing_since, std::nullopt});

  if (m.probes > 0) m.success_ratio = static_cast<double>(m.ok) / static_cast<double>(m.probes);
  m.never_answered = m.probes > 0 && m.ok == 0;
  std::sort(rtts_ms.begin(), rtts_ms.end());
  m.rtt_p50_ms = nearest_rank(rtts_ms, 50);
  m.rtt_p95_ms = nearest_rank(rtts_ms, 95);
  for (size_t i = 0; i < buckets; ++i) {
    m.success_by_bucket.push_back(
        sent[i] == 0 ? -1 : static_cast<double>(answered[i]) / static_cast<double>(sent[i]));
  }
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
