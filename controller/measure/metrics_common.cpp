// The arithmetic every section of the metrics shares: anchors and intervals (clipping to
// the run, coverage after an instant), lenient field access, percentiles, the tally of a
// stream of probes, and the predictions made from the configured timers.
#include <fmt/format.h>

#include <algorithm>

#include "controller/measure/metrics_internal.hpp"

namespace blastlab::measure::internal {

double seconds(int64_t us) {
  return static_cast<double>(us) / 1e6;
}

double Anchors::since_start(int64_t ts) const {
  return seconds(ts - start_ts);
}

std::optional<Window> to_window(const Interval& interval, const Anchors& anchors) {
  if (interval.to && *interval.to <= anchors.start_ts) return std::nullopt;
  if (interval.from > anchors.end_ts) return std::nullopt;
  int64_t from = std::max(interval.from, anchors.start_ts);
  Window window{.start_s = anchors.since_start(from)};
  if (std::optional<int64_t> to = ended_in_run(interval, anchors)) {
    window.end_s = anchors.since_start(*to);
    window.duration_s = seconds(*to - from);
  } else {
    window.duration_s = seconds(anchors.end_ts - from);
  }
  return window;
}

std::vector<Window> to_windows(const std::vector<Interval>& intervals, const Anchors& anchors) {
  std::vector<Window> windows;
  for (const Interval& interval : intervals) {
    if (std::optional<Window> window = to_window(interval, anchors)) windows.push_back(*window);
  }
  return windows;
}

bool overlaps_from(const Interval& interval, int64_t from, const Anchors& anchors) {
  if (!to_window(interval, anchors) || from > anchors.end_ts) return false;
  return !interval.to || *interval.to > from;
}

int64_t covered_from(const Interval& interval, int64_t from, const Anchors& anchors) {
  int64_t low = std::max({interval.from, from, anchors.start_ts});
  int64_t high = std::min(interval.to.value_or(anchors.end_ts), anchors.end_ts);
  return std::max<int64_t>(0, high - low);
}

std::optional<int64_t> ended_in_run(const Interval& interval, const Anchors& anchors) {
  if (interval.to && *interval.to <= anchors.end_ts) return interval.to;
  return std::nullopt;
}

const Interval* last_in_run(const std::vector<Interval>& intervals, const Anchors& anchors) {
  auto last = std::find_if(intervals.rbegin(), intervals.rend(),
                           [&](const Interval& i) { return i.from <= anchors.end_ts; });
  return last == intervals.rend() ? nullptr : &*last;
}

const EventList& events_of(const EventsByAgent& by_agent, const std::string& agent,
                           const std::string& node) {
  static const EventList kNone;
  auto it = by_agent.find({agent, node});
  return it == by_agent.end() ? kNone : it->second;
}

std::string text_field(const nlohmann::json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<int64_t> int_field(const nlohmann::json& data, const char* key) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

bool true_field(const nlohmann::json& data, const char* key) {
  auto it = data.find(key);
  return it != data.end() && it->is_boolean() && it->get<bool>();
}

std::optional<double> nearest_rank(const std::vector<double>& sorted, int p) {
  if (sorted.empty()) return std::nullopt;
  // The smallest value with at least p% of the values at or below it: rank ceil(p/100 * n).
  size_t n = sorted.size();
  size_t rank = (static_cast<size_t>(p) * n + 99) / 100;
  return sorted[std::clamp<size_t>(rank, 1, n) - 1];
}

ProbeStream::ProbeStream(const Anchors& anchors, int64_t bucket_us)
    : anchors_(anchors), bucket_us_(bucket_us) {
  const int64_t span = anchors.end_ts - anchors.start_ts;
  const size_t buckets =
      static_cast<size_t>(std::max<int64_t>(1, (span + bucket_us - 1) / bucket_us));
  sent_.assign(buckets, 0);
  answered_.assign(buckets, 0);
}

bool ProbeStream::add(int64_t ts, bool ok, std::optional<int64_t> latency_us) {
  if (ts < anchors_.start_ts || ts > anchors_.end_ts) return false;
  size_t bucket =
      std::min(sent_.size() - 1, static_cast<size_t>((ts - anchors_.start_ts) / bucket_us_));
  ++tally_.sent;
  ++sent_[bucket];
  if (ok) {
    ++tally_.ok;
    ++answered_[bucket];
    if (latency_us) tally_.latencies_ms.push_back(static_cast<double>(*latency_us) / 1000.0);
    if (failing_) tally_.outages.push_back({failing_since_, ts});
    failing_ = false;
  } else {
    if (!failing_) failing_since_ = ts;
    failing_ = true;
  }
  return true;
}

ProbeTally ProbeStream::finish() && {
  if (failing_) tally_.outages.push_back({failing_since_, std::nullopt});
  if (tally_.sent > 0) {
    tally_.success_ratio = static_cast<double>(tally_.ok) / static_cast<double>(tally_.sent);
  }
  std::sort(tally_.latencies_ms.begin(), tally_.latencies_ms.end());
  for (size_t i = 0; i < sent_.size(); ++i) {
    tally_.success_by_bucket.push_back(
        sent_[i] == 0 ? -1 : static_cast<double>(answered_[i]) / static_cast<double>(sent_[i]));
  }
  return std::move(tally_);
}

std::string seconds_text(int64_t ms) {
  return fmt::format("{:g} s", static_cast<double>(ms) / 1000.0);
}

// The change lands somewhere inside a check round, so the `fall`-th failing round ends
// between (fall-1) and fall intervals after it, and its result arrives at most one timeout
// later (a check that hangs is failed by its timeout).
Delay predicted_health_failure(const Timers& timers) {
  const int64_t interval = timers.health_interval_ms, timeout = timers.health_timeout_ms;
  return Delay{.prediction = Prediction::kRange,
               .predicted_min_s = seconds((timers.fall - 1) * interval * 1000),
               .predicted_max_s = seconds((timers.fall * interval + timeout) * 1000),
               .basis = fmt::format("fall {} × interval {} (+ timeout {})", timers.fall,
                                    seconds_text(interval), seconds_text(timeout))};
}

// healthd changes the announcement in the same round that marks the site down, so the
// withdrawal shares the health failure's range (the vtysh run adds milliseconds).
// fail-static keeps announcing when every target fails at once: no withdrawal expected.
Delay predicted_withdrawal(const Timers& timers) {
  if (timers.action == "fail-static") {
    return Delay{.prediction = Prediction::kKept,
                 .basis =
                     "action fail-static keeps announcing when every target fails at "
                     "once: not expected to withdraw"};
  }
  Delay delay = predicted_health_failure(timers);
  const char* verb = timers.action == "degrade" ? "degraded" : "withdrawn";
  delay.basis = fmt::format("{} in the same round as the health failure: {}", verb, delay.basis);
  return delay;
}

// After the rollback the checks pass again only once the IGP has re-formed its adjacencies
// (up to the OSPF dead interval) and the path to the backends is back; then `rise`
// passing rounds announce again, the last result up to one timeout late.
Delay predicted_reannounce(const Timers& timers) {
  const int64_t interval = timers.health_interval_ms, timeout = timers.health_timeout_ms;
  return Delay{
      .prediction = Prediction::kRange,
      .predicted_min_s = seconds((timers.rise - 1) * interval * 1000),
      .predicted_max_s = seconds((timers.rise * interval + timeout + timers.ospf_dead_ms) * 1000),
      .basis = fmt::format(
          "rise {} × interval {} (+ timeout {} + OSPF dead {}: the IGP must come back before "
          "the checks pass)",
          timers.rise, seconds_text(interval), seconds_text(timeout),
          seconds_text(timers.ospf_dead_ms))};
}

}  // namespace blastlab::measure::internal
