// Per client and target (its resolver, the anycast address directly), from its dnsprobe
// `query` events: success ratio, latency percentiles, failures by kind, outage windows and
// success per time bucket. A query's ts is when it was sent, so everything here is ordered
// by send time; the events arrive sorted because compute_metrics() sorts the whole timeline
// (dnsprobe writes a line when the answer or timeout comes, so its file is not sorted).
// Only queries sent inside the run count: probes start with the run.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "controller/measure/metrics_internal.hpp"

namespace blastlab::measure::internal {
namespace {

constexpr std::array<const char*, 2> kTargets = {"resolver", "anycast"};

void count_failure(FailureCounts& failures, const std::string& result) {
  if (result == "servfail") {
    ++failures.servfail;
  } else if (result == "timeout") {
    ++failures.timeout;
  } else if (result == "unreachable") {
    ++failures.unreachable;
  } else {
    ++failures.other;  // nxdomain, refused, rcode, error, or a result this reader predates
  }
}

ClientResult measure_target(const std::string& client, const std::string& target,
                            const EventList& events, const Anchors& anchors, int64_t bucket_us) {
  ClientResult result{.metrics = {.client = client, .target = target}};
  ClientTargetMetrics& m = result.metrics;
  ProbeStream stream(anchors, bucket_us);
  for (const Event* e : events) {
    if (e->event != "query" || text_field(e->data, "target") != target) continue;
    const std::string outcome = text_field(e->data, "result");
    if (!stream.add(e->ts, outcome == "ok", int_field(e->data, "latency_us"))) continue;
    if (outcome != "ok") count_failure(m.failures, outcome);
  }
  ProbeTally tally = std::move(stream).finish();
  m.queries = tally.sent;
  m.ok = tally.ok;
  m.success_ratio = tally.success_ratio;
  m.latency_p50_ms = nearest_rank(tally.latencies_ms, 50);
  m.latency_p95_ms = nearest_rank(tally.latencies_ms, 95);
  m.latency_p99_ms = nearest_rank(tally.latencies_ms, 99);
  m.success_by_bucket = std::move(tally.success_by_bucket);
  result.outages = std::move(tally.outages);
  m.outages = to_windows(result.outages, anchors);
  if (anchors.change_ts) {
    for (const Interval& outage : result.outages) {
      if (outage.from < *anchors.change_ts) continue;
      m.outage_start_after_change_s = seconds(outage.from - *anchors.change_ts);
      break;
    }
  }
  const Interval* last = last_in_run(result.outages, anchors);
  if (anchors.rollback_ts && last) {
    std::optional<int64_t> end = ended_in_run(*last, anchors);
    if (end && *end >= *anchors.rollback_ts) {
      m.recovered_after_rollback_s = seconds(*end - *anchors.rollback_ts);
    }
  }
  return result;
}

}  // namespace

std::vector<ClientResult> client_metrics(const RunContext& context, const EventsByAgent& by_agent,
                                         const Anchors& anchors,
                                         std::vector<std::string>& warnings) {
  // A zero or negative bucket would divide by zero; one second is the documented default.
  const int64_t bucket_us = context.bucket_us > 0 ? context.bucket_us : 1'000'000;
  std::vector<ClientResult> clients;
  for (const std::string& client : context.clients) {
    const EventList& events = events_of(by_agent, "dnsprobe", client);
    if (events.empty()) warnings.push_back(fmt::format("dnsprobe on {} wrote no events", client));
    for (const char* target : kTargets) {
      clients.push_back(measure_target(client, target, events, anchors, bucket_us));
      clients.back().metrics.no_events = events.empty();
    }
  }
  return clients;
}

}  // namespace blastlab::measure::internal
