// Per DNS site, from its healthd events: when its health checks failed, when it withdrew
// (or degraded) its anycast announcement, when it announced again, and the windows in
// which it was not announcing. Only announcement events with ok=true count: when bgpd
// refused the change (ok=false) the announcement did not change and healthd retries.
#include <fmt/format.h>

#include "controller/measure/metrics_internal.hpp"

namespace blastlab::measure::internal {
namespace {

bool is_announcement(const Event& event) {
  return event.event == "announce" || event.event == "withdraw" || event.event == "degrade";
}

void measure_from(Delay& delay, int64_t ts, std::optional<int64_t> anchor) {
  if (anchor && !delay.measured_s) delay.measured_s = seconds(ts - *anchor);
}

SiteMetrics measure_site(const SiteInfo& site, const RunContext& context, const EventList& events,
                         const Anchors& anchors) {
  SiteMetrics m{.node = site.node,
                .pop = site.pop,
                .health_failed = predicted_health_failure(context.timers),
                .withdrawn_after = predicted_withdrawal(context.timers),
                .reannounced_after = predicted_reannounce(context.timers)};
  const int64_t from = anchors.observe_from();
  for (const Event* e : events) {
    if (e->ts < from || e->ts > anchors.end_ts) continue;
    if (e->event == "target" && text_field(e->data, "state") == "down") {
      measure_from(m.health_failed, e->ts, anchors.change_ts);
    } else if (e->event == "site" && text_field(e->data, "state") == "fail-static") {
      m.fail_static = true;
    } else if (e->event == "site" && text_field(e->data, "state") == "guarded") {
      m.guarded = true;
    } else if ((e->event == "withdraw" || e->event == "degrade") && true_field(e->data, "ok")) {
      // With action degrade a broken local name server still withdraws; whichever comes
      // first is when the site stopped attracting traffic as it did before.
      (e->event == "withdraw" ? m.withdrawn : m.degraded) = true;
      measure_from(m.withdrawn_after, e->ts, anchors.change_ts);
    } else if (e->event == "announce" && true_field(e->data, "ok") && anchors.rollback_ts &&
               e->ts >= *anchors.rollback_ts) {
      measure_from(m.reannounced_after, e->ts, anchors.rollback_ts);
    }
  }
  m.withdrawn_windows = to_windows(site_down_intervals(events), anchors);
  return m;
}

}  // namespace

std::vector<Interval> site_down_intervals(const EventList& events) {
  // Before its first announcement event the site is taken to be announcing: the lab only
  // counts as converged once every DNS host announced, and runs start on a converged lab.
  // A flag and a time rather than an optional: GCC 12 warns falsely (maybe-uninitialized)
  // about optional<int64_t> in loops like this one.
  std::vector<Interval> intervals;
  bool down = false;
  int64_t down_since = 0;
  for (const Event* e : events) {
    if (!is_announcement(*e) || !true_field(e->data, "ok")) continue;
    if (e->event == "announce") {
      if (down) intervals.push_back({down_since, e->ts});
      down = false;
    } else if (!down) {
      down = true;  // withdraw -> degrade (or back) stays one window
      down_since = e->ts;
    }
  }
  if (down) intervals.push_back({down_since, std::nullopt});
  return intervals;
}

std::vector<SiteMetrics> site_metrics(const RunContext& context, const EventsByAgent& by_agent,
                                      const Anchors& anchors, std::vector<std::string>& warnings) {
  std::vector<SiteMetrics> sites;
  for (const SiteInfo& site : context.sites) {
    const EventList& events = events_of(by_agent, "healthd", site.node);
    sites.push_back(measure_site(site, context, events, anchors));
    if (events.empty()) {
      sites.back().no_events = true;
      warnings.push_back(fmt::format("healthd on {} wrote no events", site.node));
    }
  }
  return sites;
}

}  // namespace blastlab::measure::internal
