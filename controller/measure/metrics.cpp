// compute_metrics(): the run's anchors, its steps, BGP session changes, blast radius,
// recovery and warnings, around the per-site, per-route, per-client and resolver-load
// sections in metrics_sites.cpp, metrics_routes.cpp, metrics_dns.cpp, metrics_reach.cpp and
// metrics_load.cpp.
//
// Anchors. The run starts at the controller's `run` phase `start` event (the probes have
// started), or at the first event when there is none; it ends at the `run` phase `end`
// event, or at the last event. Events before the start (healthd and bgpd run from the
// lab's bring-up) only set the state the run starts in; measured things (windows, queries,
// session changes) are clipped to [start, end]. The change is the first `step` start whose
// kind is neither `wait` nor `rollback`, the rollback the first `rollback` step start.
//
// Recovery is measured from the rollback to the moment the last broken thing healed: every
// site not announcing after the change announcing again, every (vantage, prefix) absent
// after the change present again, every affected client's resolver answering again, every
// reachability pair answering again (in a run that probes reachability). A part
// that healed before the rollback counts 0; a part still broken at the run's end is absent
// and the recovery incomplete.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "controller/measure/metrics_internal.hpp"

namespace blastlab::measure {
namespace {

using internal::Anchors;
using internal::EventList;
using internal::EventsByAgent;
using internal::Interval;

bool is_controller(const Event& e, const char* kind) {
  return e.agent == "controller" && e.event == kind;
}

Anchors find_anchors(const EventList& timeline, Metrics& m) {
  Anchors anchors;
  const Event* run_start = nullptr;
  const Event* run_end = nullptr;
  std::optional<int64_t> change_index;
  bool applied = false;
  for (const Event* e : timeline) {
    if (is_controller(*e, "run")) {
      std::string phase = internal::text_field(e->data, "phase");
      if (phase == "start" && !run_start) run_start = e;
      if (phase == "end" && !run_end) run_end = e;
    } else if (is_controller(*e, "step")) {
      std::string state = internal::text_field(e->data, "state");
      std::string kind = internal::text_field(e->data, "kind");
      if (state == "start") {
        if (kind == "rollback" && !anchors.rollback_ts) anchors.rollback_ts = e->ts;
        if (changes_lab(kind) && !anchors.change_ts) {
          anchors.change_ts = e->ts;
          change_index = internal::int_field(e->data, "index");
        }
      } else if (state == "applying" && !applied && change_index &&
                 internal::int_field(e->data, "index") == change_index) {
        // A vtysh change is applied after its routers' configs are read: the first router
        // configured is the change's moment.
        anchors.change_ts = e->ts;
        applied = true;
      }
    }
  }
  if (!timeline.empty()) {
    anchors.start_ts = run_start ? run_start->ts : timeline.front()->ts;
    anchors.end_ts = std::max(anchors.start_ts, run_end ? run_end->ts : timeline.back()->ts);
  }
  if (run_end) {
    m.cut_short = internal::true_field(run_end->data, "cut_short");
    m.cut_short_reason = internal::text_field(run_end->data, "reason");
  } else {
    m.cut_short = true;
    m.cut_short_reason = "the run has no end event";
  }
  return anchors;
}

std::vector<StepRecord> step_records(const EventList& timeline, const Anchors& anchors,
                                     std::vector<std::string>& warnings) {
  std::map<int64_t, StepRecord> steps;
  for (const Event* e : timeline) {
    if (!is_controller(*e, "step")) continue;
    std::optional<int64_t> index = internal::int_field(e->data, "index");
    if (!index) continue;
    auto [it, added] = steps.try_emplace(*index);
    StepRecord& step = it->second;
    if (added) {
      step.index = static_cast<int>(*index);
      step.start_s = anchors.since_start(e->ts);
    }
    for (auto [key, field] : {std::pair{"name", &step.name}, std::pair{"kind", &step.kind},
                              std::pair{"detail", &step.detail}}) {
      if (std::string value = internal::text_field(e->data, key); !value.empty()) *field = value;
    }
    std::optional<StepState> state = step_state_from_string(internal::text_field(e->data, "state"));
    if (state == StepState::kRunning) {
      step.start_s = anchors.since_start(e->ts);
      step.state = *state;
    } else if (state == StepState::kDone || state == StepState::kFailed ||
               state == StepState::kRefused || state == StepState::kHalted) {
      step.end_s = anchors.since_start(e->ts);
      step.state = *state;
      step.error = internal::text_field(e->data, "error");
      // An audit's or a gate's verdict says more than what it was set to do.
      if (std::string verdict = internal::text_field(e->data, "verdict"); !verdict.empty())
        step.detail = verdict;
    } else if (state == StepState::kSkipped) {
      // Never started: an earlier step failed, refused or halted. Placed where it would have
      // begun.
      step.state = *state;
      step.end_s = step.start_s;
    }
  }
  std::vector<StepRecord> records;
  for (auto& [index, step] : steps) {
    std::string name = step.name.empty() ? fmt::format("step-{}", index) : step.name;
    if (step.state == StepState::kFailed) {
      warnings.push_back(step.error.empty()
                             ? fmt::format("step {} ({}) failed", index, name)
                             : fmt::format("step {} ({}) failed: {}", index, name, step.error));
    } else if (step.state == StepState::kSkipped) {
      warnings.push_back(fmt::format(
          "step {} ({}) was skipped: an earlier step failed, refused or halted", index, name));
    } else if (step.state == StepState::kRefused || step.state == StepState::kHalted) {
      warnings.push_back(
          fmt::format("step {} ({}) {}: {}", index, name, to_string(step.state), step.detail));
    } else if (step.state != StepState::kDone) {
      warnings.push_back(
          fmt::format("step {} ({}) was still running when the run ended", index, name));
    }
    records.push_back(std::move(step));
  }
  return records;
}

std::vector<BgpSessionChange> bgp_changes(const EventList& timeline, const Anchors& anchors) {
  std::vector<BgpSessionChange> changes;
  for (const Event* e : timeline) {
    if (e->agent != "bgpd" || e->event != "session") continue;
    if (e->ts < anchors.start_ts || e->ts > anchors.end_ts) continue;
    changes.push_back({.at_s = anchors.since_start(e->ts),
                       .node = e->node,
                       .peer = internal::text_field(e->data, "peer"),
                       .state = internal::text_field(e->data, "state"),
                       .peer_node = internal::text_field(e->data, "peer_node"),
                       .reason = internal::text_field(e->data, "reason")});
  }
  return changes;
}

// Events the run itself produces (its steps, the probes' queries) cannot legitimately
// precede its start: seeing some means a stale file from an earlier run or a clock problem.
void warn_events_before_start(const EventList& timeline, const Anchors& anchors,
                              std::vector<std::string>& warnings) {
  size_t count = 0;
  int64_t earliest = anchors.start_ts;
  for (const Event* e : timeline) {
    if (e->ts >= anchors.start_ts) break;
    bool ours = (e->agent == "controller" && e->event != "run") ||
                (e->agent == "dnsprobe" && e->event == "query");
    if (!ours) continue;
    ++count;
    earliest = std::min(earliest, e->ts);
  }
  if (count == 0) return;
  warnings.push_back(fmt::format(
      "{} controller or dnsprobe event(s) precede the run's start (the earliest by {:.3f} s); "
      "they are left out of the metrics",
      count, internal::seconds(anchors.start_ts - earliest)));
}

// Every hole in the measurement: each agent the run started that wrote nothing (from the
// sections' no_events), and each death or silence the controller saw while the run went
// (its `agent` events: state `dead` or `silent` opens a gap, `writing` closes it).
std::vector<MeasurementGap> measurement_gaps(const Metrics& m, const EventList& timeline,
                                             const Anchors& anchors) {
  std::vector<MeasurementGap> gaps;
  std::set<std::pair<std::string, std::string>> silent;
  auto wrote_nothing = [&](const char* agent, const std::string& node) {
    if (silent.insert({agent, node}).second) gaps.push_back({agent, node, "wrote nothing"});
  };
  for (const SiteMetrics& site : m.sites)
    if (site.no_events) wrote_nothing("healthd", site.node);
  for (const PrefixAtVantage& route : m.routes)
    if (route.no_events) wrote_nothing("routewatch", route.vantage);
  for (const ClientTargetMetrics& client : m.clients)
    if (client.no_events) wrote_nothing("dnsprobe", client.client);
  for (const ResolverLoad& load : m.resolver_load)
    if (load.no_events) wrote_nothing("querywatch", load.client);
  for (const ReachPairMetrics& pair : m.reach)
    if (pair.no_events) wrote_nothing("reachprobe", pair.from);

  std::map<std::pair<std::string, std::string>, size_t> open;  // -> index in gaps
  for (const Event* e : timeline) {
    if (!is_controller(*e, "agent")) continue;
    // The event's own `agent` and `node` are the controller's: the watched one is `name` `on`.
    std::pair<std::string, std::string> who{internal::text_field(e->data, "name"),
                                            internal::text_field(e->data, "on")};
    std::string state = internal::text_field(e->data, "state");
    if (state == "dead" || state == "silent") {
      if (open.count(who) || silent.count(who)) continue;
      open[who] = gaps.size();
      gaps.push_back({.agent = who.first,
                      .node = who.second,
                      .what = state == "dead" ? "died" : "fell silent",
                      .from_s = anchors.since_start(e->ts),
                      .detail = internal::text_field(e->data, "detail")});
    } else if (state == "writing") {
      if (auto it = open.find(who); it != open.end()) {
        gaps[it->second].to_s = anchors.since_start(e->ts);
        open.erase(it);
      }
    }
  }
  return gaps;
}

double fraction(int part, int total) {
  return total == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(total);
}

// Tracks when the last broken thing of one kind healed.
struct RecoveryPart {
  bool open = false;              // something was still broken at the run's end
  std::optional<int64_t> healed;  // when the last thing healed, if anything was broken

  // `intervals` of one thing (a site, a route, a client) in time order.
  void add(const std::vector<Interval>& intervals, const Anchors& anchors) {
    // The last interval that began inside the run decides: healed when it ended.
    const Interval* last = internal::last_in_run(intervals, anchors);
    if (!last || !internal::overlaps_from(*last, anchors.observe_from(), anchors)) return;
    std::optional<int64_t> end = internal::ended_in_run(*last, anchors);
    if (!end) {
      open = true;
      return;
    }
    healed = std::max(healed.value_or(*end), *end);
  }
  std::optional<double> from_rollback(const Anchors& anchors) const {
    if (open || !anchors.rollback_ts) return std::nullopt;
    if (!healed) return 0.0;  // nothing was broken: whole at the rollback
    return internal::seconds(std::max<int64_t>(0, *healed - *anchors.rollback_ts));
  }
};

Recovery recovery_of(const RunContext& context, const EventsByAgent& by_agent,
                     const std::vector<internal::RouteResult>& routes,
                     const std::vector<internal::ClientResult>& clients,
                     const std::vector<internal::ReachResult>& reach, const Anchors& anchors) {
  RecoveryPart sites, prefixes, dns, reachability;
  for (const internal::ReachResult& pair : reach) reachability.add(pair.outages, anchors);
  for (const SiteInfo& site : context.sites) {
    sites.add(internal::site_down_intervals(internal::events_of(by_agent, "healthd", site.node)),
              anchors);
  }
  for (const internal::RouteResult& route : routes) prefixes.add(route.absences, anchors);
  for (const internal::ClientResult& client : clients) {
    if (client.metrics.target == "resolver") dns.add(client.outages, anchors);
  }
  // Only what the run measures has a recovery: a lab without DNS sites has no `sites_s`
  // (not 0), one without resolver probes no `dns_s`. `all_s` is the largest of the parts
  // measured, and absent when one of them is.
  bool has_dns = std::any_of(clients.begin(), clients.end(), [](const internal::ClientResult& c) {
    return c.metrics.target == "resolver";
  });
  Recovery recovery;
  bool all_known = true;
  bool any = false;
  recovery.complete = true;
  auto part = [&](bool measured, const RecoveryPart& p, std::optional<double>& out) {
    if (!measured) return;
    any = true;
    out = p.from_rollback(anchors);
    recovery.complete = recovery.complete && !p.open;
    if (!out) {
      all_known = false;
    } else {
      recovery.all_s = std::max(recovery.all_s.value_or(0.0), *out);
    }
  };
  part(!context.sites.empty(), sites, recovery.sites_s);
  part(!routes.empty(), prefixes, recovery.prefixes_s);
  part(has_dns, dns, recovery.dns_s);
  part(!reach.empty(), reachability, recovery.reachability_s);
  if (!all_known || !any) recovery.all_s.reset();
  return recovery;
}

BlastRadius blast_radius_of(const RunContext& context, const Metrics& m,
                            const std::vector<internal::ClientResult>& clients,
                            const Anchors& anchors) {
  BlastRadius radius{.sites_total = static_cast<int>(m.sites.size()),
                     .prefixes_total = static_cast<int>(context.prefixes.size()),
                     .vantage_prefixes_total = static_cast<int>(m.routes.size()),
                     .clients_total = static_cast<int>(context.clients.size())};
  for (const SiteMetrics& site : m.sites) radius.sites_withdrawn += site.withdrawn ? 1 : 0;
  std::set<std::string> lost_prefixes;
  for (const PrefixAtVantage& route : m.routes) {
    if (!route.lost) continue;
    ++radius.vantage_prefixes_lost;
    lost_prefixes.insert(route.prefix);
  }
  radius.prefixes_lost = static_cast<int>(lost_prefixes.size());
  for (const internal::ClientResult& client : clients) {
    if (client.metrics.target != "resolver") continue;
    bool affected =
        std::any_of(client.outages.begin(), client.outages.end(), [&](const Interval& outage) {
          return internal::overlaps_from(outage, anchors.observe_from(), anchors);
        });
    radius.clients_affected += affected ? 1 : 0;
  }
  radius.sites_fraction = fraction(radius.sites_withdrawn, radius.sites_total);
  radius.prefixes_fraction = fraction(radius.prefixes_lost, radius.prefixes_total);
  radius.clients_fraction = fraction(radius.clients_affected, radius.clients_total);
  return radius;
}

}  // namespace

Metrics compute_metrics(const RunContext& context, const std::vector<Event>& events) {
  Metrics m{.lab = context.lab,
            .topology = context.topology,
            .script = context.script,
            .events = events.size()};
  // Sorted here too, not only by merge_events(): callers may hand over one agent's file or a
  // hand-built list, and dnsprobe's own file is in answer order, not send order.
  EventList timeline;
  timeline.reserve(events.size());
  for (const Event& e : events) timeline.push_back(&e);
  std::stable_sort(timeline.begin(), timeline.end(),
                   [](const Event* a, const Event* b) { return a->ts < b->ts; });
  EventsByAgent by_agent;
  for (const Event* e : timeline) by_agent[{e->agent, e->node}].push_back(e);

  Anchors anchors = find_anchors(timeline, m);
  m.start_ts = anchors.start_ts;
  m.end_ts = anchors.end_ts;
  m.duration_s = internal::seconds(anchors.end_ts - anchors.start_ts);
  if (anchors.change_ts) m.change_s = anchors.since_start(*anchors.change_ts);
  if (anchors.rollback_ts) m.rollback_s = anchors.since_start(*anchors.rollback_ts);
  if (m.cut_short) m.warnings.push_back("the run was cut short: " + m.cut_short_reason);
  warn_events_before_start(timeline, anchors, m.warnings);

  m.steps = step_records(timeline, anchors, m.warnings);
  m.sites = internal::site_metrics(context, by_agent, anchors, m.warnings);
  std::vector<internal::RouteResult> routes =
      internal::route_metrics(context, by_agent, anchors, m.warnings);
  for (const internal::RouteResult& route : routes) m.routes.push_back(route.metrics);
  std::vector<internal::ClientResult> clients =
      internal::client_metrics(context, by_agent, anchors, m.warnings);
  int64_t resolver_queries = 0, resolver_ok = 0;
  for (const internal::ClientResult& client : clients) {
    m.clients.push_back(client.metrics);
    if (client.metrics.target != "resolver") continue;
    resolver_queries += client.metrics.queries;
    resolver_ok += client.metrics.ok;
  }
  if (resolver_queries > 0) {
    m.dns_success_ratio = static_cast<double>(resolver_ok) / static_cast<double>(resolver_queries);
  }
  internal::LoadResult load =
      internal::resolver_load(context, by_agent, clients, anchors, m.warnings);
  m.resolver_load = std::move(load.clients);
  m.resolver_load_total = load.total;
  std::vector<internal::ReachResult> reach =
      internal::reach_metrics(context, by_agent, anchors, m.warnings);
  for (const internal::ReachResult& pair : reach) {
    m.reach.push_back(pair.metrics);
    ++m.reach_summary.pairs;
    m.reach_summary.pairs_lost += pair.metrics.lost ? 1 : 0;
    m.reach_summary.never_answered += pair.metrics.never_answered ? 1 : 0;
    m.reach_summary.probes += pair.metrics.probes;
    m.reach_summary.ok += pair.metrics.ok;
  }
  m.bgp = bgp_changes(timeline, anchors);
  m.blast_radius = blast_radius_of(context, m, clients, anchors);
  m.recovery = recovery_of(context, by_agent, routes, clients, reach, anchors);
  m.gaps = measurement_gaps(m, timeline, anchors);
  for (const MeasurementGap& gap : m.gaps) {
    if (!gap.from_s) continue;  // "wrote nothing" is warned about by its section
    std::string until = gap.to_s ? fmt::format("until {:.1f} s", *gap.to_s) : "until the end";
    m.warnings.push_back(fmt::format("{} on {} {} at {:.1f} s ({}){}", gap.agent, gap.node,
                                     gap.what, *gap.from_s, until,
                                     gap.detail.empty() ? "" : ": " + gap.detail));
  }
  return m;
}

}  // namespace blastlab::measure
