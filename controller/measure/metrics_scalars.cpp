// The named scalar metrics a script's `expect` lines test (README, change-script section).
// Every name is listed once in kNames so that scripts are validated before a run; a value
// that the run did not produce (no rollback to measure recovery from, no answered query
// for a latency) is left out of the map, so an expectation on it fails as "not measured"
// rather than passing on a made-up zero.
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
  return total == 0 ? 1.0 : static_cast<double>(part) / static_cast<double>(total);
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
                                                  "vantage_prefixes.lost",
                                                  "clients.affected",
                                                  "clients.affected_fraction",
                                                  "withdraw.max_s",
                                                  "health.max_s",
                                                  "routes.lost_max_s",
                                                  "recovery.sites_s",
                                                  "recovery.prefixes_s",
                                                  "recovery.dns_s",
                                                  "recovery.all_s",
                                                  "recovery.complete",
                                                  "steps.failed",
                                                  "bgp.sessions_down"};
  return kNames;
}

std::map<std::string, double> scalar_metrics(const Metrics& m) {
  std::map<std::string, double> values;
  auto put = [&values](const char* name, std::optional<double> value) {
    if (value) values[name] = *value;
  };
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
  put("dns.success_ratio", m.dns_success_ratio);
  put("dns.anycast_success_ratio", ratio(anycast_ok, anycast_queries));
  put("dns.outage_max_s", outage_max);
  put("dns.latency_p95_ms", max_of(m.clients, [](const ClientTargetMetrics& c) {
        return c.target == "resolver" ? c.latency_p95_ms : std::nullopt;
      }));

  // The total over every client; the ratio reads 0 when it cannot be known (no querywatch,
  // no change, a silent baseline), so `resolver.load_ratio < 10` holds on such a run
  // rather than failing as unmeasured.
  put("resolver.load_ratio", m.resolver_load_total.ratio.value_or(0));
  put("resolver.baseline_qps", m.resolver_load_total.baseline_qps);
  put("resolver.outage_qps", m.resolver_load_total.outage_qps);
  // The busiest second after the change against the baseline, the worst client's: a
  // resolver's retries come in a burst before its infrastructure cache gives the servers up.
  std::optional<double> peak_ratio;
  for (const auto& load : m.resolver_load) {
    if (!load.peak_qps || !load.baseline_qps || *load.baseline_qps <= 0) continue;
    double r = *load.peak_qps / *load.baseline_qps;
    if (!peak_ratio || r > *peak_ratio) peak_ratio = r;
  }
  put("resolver.peak_ratio", peak_ratio);

  put("sites.withdrawn", radius.sites_withdrawn);
  put("sites.withdrawn_fraction", radius.sites_fraction);
  put("sites.total", radius.sites_total);
  put("sites.degraded",
      static_cast<double>(std::count_if(m.sites.begin(), m.sites.end(),
                                        [](const SiteMetrics& site) { return site.degraded; })));
  put("prefixes.lost", radius.prefixes_lost);
  put("prefixes.lost_fraction", radius.prefixes_fraction);
  std::set<std::string> anycast_lost, covering_lost;
  for (const PrefixAtVantage& route : m.routes) {
    if (route.kind == "anycast" && route.lost) anycast_lost.insert(route.prefix);
    if (route.kind == "covering" && route.lost) covering_lost.insert(route.prefix);
  }
  put("prefixes.anycast_lost", static_cast<double>(anycast_lost.size()));
  put("prefixes.covering_lost", static_cast<double>(covering_lost.size()));
  put("vantage_prefixes.lost", radius.vantage_prefixes_lost);
  put("clients.affected", radius.clients_affected);
  put("clients.affected_fraction", radius.clients_fraction);

  put("withdraw.max_s",
      max_of(m.sites, [](const SiteMetrics& s) { return s.withdrawn_after.measured_s; }));
  put("health.max_s",
      max_of(m.sites, [](const SiteMetrics& s) { return s.health_failed.measured_s; }));
  put("routes.lost_max_s",
      max_of(m.routes, [](const PrefixAtVantage& r) { return r.lost_after.measured_s; }));

  put("recovery.sites_s", m.recovery.sites_s);
  put("recovery.prefixes_s", m.recovery.prefixes_s);
  put("recovery.dns_s", m.recovery.dns_s);
  put("recovery.all_s", m.recovery.all_s);
  put("recovery.complete", m.recovery.complete ? 1.0 : 0.0);

  put("steps.failed",
      static_cast<double>(std::count_if(m.steps.begin(), m.steps.end(),
                                        [](const StepRecord& s) { return s.state == "failed"; })));
  // Distinct sessions that went down after the change (the whole run without a change):
  // a flapping session is one session hurt, not many.
  std::set<std::pair<std::string, std::string>> down;
  for (const BgpSessionChange& change : m.bgp) {
    if (change.state == "down" && change.at_s >= m.change_s.value_or(0)) {
      down.insert({change.node, change.peer});
    }
  }
  put("bgp.sessions_down", static_cast<double>(down.size()));
  return values;
}

}  // namespace blastlab::measure
