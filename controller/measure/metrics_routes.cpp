// Per vantage point and watched prefix, from its routewatch events: whether the prefix was
// there when the run started, the windows in which it was absent, and how long after the
// change it went and after the rollback it came back. A prefix's presence changes on a
// `route` add/remove for exactly that prefix, and a `dump` (the table when a watch began,
// again after a routewatch restart) sets it outright. Where it went: every `route` event
// for the prefix (add, remove, and `change`: another next hop, interface or protocol while
// it stayed present) is a NextHopChange, after the route the first dump found.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "controller/measure/metrics_internal.hpp"

namespace blastlab::measure::internal {
namespace {

// What one event says about the prefix's presence, if anything.
std::optional<bool> presence_after(const Event& e, const std::string& prefix) {
  if (e.event == "dump") {
    auto present = e.data.find("present");
    if (present == e.data.end() || !present->is_array()) return std::nullopt;
    return std::find(present->begin(), present->end(), prefix) != present->end();
  }
  if (e.event != "route" || text_field(e.data, "prefix") != prefix) return std::nullopt;
  std::string action = text_field(e.data, "action");
  if (action == "add") return true;
  if (action == "remove") return false;
  return std::nullopt;
}

struct PresenceHistory {
  std::vector<Interval> absences;
  std::vector<int64_t> losses;       // each present -> absent transition
  std::vector<int64_t> from_resync;  // transitions known only from a re-dump
};

PresenceHistory history_of(const EventList& events, const std::string& prefix) {
  // The state before the first event that speaks of the prefix is what that event implies:
  // a dump says it, an add means it was absent, a remove that it was there. Without any,
  // the prefix is taken to be present, as on the converged lab a run starts from.
  std::optional<bool> initial;
  for (const Event* e : events) {
    std::optional<bool> present = presence_after(*e, prefix);
    if (!present) continue;
    initial = e->event == "dump" ? *present : !*present;
    break;
  }
  PresenceHistory history;
  bool present = initial.value_or(true);
  // Absent since `absent_since` while !present (a time, not an optional: GCC 12 warns
  // falsely about optional<int64_t> here).
  int64_t absent_since = std::numeric_limits<int64_t>::min();
  for (const Event* e : events) {
    std::optional<bool> now = presence_after(*e, prefix);
    if (!now || *now == present) continue;
    present = *now;
    if (true_field(e->data, "resync")) history.from_resync.push_back(e->ts);
    if (!present) {
      absent_since = e->ts;
      history.losses.push_back(e->ts);
    } else {
      history.absences.push_back({absent_since, e->ts});
    }
  }
  if (!present) history.absences.push_back({absent_since, std::nullopt});
  return history;
}

// Anycast prefixes vanish when the last site withdraws; withdrawals propagate with MRAI 0,
// so the difference measured minus predicted is the propagation through the network.
void predict(PrefixAtVantage& m, const Timers& timers) {
  if (m.kind == "anycast" && timers.action == "withdraw") {
    m.lost_after = predicted_withdrawal(timers);
    m.lost_after.basis = "the last site's withdrawal: " + m.lost_after.basis;
    m.regained_after = predicted_reannounce(timers);
    m.regained_after.basis = "the first site's re-announcement: " + m.regained_after.basis;
    return;
  }
  // An operator prefix goes when the change cuts off what originates it, and any other
  // prefix watched (a loopback, a client network, a link) when the change cuts the path to
  // it: that depends on the change, not on timers, so there is no prediction.
  bool kept = m.kind == "anycast" || m.kind == "covering";
  Delay none{.prediction = kept ? Prediction::kKept : Prediction::kNone};
  none.basis =
      m.kind == "anycast"
          ? fmt::format("not expected to be lost: action {} keeps announcing", timers.action)
      : m.kind == "operator"
          ? "no prediction: an operator prefix goes when the change cuts off its origin"
      : kept ? fmt::format("not expected to be lost ({} prefix)", m.kind)
             : "no prediction: it goes when the change cuts the path to what originates it";
  m.lost_after = none;
  m.regained_after = none;
}

// The route events of the prefix inside the run, and the route the first dump saw at the
// run's start (when the dump said, which routewatch does from its `routes`).
std::vector<NextHopChange> next_hops_of(const EventList& events, const std::string& prefix,
                                        const Anchors& anchors) {
  std::vector<NextHopChange> hops;
  for (const Event* e : events) {
    if (e->event == "dump" && hops.empty()) {
      auto routes = e->data.find("routes");
      if (routes == e->data.end() || !routes->is_array()) continue;
      for (const auto& r : *routes) {
        if (!r.is_object() || text_field(r, "prefix") != prefix) continue;
        hops.push_back({.at_s = anchors.since_start(std::max(e->ts, anchors.start_ts)),
                        .action = "present",
                        .gateway = text_field(r, "gateway"),
                        .dev = text_field(r, "dev"),
                        .protocol = text_field(r, "protocol")});
      }
      continue;
    }
    if (e->event != "route" || text_field(e->data, "prefix") != prefix) continue;
    if (e->ts > anchors.end_ts) continue;
    std::string action = text_field(e->data, "action");
    bool removed = action == "remove";
    hops.push_back({.at_s = anchors.since_start(std::max(e->ts, anchors.start_ts)),
                    .action = action,
                    .gateway = removed ? "" : text_field(e->data, "gateway"),
                    .dev = removed ? "" : text_field(e->data, "dev"),
                    .protocol = text_field(e->data, "protocol")});
  }
  return hops;
}

RouteResult measure_route(const std::string& vantage, const WatchedPrefix& prefix,
                          const Timers& timers, const EventList& events, const Anchors& anchors) {
  RouteResult result{.metrics = {.vantage = vantage, .prefix = prefix.prefix, .kind = prefix.kind}};
  PrefixAtVantage& m = result.metrics;
  predict(m, timers);
  PresenceHistory history = history_of(events, prefix.prefix);
  result.absences = history.absences;
  const int64_t from = anchors.observe_from();
  m.present_at_start =
      std::none_of(history.absences.begin(), history.absences.end(), [&](const Interval& absence) {
        return absence.from <= anchors.start_ts && (!absence.to || *absence.to > anchors.start_ts);
      });
  for (const Interval& absence : history.absences) {
    if (!overlaps_from(absence, from, anchors)) continue;
    m.lost = true;
    m.absent_s += seconds(covered_from(absence, from, anchors));
  }
  m.absent_windows = to_windows(history.absences, anchors);
  m.next_hops = next_hops_of(events, prefix.prefix, anchors);
  m.approximate = std::any_of(history.from_resync.begin(), history.from_resync.end(),
                              [&](int64_t ts) { return ts >= from && ts <= anchors.end_ts; });
  if (anchors.change_ts) {
    for (int64_t loss : history.losses) {
      if (loss < *anchors.change_ts || loss > anchors.end_ts) continue;
      m.lost_after.measured_s = seconds(loss - *anchors.change_ts);
      break;
    }
  }
  if (m.lost && anchors.rollback_ts) {
    std::optional<int64_t> back = ended_in_run(*last_in_run(history.absences, anchors), anchors);
    if (back && *back >= *anchors.rollback_ts) {
      m.regained_after.measured_s = seconds(*back - *anchors.rollback_ts);
    }
  }
  return result;
}

}  // namespace

std::vector<RouteResult> route_metrics(const RunContext& context, const EventsByAgent& by_agent,
                                       const Anchors& anchors, std::vector<std::string>& warnings) {
  std::vector<RouteResult> routes;
  for (const std::string& vantage : context.vantages) {
    const EventList& events = events_of(by_agent, "routewatch", vantage);
    if (events.empty()) {
      warnings.push_back(fmt::format("routewatch on {} wrote no events", vantage));
    }
    for (const WatchedPrefix& prefix : context.prefixes) {
      if (events.empty()) {
        RouteResult result{.metrics = {.vantage = vantage,
                                       .prefix = prefix.prefix,
                                       .kind = prefix.kind,
                                       .no_events = true}};
        predict(result.metrics, context.timers);
        routes.push_back(std::move(result));
        continue;
      }
      routes.push_back(measure_route(vantage, prefix, context.timers, events, anchors));
      if (!routes.back().metrics.present_at_start) {
        warnings.push_back(
            fmt::format("{} was absent at {} when the run started", prefix.prefix, vantage));
      }
    }
  }
  return routes;
}

}  // namespace blastlab::measure::internal
