// report.json: the machine-readable report, versioned as docs/report.md describes. Every
// Metrics field is written, absent optionals as null, so a consumer can tell "did not
// happen" from "not reported" and never has to guess at a key's presence.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "controller/measure/enum_words.hpp"
#include "controller/report/format.hpp"
#include "controller/report/report.hpp"

namespace blastlab::report {

namespace {

using Json = nlohmann::ordered_json;

Json optional_number(const std::optional<double>& value) {
  return value ? Json(*value) : Json(nullptr);
}

Json delay_json(const measure::Delay& delay) {
  bool range = delay.prediction == measure::Prediction::kRange;
  return Json{{"measured_s", optional_number(delay.measured_s)},
              {"prediction", to_string(delay.prediction)},
              {"predicted_min_s", range ? Json(delay.predicted_min_s) : Json(nullptr)},
              {"predicted_max_s", range ? Json(delay.predicted_max_s) : Json(nullptr)},
              {"basis", delay.basis}};
}

Json windows_json(const std::vector<measure::Window>& windows) {
  Json list = Json::array();
  for (const auto& w : windows) {
    list.push_back(Json{
        {"start_s", w.start_s}, {"end_s", optional_number(w.end_s)}, {"duration_s", w.duration_s}});
  }
  return list;
}

Json step_json(const measure::StepRecord& step) {
  return Json{{"index", step.index},
              {"name", step.name},
              {"kind", step.kind},
              {"detail", step.detail},
              {"state", std::string(measure::to_string(step.state))},
              {"start_s", step.start_s},
              {"end_s", optional_number(step.end_s)},
              {"error", step.error}};
}

Json site_json(const measure::SiteMetrics& site) {
  return Json{{"node", site.node},
              {"pop", site.pop},
              {"withdrawn", site.withdrawn},
              {"degraded", site.degraded},
              {"fail_static", site.fail_static},
              {"guarded", site.guarded},
              {"health_failed", delay_json(site.health_failed)},
              {"withdrawn_after", delay_json(site.withdrawn_after)},
              {"reannounced_after", delay_json(site.reannounced_after)},
              {"withdrawn_windows", windows_json(site.withdrawn_windows)},
              {"no_events", site.no_events}};
}

Json next_hops_json(const std::vector<measure::NextHopChange>& hops) {
  Json list = Json::array();
  for (const auto& h : hops) {
    list.push_back(Json{{"at_s", h.at_s},
                        {"action", h.action},
                        {"gateway", h.gateway},
                        {"dev", h.dev},
                        {"protocol", h.protocol}});
  }
  return list;
}

Json reach_pair_json(const measure::ReachPairMetrics& p) {
  return Json{{"from", p.from},
              {"target", p.target},
              {"address", p.address},
              {"proto", p.proto},
              {"port", p.proto == "tcp" ? Json(p.port) : Json(nullptr)},
              {"probes", p.probes},
              {"ok", p.ok},
              {"success_ratio", optional_number(p.success_ratio)},
              {"rtt_p50_ms", optional_number(p.rtt_p50_ms)},
              {"rtt_p95_ms", optional_number(p.rtt_p95_ms)},
              {"failures", Json{{"timeout", p.failures.timeout},
                                {"unreachable", p.failures.unreachable},
                                {"refused", p.failures.refused},
                                {"other", p.failures.other}}},
              {"outages", windows_json(p.outages)},
              {"lost", p.lost},
              {"never_answered", p.never_answered},
              {"lost_after_change_s", optional_number(p.lost_after_change_s)},
              {"regained_after_rollback_s", optional_number(p.regained_after_rollback_s)},
              {"outage_s", p.outage_s},
              {"success_by_bucket", p.success_by_bucket},
              {"no_events", p.no_events}};
}

Json reachability_json(const measure::Metrics& m) {
  const auto& r = m.reach_summary;
  Json pairs = Json::array();
  for (const auto& p : m.reach) pairs.push_back(reach_pair_json(p));
  return Json{{"pairs", pairs},
              {"pairs_total", r.pairs},
              {"pairs_lost", r.pairs_lost},
              {"pairs_lost_fraction",
               r.pairs > 0 ? Json(static_cast<double>(r.pairs_lost) / r.pairs) : Json(nullptr)},
              {"never_answered", r.never_answered},
              {"probes", r.probes},
              {"ok", r.ok},
              {"success_ratio",
               r.probes > 0 ? Json(static_cast<double>(r.ok) / static_cast<double>(r.probes))
                            : Json(nullptr)}};
}

Json route_json(const measure::PrefixAtVantage& route) {
  return Json{{"vantage", route.vantage},
              {"prefix", route.prefix},
              {"kind", route.kind},
              {"present_at_start", route.present_at_start},
              {"lost", route.lost},
              {"lost_after", delay_json(route.lost_after)},
              {"regained_after", delay_json(route.regained_after)},
              {"absent_s", route.absent_s},
              {"absent_windows", windows_json(route.absent_windows)},
              {"approximate", route.approximate},
              {"next_hops", next_hops_json(route.next_hops)},
              {"no_events", route.no_events}};
}

Json client_json(const measure::ClientTargetMetrics& client) {
  return Json{{"client", client.client},
              {"target", client.target},
              {"queries", client.queries},
              {"ok", client.ok},
              {"success_ratio", optional_number(client.success_ratio)},
              {"latency_p50_ms", optional_number(client.latency_p50_ms)},
              {"latency_p95_ms", optional_number(client.latency_p95_ms)},
              {"latency_p99_ms", optional_number(client.latency_p99_ms)},
              {"failures", Json{{"servfail", client.failures.servfail},
                                {"timeout", client.failures.timeout},
                                {"unreachable", client.failures.unreachable},
                                {"other", client.failures.other}}},
              {"outages", windows_json(client.outages)},
              {"outage_start_after_change_s", optional_number(client.outage_start_after_change_s)},
              {"recovered_after_rollback_s", optional_number(client.recovered_after_rollback_s)},
              {"success_by_bucket", client.success_by_bucket},
              {"no_events", client.no_events}};
}

Json blast_radius_json(const measure::BlastRadius& b) {
  return Json{{"sites_withdrawn", b.sites_withdrawn},
              {"sites_total", b.sites_total},
              {"sites_fraction", b.sites_fraction},
              {"prefixes_lost", b.prefixes_lost},
              {"prefixes_total", b.prefixes_total},
              {"prefixes_fraction", b.prefixes_fraction},
              {"vantage_prefixes_lost", b.vantage_prefixes_lost},
              {"vantage_prefixes_total", b.vantage_prefixes_total},
              {"clients_affected", b.clients_affected},
              {"clients_total", b.clients_total},
              {"clients_fraction", b.clients_fraction}};
}

Json recovery_json(const measure::Recovery& r) {
  return Json{{"sites_s", optional_number(r.sites_s)},
              {"prefixes_s", optional_number(r.prefixes_s)},
              {"dns_s", optional_number(r.dns_s)},
              {"reachability_s", optional_number(r.reachability_s)},
              {"all_s", optional_number(r.all_s)},
              {"complete", r.complete}};
}

Json resolver_load_json(const measure::Metrics& m) {
  Json clients = Json::array();
  for (const auto& load : m.resolver_load) {
    clients.push_back(Json{{"client", load.client},
                           {"baseline_queries", load.baseline_queries},
                           {"baseline_s", load.baseline_s},
                           {"baseline_qps", optional_number(load.baseline_qps)},
                           {"outage_queries", load.outage_queries},
                           {"outage_s", load.outage_s},
                           {"outage_qps", optional_number(load.outage_qps)},
                           {"ratio", optional_number(load.ratio)},
                           {"peak_qps", optional_number(load.peak_qps)},
                           {"peak_at_s", optional_number(load.peak_at_s)},
                           {"basis", load.basis},
                           {"probe_queries_excluded", load.probe_queries_excluded},
                           {"drops", load.drops},
                           {"no_events", load.no_events}});
  }
  const auto& total = m.resolver_load_total;
  return Json{{"clients", clients},
              {"total", Json{{"baseline_qps", optional_number(total.baseline_qps)},
                             {"outage_qps", optional_number(total.outage_qps)},
                             {"ratio", optional_number(total.ratio)},
                             {"clients", total.clients}}}};
}

Json expectation_json(const ExpectationResult& e) {
  return Json{{"text", e.text},     {"where", e.where},         {"metric", e.metric},
              {"op", e.op},         {"threshold", e.threshold}, {"value", optional_number(e.value)},
              {"passed", e.passed}, {"missing", e.missing}};
}

Json gap_json(const measure::MeasurementGap& gap) {
  return Json{{"agent", gap.agent},
              {"node", gap.node},
              {"what", gap.what},
              {"from_s", optional_number(gap.from_s)},
              {"to_s", optional_number(gap.to_s)},
              {"detail", gap.detail}};
}

template <typename T, typename F>
Json list_json(const std::vector<T>& items, F&& item_json) {
  Json list = Json::array();
  for (const auto& item : items) list.push_back(item_json(item));
  return list;
}

}  // namespace

bool Report::passed() const {
  for (const auto& e : expectations) {
    if (!e.passed) return false;
  }
  return true;
}

bool Report::steps_failed() const {
  return std::any_of(metrics.steps.begin(), metrics.steps.end(), [](const measure::StepRecord& s) {
    return s.state == measure::StepState::kFailed;
  });
}

Verdict Report::verdict() const {
  if (metrics.cut_short || !metrics.gaps.empty()) return Verdict::kIncomplete;
  if (!passed() || steps_failed()) return Verdict::kFail;
  return Verdict::kPass;
}

std::vector<std::string> Report::verdict_reasons() const {
  std::vector<std::string> reasons;
  const auto& m = metrics;
  if (m.cut_short) reasons.push_back("the run was cut short: " + m.cut_short_reason);
  for (const auto& gap : m.gaps) {
    std::string when = gap.from_s ? fmt::format(" at {:.1f} s", *gap.from_s) : "";
    reasons.push_back(fmt::format("{} on {} {}{}{}", gap.agent, gap.node, gap.what, when,
                                  gap.detail.empty() ? "" : " (" + gap.detail + ")"));
  }
  for (const auto& s : m.steps) {
    if (s.state == measure::StepState::kFailed)
      reasons.push_back(
          fmt::format("step {} failed{}", s.name, s.error.empty() ? "" : ": " + s.error));
  }
  for (const auto& e : expectations) {
    if (e.passed) continue;
    reasons.push_back(e.value ? fmt::format("expectation `{}` failed: {} = {}", e.text, e.metric,
                                            number(*e.value))
                              : fmt::format("expectation `{}` failed: {} has no value: {}", e.text,
                                            e.metric, e.missing));
  }
  return reasons;
}

namespace {

constexpr measure::EnumWords<Verdict, 3> kVerdictWords{{
    {Verdict::kIncomplete, "incomplete"},  // first: what an unlisted value would read as
    {Verdict::kPass, "pass"},
    {Verdict::kFail, "fail"},
}};

}  // namespace

std::string_view to_string(Verdict verdict) {
  return measure::word_of(kVerdictWords, verdict);
}

std::optional<Verdict> verdict_from_string(std::string_view text) {
  return measure::value_of(kVerdictWords, text);
}

nlohmann::ordered_json report_json(const Report& report) {
  const auto& m = report.metrics;
  Json bgp = Json::array();
  for (const auto& change : m.bgp) {
    bgp.push_back(Json{{"at_s", change.at_s},
                       {"node", change.node},
                       {"peer", change.peer},
                       {"state", change.state}});
  }
  return Json{
      {"schema", "blastlab.report"},
      {"schema_version", m.schema_version},
      {"lab", m.lab},
      {"topology", m.topology},
      {"script", m.script},
      {"run", Json{{"start_ts", m.start_ts},
                   {"end_ts", m.end_ts},
                   {"duration_s", m.duration_s},
                   {"change_s", optional_number(m.change_s)},
                   {"rollback_s", optional_number(m.rollback_s)},
                   {"cut_short", m.cut_short},
                   {"cut_short_reason", m.cut_short_reason},
                   {"bucket_s", static_cast<double>(report.bucket_us) / 1e6}}},
      {"verdict", std::string(to_string(report.verdict()))},
      {"verdict_reasons", report.verdict_reasons()},
      {"passed", report.passed()},
      {"expectations", list_json(report.expectations, expectation_json)},
      {"steps", list_json(m.steps, step_json)},
      {"sites", list_json(m.sites, site_json)},
      {"routes", list_json(m.routes, route_json)},
      {"clients", list_json(m.clients, client_json)},
      {"blast_radius", blast_radius_json(m.blast_radius)},
      {"recovery", recovery_json(m.recovery)},
      {"bgp", bgp},
      {"dns_success_ratio", optional_number(m.dns_success_ratio)},
      {"resolver_load", resolver_load_json(m)},
      {"reachability", reachability_json(m)},
      {"events", Json{{"count", m.events}, {"path", report.events_path}}},
      {"gaps", list_json(m.gaps, gap_json)},
      {"warnings", m.warnings},
  };
}

}  // namespace blastlab::report
