// The named scalar metrics a script's `expect` lines and gates test (README, change-script
// section). Every name is listed once in kNames so that scripts are validated before a
// run. A value that the run did not produce (no rollback to measure recovery from, no
// answered query for a latency, an agent that wrote nothing or died) is left out of the
// values with the reason beside it, so an expectation on it fails naming why rather than
// passing on a made-up zero or one.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "controller/measure/metrics.hpp"

namespace blastlab::measure {
namespace {

// The largest present value, or nullopt when none is.
template <typename Items, typename Get>
std::optional<double> max_of(const Items& items, Get get) {
  std::optional<double> largest;
  for (const auto& item : items) {
    std::optional<double> value = get(item);
    if (value && (!largest || *value > *largest)) largest = value;
  }
  return largest;
}

double ratio(int64_t part, int64_t total) {
  return static_cast<double>(part) / static_cast<double>(total);
}

}  // namespace

const std::vector<std::string>& scalar_metric_names() {
  static const std::vector<std::string> kNames = {"dns.success_ratio",
                                                  "dns.anycast_success_ratio",
                                                  "dns.outage_max_s",
                                                  "dns.latency_p95_ms",
                                                  "resolver.load_ratio",
                                                  "resolver.baseline_qps",
                                                  "resolver.outage_qps",
                                                  "resolver.peak_ratio",
                                                  "sites.withdrawn",
                                                  "sites.withdrawn_fraction",
                                                  "sites.total",
                                                  "sites.degraded",
                                                  "prefixes.lost",
                                                  "prefixes.lost_fraction",
                                                  "prefixes.anycast_lost",
                                                  "prefixes.covering_lost",
                                                  "prefixes.covering_absent_max_s",
                                                  "vantage_prefixes.lost",
                                                  "clients.affected",
                                                  "clients.affected_fraction",
                                                  "withdraw.max_s",
                                                  "health.max_s",
                                                  "routes.lost_max_s",
                                                  "recovery.sites_s",
                                                  "recovery.prefixes_s",
                                                  "recovery.dns_s",
                                                  "recovery.reachability_s",
                                                  "recovery.all_s",
                                                  "recovery.complete",
                                                  "steps.failed",
                                                  "bgp.sessions_down",
                                                  "reachability.pairs",
                                                  "reachability.pairs_lost",
                                                  "reachability.pairs_lost_fraction",
                                                  "reachability.never_answered",
                                                  "reachability.success_ratio",
                                                  "reachability.outage_max_s"};
  return kNames;
}

std::string Scalars::why_missing(const std::string& name) const {
  auto it = missing.find(name);
  return it == missing.end() || it->second.empty() ? "not measured" : it->second;
}

namespace {

// What each agent measures, and how a lab without any says so.
struct Source {
  std::string_view agent;
  std::string_view none;  // the reason when nothing in the lab runs it
};
constexpr Source kDnsprobe{"dnsprobe", "no client runs dnsprobe (the script probes no DNS)"};
constexpr Source kQuerywatch{"querywatch", "no client runs querywatch (the script probes no DNS)"};
constexpr Source kHealthd{"healthd", "the lab has no DNS site running healthd"};
constexpr Source kRoutewatch{"routewatch", "no vantage point runs routewatch (no routes watched)"};
constexpr Source kReachprobe{"reachprobe",
                             "no node runs reachprobe (the script has no `probes.reach`)"};
constexpr Source kReachlisten{"reachlisten", ""};

// Why the data of `source` cannot be trusted whole, or "" when every instance wrote for the
// whole run. `instances` is how many the run started.
std::string gap_of(const Metrics& m, const Source& source, size_t instances) {
  if (instances == 0) return std::string(source.none);
  std::vector<std::string> holes;
  for (const MeasurementGap& gap : m.gaps) {
    if (gap.agent != source.agent) continue;
    std::string hole = fmt::format("{} on {} {}", gap.agent, gap.node, gap.what);
    if (gap.from_s) hole += fmt::format(" at {:.1f} s", *gap.from_s);
    holes.push_back(std::move(hole));
  }
  return fmt::format("{}", fmt::join(holes, "; "));
}

size_t distinct_clients(const Metrics& m) {
  std::set<std::string> names;
  for (const ClientTargetMetrics& c : m.clients) names.insert(c.client);
  return names.size();
}

size_t distinct_sources(const Metrics& m) {
  std::set<std::string> names;
  for (const ReachPairMetrics& p : m.reach) names.insert(p.from);
  return names.size();
}

size_t distinct_vantages(const Metrics& m) {
  std::set<std::string> names;
  for (const PrefixAtVantage& r : m.routes) names.insert(r.vantage);
  return names.size();
}

}  // namespace

Scalars scalar_metrics(const Metrics& m) {
  Scalars scalars;
  if (m.events == 0) {
    // Not even the controller wrote: nothing, not even a count of failed steps, was seen.
    for (const std::string& name : scalar_metric_names())
      scalars.missing[name] = "the run recorded no events";
    return scalars;
  }
  const std::string dnsprobe_gap = gap_of(m, kDnsprobe, distinct_clients(m));
  const std::string querywatch_gap = gap_of(m, kQuerywatch, m.resolver_load.size());
  const std::string healthd_gap = gap_of(m, kHealthd, m.sites.size());
  const std::string routewatch_gap = gap_of(m, kRoutewatch, distinct_vantages(m));
  // A TCP listener that died makes the probes to it fail as if the network did.
  std::string reach_gap = gap_of(m, kReachprobe, distinct_sources(m));
  if (reach_gap.empty()) reach_gap = gap_of(m, kReachlisten, 1);
  // `gap` first: data that is not whole gives no value even where one could be computed;
  // then `value`, with `otherwise` saying why it is absent.
  auto put = [&scalars](const char* name, const std::string& gap, std::optional<double> value,
                        std::string_view otherwise = "") {
    if (!gap.empty()) {
      scalars.missing[name] = gap;
    } else if (value) {
      scalars.values[name] = *value;
    } else {
      scalars.missing[name] = otherwise.empty() ? "not measured" : std::string(otherwise);
    }
  };
  auto count = [](auto n) { return std::optional<double>(static_cast<double>(n)); };
  const BlastRadius& radius = m.blast_radius;

  int64_t anycast_queries = 0, anycast_ok = 0;
  double outage_max = 0;
  for (const ClientTargetMetrics& c : m.clients) {
    if (c.target == "anycast") {
      anycast_queries += c.queries;
      anycast_ok += c.ok;
    } else if (c.target == "resolver") {
      for (const Window& w : c.outages) outage_max = std::max(outage_max, w.duration_s);
    }
  }
  put("dns.success_ratio", dnsprobe_gap, m.dns_success_ratio,
      "no query was sent through a resolver");
  put("dns.anycast_success_ratio", dnsprobe_gap,
      anycast_queries > 0 ? std::optional<double>(ratio(anycast_ok, anycast_queries))
                          : std::nullopt,
      "no query was sent straight to the anycast address");
  put("dns.outage_max_s", dnsprobe_gap, outage_max);
  put("dns.latency_p95_ms", dnsprobe_gap,
      max_of(m.clients,
             [](const ClientTargetMetrics& c) {
               return c.target == "resolver" ? c.latency_p95_ms : std::nullopt;
             }),
      "no query through a resolver was answered");

  // The resolvers' load needs querywatch's counts and dnsprobe's (its own queries are taken
  // out, and its outage windows say when to count).
  const std::string load_gap = !querywatch_gap.empty() ? querywatch_gap : dnsprobe_gap;
  const char* kNoRatio = "no baseline to compare with (no change, or no query before it)";
  put("resolver.load_ratio", load_gap, m.resolver_load_total.ratio, kNoRatio);
  put("resolver.baseline_qps", load_gap, m.resolver_load_total.baseline_qps,
      "no baseline (the script has no change)");
  put("resolver.outage_qps", load_gap, m.resolver_load_total.outage_qps,
      "no outage window to count in (no change)");
  // The busiest second after the change against the baseline, the worst client's: a
  // resolver's retries come in a burst before its infrastructure cache gives the servers up.
  std::optional<double> peak_ratio;
  for (const auto& load : m.resolver_load) {
    if (!load.peak_qps || !load.baseline_qps || *load.baseline_qps <= 0) continue;
    double r = *load.peak_qps / *load.baseline_qps;
    if (!peak_ratio || r > *peak_ratio) peak_ratio = r;
  }
  put("resolver.peak_ratio", load_gap, peak_ratio, kNoRatio);

  put("sites.withdrawn", healthd_gap, count(radius.sites_withdrawn));
  put("sites.withdrawn_fraction", healthd_gap, radius.sites_fraction);
  put("sites.total", "", count(radius.sites_total));
  put("sites.degraded", healthd_gap,
      count(std::count_if(m.sites.begin(), m.sites.end(),
                          [](const SiteMetrics& site) { return site.degraded; })));
  put("prefixes.lost", routewatch_gap, count(radius.prefixes_lost));
  put("prefixes.lost_fraction", routewatch_gap, radius.prefixes_fraction);
  std::set<std::string> anycast_lost, covering_lost;
  for (const PrefixAtVantage& route : m.routes) {
    if (route.kind == "anycast" && route.lost) anycast_lost.insert(route.prefix);
    if (route.kind == "covering" && route.lost) covering_lost.insert(route.prefix);
  }
  put("prefixes.anycast_lost", routewatch_gap, count(anycast_lost.size()));
  put("prefixes.covering_lost", routewatch_gap, count(covering_lost.size()));
  // How long a covering prefix stayed away at its worst vantage point: BGP path exploration
  // can take it away for tens of milliseconds while the peers find the remaining path, which
  // `covering_lost` counts as much as an hour without it.
  std::optional<double> covering_absent;
  for (const PrefixAtVantage& route : m.routes) {
    if (route.kind != "covering" || !route.present_at_start) continue;
    covering_absent = std::max(covering_absent.value_or(0.0), route.absent_s);
  }
  put("prefixes.covering_absent_max_s", routewatch_gap, covering_absent,
      "no covering prefix was watched where it was present at the start");
  put("vantage_prefixes.lost", routewatch_gap, count(radius.vantage_prefixes_lost));
  put("clients.affected", dnsprobe_gap, count(radius.clients_affected));
  put("clients.affected_fraction", dnsprobe_gap, radius.clients_fraction);

  put("withdraw.max_s", healthd_gap,
      max_of(m.sites, [](const SiteMetrics& s) { return s.withdrawn_after.measured_s; }),
      "no site withdrew after the change");
  put("health.max_s", healthd_gap,
      max_of(m.sites, [](const SiteMetrics& s) { return s.health_failed.measured_s; }),
      "no site's health check failed after the change");
  put("routes.lost_max_s", routewatch_gap,
      max_of(m.routes, [](const PrefixAtVantage& r) { return r.lost_after.measured_s; }),
      "no watched prefix was lost at a vantage point after the change");

  const std::string kNoRecovery =
      m.rollback_s ? "still broken when the run ended" : "the script has no rollback";
  put("recovery.sites_s", healthd_gap, m.recovery.sites_s, kNoRecovery);
  put("recovery.prefixes_s", routewatch_gap, m.recovery.prefixes_s, kNoRecovery);
  put("recovery.dns_s", dnsprobe_gap, m.recovery.dns_s, kNoRecovery);
  put("recovery.reachability_s", reach_gap, m.recovery.reachability_s, kNoRecovery);
  // The whole recovery needs every part that the lab has; a part nothing in the lab
  // measures (a lab without DNS sites) has nothing to recover.
  std::string whole_gap;
  for (auto [gap, instances] :
       {std::pair{&healthd_gap, m.sites.size()}, std::pair{&routewatch_gap, distinct_vantages(m)},
        std::pair{&dnsprobe_gap, distinct_clients(m)},
        std::pair{static_cast<const std::string*>(&reach_gap), distinct_sources(m)}}) {
    if (instances > 0 && !gap->empty() && whole_gap.empty()) whole_gap = *gap;
  }
  put("recovery.all_s", whole_gap, m.recovery.all_s, kNoRecovery);
  put("recovery.complete", whole_gap, m.recovery.complete ? 1.0 : 0.0);

  put("steps.failed", "",
      count(std::count_if(m.steps.begin(), m.steps.end(), [](const StepRecord& s) {
        return s.state == measure::StepState::kFailed;
      })));
  // Distinct sessions that went down after the change (the whole run without a change):
  // a flapping session is one session hurt, not many.
  std::set<std::pair<std::string, std::string>> down;
  for (const BgpSessionChange& change : m.bgp) {
    if (change.state == "down" && change.at_s >= m.change_s.value_or(0)) {
      down.insert({change.node, change.peer});
    }
  }
  put("bgp.sessions_down", "", count(down.size()));

  // Reachability: a pair is lost when it had an outage at or after the change (the whole
  // run without one), as a client is affected; the longest outage is any pair's.
  const ReachSummary& reach = m.reach_summary;
  const std::string& reach_or_none = reach_gap;
  put("reachability.pairs", m.reach.empty() ? reach_gap : "", count(reach.pairs));
  put("reachability.pairs_lost", reach_or_none, count(reach.pairs_lost));
  put("reachability.pairs_lost_fraction", reach_or_none,
      reach.pairs > 0 ? std::optional<double>(ratio(reach.pairs_lost, reach.pairs)) : std::nullopt);
  put("reachability.never_answered", reach_or_none, count(reach.never_answered));
  put("reachability.success_ratio", reach_or_none,
      reach.probes > 0 ? std::optional<double>(ratio(reach.ok, reach.probes)) : std::nullopt,
      "no probe was sent");
  double reach_outage_max = 0;
  for (const ReachPairMetrics& pair : m.reach)
    for (const Window& w : pair.outages)
      reach_outage_max = std::max(reach_outage_max, w.duration_s);
  put("reachability.outage_max_s", reach_or_none, reach_outage_max);
  return scalars;
}

}  // namespace blastlab::measure
