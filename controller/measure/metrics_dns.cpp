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
  const int64_t span = anchors.end_ts - anchors.start_ts;
  const size_t buckets =
      static_cast<size_t>(std::max<int64_t>(1, (span + bucket_us - 1) / bucket_us));
  std::vector<int64_t> sent(buckets, 0), answered(buckets, 0);
  std::vector<double> latencies_ms;
  bool failing = false;  // not optional<int64_t>: GCC 12 warns falsely about it here
  int64_t failing_since = 0;
  for (const Event* e : events) {
    if (e->event != "query" || text_field(e->data, "target") != target) continue;
    if (e->ts < anchors.start_ts || e->ts > anchors.end_ts) continue;
    const std::string outcome = text_field(e->data, "result");
    const bool ok = outcome == "ok";
    size_t bucket =
        std::min(buckets - 1, static_cast<size_t>((e->ts - anchors.start_ts) / bucket_us));
    ++m.queries;
    ++sent[bucket];
    if (ok) {
      ++m.ok;
      ++answered[bucket];
      if (std::optional<int64_t> latency = int_field(e->data, "latency_us")) {
        latencies_ms.push_back(static_cast<double>(*latency) / 1000.0);
      }
      if (failing) result.outages.push_back({failing_since, e->ts});
      failing = false;
    } else {
      count_failure(m.failures, outcome);
      if (!failing) failing_since = e->ts;
      failing = true;
    }
  }
  if (failing) result.outages.push_back({failing_since, std::nullopt});

  if (m.queries > 0) m.success_ratio = static_cast<double>(m.ok) / static_cast<double>(m.queries);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  m.latency_p50_ms = nearest_rank(latencies_ms, 50);
  m.latency_p95_ms = nearest_rank(latencies_ms, 95);
  m.latency_p99_ms = nearest_rank(latencies_ms, 99);
  for (size_t i = 0; i < buckets; ++i) {
    m.success_by_bucket.push_back(
        sent[i] == 0 ? -1 : static_cast<double>(answered[i]) / static_cast<double>(sent[i]));
  }
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

std::optional<double> nearest_rank(const std::vector<double>& sorted, int p) {
  if (sorted.empty()) return std::nullopt;
  // The smallest value with at least p% of the values at or below it: rank ceil(p/100 * n).
  size_t n = sorted.size();
  size_t rank = (static_cast<size_t>(p) * n + 99) / 100;
  return sorted[std::clamp<size_t>(rank, 1, n) - 1];
}

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
