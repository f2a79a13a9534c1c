// Reading report.json back into a Report, the inverse of report_json(): for comparing runs
// and re-rendering an old run's text or HTML. Reads versions 1 and 2. Strict about what
// the schema promises (every documented key present with its type, so a truncated or
// hand-edited file is named precisely) and lenient about what it does not know (keys added
// later are ignored).
#include <fmt/format.h>

#include <cmath>
#include <set>
#include <stdexcept>

#include "controller/report/json_field.hpp"
#include "controller/report/report.hpp"

namespace blastlab::report {

namespace {

using Field = JsonField;

measure::Delay read_delay(const Field& f) {
  measure::Delay delay{.measured_s = f.at("measured_s").optional_num(),
                       .basis = f.at("basis").str()};
  if (f.has("prediction")) {
    Field field = f.at("prediction");
    std::string word = field.str();
    auto prediction = measure::prediction_from_string(word);
    if (!prediction)
      field.fail(field.path(), "expected a prediction (range, kept, none), found \"" + word + "\"");
    delay.prediction = *prediction;
    if (delay.prediction == measure::Prediction::kRange) {
      delay.predicted_min_s = f.at("predicted_min_s").num();
      delay.predicted_max_s = f.at("predicted_max_s").num();
    }
    return delay;
  }
  // Version 1 had no `prediction`: a range has a positive upper end, a kept prefix or site
  // says "not expected" in its basis, anything else has none.
  delay.predicted_min_s = f.at("predicted_min_s").num();
  delay.predicted_max_s = f.at("predicted_max_s").num();
  delay.prediction = delay.predicted_max_s > 0 ? measure::Prediction::kRange
                     : delay.basis.find("not expected") != std::string::npos
                         ? measure::Prediction::kKept
                         : measure::Prediction::kNone;
  return delay;
}

std::vector<measure::Window> read_windows(const Field& f) {
  std::vector<measure::Window> windows;
  f.each([&](const Field& w) {
    windows.push_back(measure::Window{.start_s = w.at("start_s").num(),
                                      .end_s = w.at("end_s").optional_num(),
                                      .duration_s = w.at("duration_s").num()});
  });
  return windows;
}

measure::StepState read_step_state(const Field& f) {
  std::string text = f.str();
  if (auto state = measure::step_state_from_string(text)) return *state;
  f.fail(f.path(),
         "expected a step state (start, done, failed, refused, halted, skipped), found \"" + text +
             "\"");
}

measure::StepRecord read_step(const Field& f) {
  return measure::StepRecord{.index = static_cast<int>(f.at("index").integer()),
                             .name = f.at("name").str(),
                             .kind = f.at("kind").str(),
                             .detail = f.at("detail").str(),
                             .state = read_step_state(f.at("state")),
                             .start_s = f.at("start_s").num(),
                             .end_s = f.at("end_s").optional_num(),
                             .error = f.at("error").str()};
}

measure::SiteMetrics read_site(const Field& f) {
  measure::SiteMetrics site{.node = f.at("node").str(),
                            .pop = f.at("pop").str(),
                            .withdrawn = f.at("withdrawn").boolean(),
                            .degraded = f.at("degraded").boolean(),
                            .fail_static = f.at("fail_static").boolean(),
                            .health_failed = read_delay(f.at("health_failed")),
                            .withdrawn_after = read_delay(f.at("withdrawn_after")),
                            .reannounced_after = read_delay(f.at("reannounced_after")),
                            .withdrawn_windows = read_windows(f.at("withdrawn_windows")),
                            .no_events = f.at("no_events").boolean()};
  // Added to version 1 later: an older report has no `guarded`.
  if (f.has("guarded")) site.guarded = f.at("guarded").boolean();
  return site;
}

std::vector<measure::NextHopChange> read_next_hops(const Field& f) {
  std::vector<measure::NextHopChange> hops;
  f.each([&](const Field& h) {
    hops.push_back({.at_s = h.at("at_s").num(),
                    .action = h.at("action").str(),
                    .gateway = h.at("gateway").str(),
                    .dev = h.at("dev").str(),
                    .protocol = h.at("protocol").str()});
  });
  return hops;
}

measure::ReachPairMetrics read_reach_pair(const Field& f) {
  measure::ReachPairMetrics p;
  p.from = f.at("from").str();
  p.target = f.at("target").str();
  p.address = f.at("address").str();
  p.proto = f.at("proto").str();
  if (p.proto == "tcp") p.port = f.at("port").small_integer();
  p.probes = f.at("probes").integer();
  p.ok = f.at("ok").integer();
  p.success_ratio = f.at("success_ratio").optional_num();
  p.rtt_p50_ms = f.at("rtt_p50_ms").optional_num();
  p.rtt_p95_ms = f.at("rtt_p95_ms").optional_num();
  Field failures = f.at("failures");
  p.failures = {.timeout = failures.at("timeout").integer(),
                .unreachable = failures.at("unreachable").integer(),
                .refused = failures.at("refused").integer(),
                .other = failures.at("other").integer()};
  p.outages = read_windows(f.at("outages"));
  p.lost = f.at("lost").boolean();
  p.never_answered = f.at("never_answered").boolean();
  p.lost_after_change_s = f.at("lost_after_change_s").optional_num();
  p.regained_after_rollback_s = f.at("regained_after_rollback_s").optional_num();
  p.outage_s = f.at("outage_s").num();
  f.at("success_by_bucket").each([&](const Field& b) { p.success_by_bucket.push_back(b.num()); });
  p.no_events = f.at("no_events").boolean();
  return p;
}

measure::PrefixAtVantage read_route(const Field& f) {
  return measure::PrefixAtVantage{
      .vantage = f.at("vantage").str(),
      .prefix = f.at("prefix").str(),
      .kind = f.at("kind").str(),
      .present_at_start = f.at("present_at_start").boolean(),
      .lost = f.at("lost").boolean(),
      .lost_after = read_delay(f.at("lost_after")),
      .regained_after = read_delay(f.at("regained_after")),
      .absent_s = f.at("absent_s").num(),
      .absent_windows = read_windows(f.at("absent_windows")),
      // added in version 2
      .approximate = f.has("approximate") ? f.at("approximate").boolean() : false,
      // added to version 2 later
      .next_hops = f.has("next_hops") ? read_next_hops(f.at("next_hops"))
                                      : std::vector<measure::NextHopChange>{},
      .no_events = f.at("no_events").boolean()};
}

measure::ClientTargetMetrics read_client(const Field& f) {
  measure::ClientTargetMetrics c;
  c.client = f.at("client").str();
  c.target = f.at("target").str();
  c.queries = f.at("queries").integer();
  c.ok = f.at("ok").integer();
  c.success_ratio = f.at("success_ratio").optional_num();
  // Version 1 wrote 1 when no query was sent: that was no measurement.
  if (c.queries == 0) c.success_ratio.reset();
  c.latency_p50_ms = f.at("latency_p50_ms").optional_num();
  c.latency_p95_ms = f.at("latency_p95_ms").optional_num();
  c.latency_p99_ms = f.at("latency_p99_ms").optional_num();
  Field failures = f.at("failures");
  c.failures = measure::FailureCounts{.servfail = failures.at("servfail").integer(),
                                      .timeout = failures.at("timeout").integer(),
                                      .unreachable = failures.at("unreachable").integer(),
                                      .other = failures.at("other").integer()};
  c.outages = read_windows(f.at("outages"));
  c.outage_start_after_change_s = f.at("outage_start_after_change_s").optional_num();
  c.recovered_after_rollback_s = f.at("recovered_after_rollback_s").optional_num();
  f.at("success_by_bucket").each([&](const Field& b) { c.success_by_bucket.push_back(b.num()); });
  // Added in version 2; version 1 left a silent dnsprobe's clients at 0 queries.
  c.no_events = f.has("no_events") ? f.at("no_events").boolean() : false;
  return c;
}

measure::BlastRadius read_blast_radius(const Field& f) {
  auto count = [&](const char* key) { return static_cast<int>(f.at(key).integer()); };
  return measure::BlastRadius{.sites_withdrawn = count("sites_withdrawn"),
                              .sites_total = count("sites_total"),
                              .prefixes_lost = count("prefixes_lost"),
                              .prefixes_total = count("prefixes_total"),
                              .vantage_prefixes_lost = count("vantage_prefixes_lost"),
                              .vantage_prefixes_total = count("vantage_prefixes_total"),
                              .clients_affected = count("clients_affected"),
                              .clients_total = count("clients_total"),
                              .sites_fraction = f.at("sites_fraction").num(),
                              .prefixes_fraction = f.at("prefixes_fraction").num(),
                              .clients_fraction = f.at("clients_fraction").num()};
}

measure::Recovery read_recovery(const Field& f) {
  return measure::Recovery{.sites_s = f.at("sites_s").optional_num(),
                           .prefixes_s = f.at("prefixes_s").optional_num(),
                           .dns_s = f.at("dns_s").optional_num(),
                           // added to version 2 later
                           .reachability_s = f.has("reachability_s")
                                                 ? f.at("reachability_s").optional_num()
                                                 : std::nullopt,
                           .all_s = f.at("all_s").optional_num(),
                           .complete = f.at("complete").boolean()};
}

measure::ResolverLoad read_resolver_load(const Field& f) {
  return measure::ResolverLoad{.client = f.at("client").str(),
                               .baseline_queries = f.at("baseline_queries").integer(),
                               .baseline_s = f.at("baseline_s").num(),
                               .baseline_qps = f.at("baseline_qps").optional_num(),
                               .outage_queries = f.at("outage_queries").integer(),
                               .outage_s = f.at("outage_s").num(),
                               .outage_qps = f.at("outage_qps").optional_num(),
                               .ratio = f.at("ratio").optional_num(),
                               .peak_qps = f.at("peak_qps").optional_num(),
                               .peak_at_s = f.at("peak_at_s").optional_num(),
                               .basis = f.at("basis").str(),
                               .probe_queries_excluded = f.at("probe_queries_excluded").integer(),
                               .drops = f.at("drops").integer(),
                               .no_events = f.at("no_events").boolean()};
}

measure::ResolverLoadTotal read_resolver_load_total(const Field& f) {
  return measure::ResolverLoadTotal{.baseline_qps = f.at("baseline_qps").optional_num(),
                                    .outage_qps = f.at("outage_qps").optional_num(),
                                    .ratio = f.at("ratio").optional_num(),
                                    .clients = static_cast<int>(f.at("clients").integer())};
}

ExpectationResult read_expectation(const Field& f) {
  return ExpectationResult{.text = f.at("text").str(),
                           .where = f.at("where").str(),
                           .metric = f.at("metric").str(),
                           .op = f.at("op").str(),
                           .threshold = f.at("threshold").num(),
                           .value = f.at("value").optional_num(),
                           .missing = f.has("missing") ? f.at("missing").str() : "",
                           .passed = f.at("passed").boolean()};
}

}  // namespace

Report report_from_json(const nlohmann::json& json) {
  Field top(json, "report.json");
  if (top.at("schema").str() != "blastlab.report") {
    top.fail("schema", "expected \"blastlab.report\", found \"" + top.at("schema").str() + "\"");
  }
  int64_t version = top.at("schema_version").integer();
  if (version < 1 || version > measure::kReportSchemaVersion) {
    top.fail("schema_version", fmt::format("version {} is not one this blastlab reads (1 to {})",
                                           version, measure::kReportSchemaVersion));
  }
  Report report;
  auto& m = report.metrics;
  m.schema_version = static_cast<int>(version);
  m.lab = top.at("lab").str();
  m.topology = top.at("topology").str();
  m.script = top.at("script").str();
  Field run = top.at("run");
  m.start_ts = run.at("start_ts").integer();
  m.end_ts = run.at("end_ts").integer();
  m.duration_s = run.at("duration_s").num();
  m.change_s = run.at("change_s").optional_num();
  m.rollback_s = run.at("rollback_s").optional_num();
  m.cut_short = run.at("cut_short").boolean();
  m.cut_short_reason = run.at("cut_short_reason").str();
  report.bucket_us = std::llround(run.at("bucket_s").num() * 1e6);
  top.at("expectations").each([&](const Field& f) {
    report.expectations.push_back(read_expectation(f));
  });
  top.at("steps").each([&](const Field& f) { m.steps.push_back(read_step(f)); });
  top.at("sites").each([&](const Field& f) { m.sites.push_back(read_site(f)); });
  top.at("routes").each([&](const Field& f) { m.routes.push_back(read_route(f)); });
  top.at("clients").each([&](const Field& f) { m.clients.push_back(read_client(f)); });
  m.blast_radius = read_blast_radius(top.at("blast_radius"));
  m.recovery = read_recovery(top.at("recovery"));
  top.at("bgp").each([&](const Field& f) {
    m.bgp.push_back(measure::BgpSessionChange{.at_s = f.at("at_s").num(),
                                              .node = f.at("node").str(),
                                              .peer = f.at("peer").str(),
                                              .state = f.at("state").str()});
  });
  m.dns_success_ratio = top.at("dns_success_ratio").optional_num();
  // Version 1 wrote 1 when no resolver query was sent: that was no measurement.
  int64_t resolver_queries = 0;
  for (const auto& c : m.clients)
    if (c.target == "resolver") resolver_queries += c.queries;
  if (resolver_queries == 0) m.dns_success_ratio.reset();
  // Added to version 1 later (docs/report.md): a report written before has none to read.
  if (top.has("resolver_load")) {
    Field load = top.at("resolver_load");
    load.at("clients").each(
        [&](const Field& f) { m.resolver_load.push_back(read_resolver_load(f)); });
    m.resolver_load_total = read_resolver_load_total(load.at("total"));
  }
  // Added to version 2 later: a report written before probed no reachability.
  if (top.has("reachability")) {
    top.at("reachability").at("pairs").each([&](const Field& f) {
      m.reach.push_back(read_reach_pair(f));
      m.reach_summary.pairs += 1;
      m.reach_summary.pairs_lost += m.reach.back().lost ? 1 : 0;
      m.reach_summary.never_answered += m.reach.back().never_answered ? 1 : 0;
      m.reach_summary.probes += m.reach.back().probes;
      m.reach_summary.ok += m.reach.back().ok;
    });
  }
  Field events = top.at("events");
  int64_t count = events.at("count").integer();
  if (count < 0) top.fail("events.count", "expected a count, found a negative number");
  m.events = static_cast<size_t>(count);
  report.events_path = events.at("path").str();
  if (version >= 2) {
    top.at("gaps").each([&](const Field& f) {
      m.gaps.push_back(measure::MeasurementGap{.agent = f.at("agent").str(),
                                               .node = f.at("node").str(),
                                               .what = f.at("what").str(),
                                               .from_s = f.at("from_s").optional_num(),
                                               .to_s = f.at("to_s").optional_num(),
                                               .detail = f.at("detail").str()});
    });
    // The verdict is derived again from what was read; a document that says otherwise was
    // edited or written by a different rule.
    std::string said = top.at("verdict").str();
    if (!verdict_from_string(said)) {
      top.fail("verdict", "expected \"pass\", \"fail\" or \"incomplete\", found \"" + said + "\"");
    }
  } else {
    // A version 1 report knew no gaps but its agents that wrote nothing.
    std::set<std::pair<std::string, std::string>> silent;
    auto wrote_nothing = [&](bool no_events, const char* agent, const std::string& node) {
      if (no_events && silent.insert({agent, node}).second)
        m.gaps.push_back({agent, node, "wrote nothing"});
    };
    for (const auto& s : m.sites) wrote_nothing(s.no_events, "healthd", s.node);
    for (const auto& r : m.routes) wrote_nothing(r.no_events, "routewatch", r.vantage);
    for (const auto& c : m.clients) wrote_nothing(c.no_events, "dnsprobe", c.client);
    for (const auto& l : m.resolver_load) wrote_nothing(l.no_events, "querywatch", l.client);
  }
  top.at("warnings").each([&](const Field& f) { m.warnings.push_back(f.str()); });
  return report;
}

}  // namespace blastlab::report
