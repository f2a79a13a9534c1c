#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "controller/report/compare.hpp"
#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Json = nlohmann::json;

// report_json() reparsed as a plain json, as a consumer would read report.json.
Json written(const Report& report) {
  return Json::parse(report_json(report).dump());
}

std::vector<std::string> keys(const nlohmann::ordered_json& object) {
  std::vector<std::string> names;
  for (const auto& [key, value] : object.items()) names.push_back(key);
  return names;
}

TEST(ReportJsonTest, TopLevelKeysInSchemaOrder) {
  auto json = report_json(sample_report());
  EXPECT_THAT(keys(json),
              ElementsAre("schema", "schema_version", "lab", "topology", "script", "run", "verdict",
                          "verdict_reasons", "passed", "expectations", "steps", "sites", "routes",
                          "clients", "blast_radius", "recovery", "bgp", "dns_success_ratio",
                          "resolver_load", "reachability", "events", "gaps", "warnings"));
  EXPECT_EQ(json["schema"], "blastlab.report");
  EXPECT_EQ(json["schema_version"], 2);
  EXPECT_EQ(json["schema_version"], measure::kReportSchemaVersion);
}

TEST(ReportJsonTest, EveryObjectHasExactlyItsDocumentedKeys) {
  auto json = report_json(sample_report());
  EXPECT_THAT(keys(json["run"]),
              ElementsAre("start_ts", "end_ts", "duration_s", "change_s", "rollback_s", "cut_short",
                          "cut_short_reason", "bucket_s"));
  EXPECT_THAT(
      keys(json["expectations"][0]),
      ElementsAre("text", "where", "metric", "op", "threshold", "value", "passed", "missing"));
  EXPECT_THAT(keys(json["steps"][0]),
              ElementsAre("index", "name", "kind", "detail", "state", "start_s", "end_s", "error"));
  EXPECT_THAT(
      keys(json["sites"][0]),
      ElementsAre("node", "pop", "withdrawn", "degraded", "fail_static", "guarded", "health_failed",
                  "withdrawn_after", "reannounced_after", "withdrawn_windows", "no_events"));
  EXPECT_THAT(
      keys(json["sites"][0]["health_failed"]),
      ElementsAre("measured_s", "prediction", "predicted_min_s", "predicted_max_s", "basis"));
  EXPECT_THAT(keys(json["sites"][0]["withdrawn_windows"][0]),
              ElementsAre("start_s", "end_s", "duration_s"));
  EXPECT_THAT(keys(json["routes"][0]),
              ElementsAre("vantage", "prefix", "kind", "present_at_start", "lost", "lost_after",
                          "regained_after", "absent_s", "absent_windows", "approximate",
                          "next_hops", "no_events"));
  EXPECT_THAT(keys(json["clients"][0]),
              ElementsAre("client", "target", "queries", "ok", "success_ratio", "latency_p50_ms",
                          "latency_p95_ms", "latency_p99_ms", "failures", "outages",
                          "outage_start_after_change_s", "recovered_after_rollback_s",
                          "success_by_bucket", "no_events"));
  EXPECT_THAT(keys(json["clients"][0]["failures"]),
              ElementsAre("servfail", "timeout", "unreachable", "other"));
  EXPECT_THAT(keys(json["blast_radius"]),
              ElementsAre("sites_withdrawn", "sites_total", "sites_fraction", "prefixes_lost",
                          "prefixes_total", "prefixes_fraction", "vantage_prefixes_lost",
                          "vantage_prefixes_total", "clients_affected", "clients_total",
                          "clients_fraction"));
  EXPECT_THAT(keys(json["recovery"]),
              ElementsAre("sites_s", "prefixes_s", "dns_s", "reachability_s", "all_s", "complete"));
  EXPECT_THAT(keys(json["bgp"][0]), ElementsAre("at_s", "node", "peer", "state"));
  EXPECT_THAT(keys(json["events"]), ElementsAre("count", "path"));
  EXPECT_THAT(keys(json["resolver_load"]), ElementsAre("clients", "total"));
  EXPECT_THAT(keys(json["resolver_load"]["clients"][0]),
              ElementsAre("client", "baseline_queries", "baseline_s", "baseline_qps",
                          "outage_queries", "outage_s", "outage_qps", "ratio", "peak_qps",
                          "peak_at_s", "basis", "probe_queries_excluded", "drops", "no_events"));
  EXPECT_THAT(keys(json["resolver_load"]["total"]),
              ElementsAre("baseline_qps", "outage_qps", "ratio", "clients"));
}

TEST(ReportJsonTest, ValuesLandWhereTheSchemaSays) {
  Json j = written(sample_report());
  EXPECT_EQ(j["lab"], "minimal-t1");
  EXPECT_EQ(j["topology"], "topologies/minimal.yaml");
  EXPECT_EQ(j["script"], "scripts/fb-2021.yaml");
  EXPECT_EQ(j["run"]["start_ts"], 1714564800000000);
  EXPECT_EQ(j["run"]["end_ts"], 1714564840000000);
  EXPECT_EQ(j["run"]["duration_s"], 40.0);
  EXPECT_EQ(j["run"]["change_s"], 5.0);
  EXPECT_EQ(j["run"]["rollback_s"], 25.0);
  EXPECT_EQ(j["run"]["cut_short"], false);
  EXPECT_EQ(j["run"]["cut_short_reason"], "");
  EXPECT_EQ(j["run"]["bucket_s"], 1.0);
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["expectations"][0]["text"], "dns.success_ratio >= 0.99");
  EXPECT_EQ(j["expectations"][0]["where"], "scripts/fb-2021.yaml:31:5");
  EXPECT_EQ(j["expectations"][0]["metric"], "dns.success_ratio");
  EXPECT_EQ(j["expectations"][0]["op"], ">=");
  EXPECT_EQ(j["expectations"][0]["threshold"], 0.99);
  EXPECT_EQ(j["expectations"][0]["value"], 0.45);
  EXPECT_EQ(j["expectations"][2]["passed"], true);
  EXPECT_EQ(j["steps"][1]["index"], 1);
  EXPECT_EQ(j["steps"][1]["name"], "audit");
  EXPECT_EQ(j["steps"][1]["kind"], "vtysh");
  EXPECT_EQ(j["steps"][1]["detail"], "shut down every backbone link on bb1, bb2");
  EXPECT_EQ(j["steps"][1]["state"], "done");
  EXPECT_EQ(j["steps"][1]["start_s"], 5.0);
  EXPECT_EQ(j["steps"][1]["end_s"], 5.21);
  EXPECT_EQ(j["steps"][1]["error"], "");
  const Json& dns1 = j["sites"][0];
  EXPECT_EQ(dns1["node"], "dns1");
  EXPECT_EQ(dns1["pop"], "pop1");
  EXPECT_EQ(dns1["withdrawn"], true);
  EXPECT_EQ(dns1["degraded"], false);
  EXPECT_EQ(dns1["fail_static"], false);
  EXPECT_EQ(dns1["health_failed"], Json({{"measured_s", 2.54},
                                         {"prediction", "range"},
                                         {"predicted_min_s", 2.0},
                                         {"predicted_max_s", 3.5},
                                         {"basis", "fall 3 x interval 1s + timeout 0.5s"}}));
  EXPECT_EQ(dns1["withdrawn_after"]["measured_s"], 2.58);
  EXPECT_EQ(dns1["reannounced_after"]["measured_s"], 3.9);
  EXPECT_EQ(dns1["withdrawn_windows"],
            Json::parse(R"([{"start_s": 7.58, "end_s": 28.9, "duration_s": 21.32}])"));
  EXPECT_EQ(dns1["no_events"], false);
  const Json& route = j["routes"][0];
  EXPECT_EQ(route["vantage"], "transit1");
  EXPECT_EQ(route["prefix"], "198.51.100.0/26");
  EXPECT_EQ(route["kind"], "anycast");
  EXPECT_EQ(route["present_at_start"], true);
  EXPECT_EQ(route["lost"], true);
  EXPECT_EQ(route["lost_after"]["measured_s"], 2.7);
  EXPECT_EQ(route["regained_after"]["measured_s"], 4.1);
  EXPECT_DOUBLE_EQ(route["absent_s"].get<double>(), 21.4);
  EXPECT_EQ(route["absent_windows"][0]["start_s"], 7.7);
  EXPECT_EQ(route["no_events"], false);
  const Json& resolver = j["clients"][0];
  EXPECT_EQ(resolver["client"], "client1");
  EXPECT_EQ(resolver["target"], "resolver");
  EXPECT_EQ(resolver["queries"], 400);
  EXPECT_EQ(resolver["ok"], 180);
  EXPECT_EQ(resolver["success_ratio"], 0.45);
  EXPECT_EQ(resolver["latency_p50_ms"], 1.2);
  EXPECT_EQ(resolver["latency_p95_ms"], 4.8);
  EXPECT_EQ(resolver["latency_p99_ms"], 310.0);
  EXPECT_EQ(resolver["failures"],
            Json({{"servfail", 150}, {"timeout", 62}, {"unreachable", 0}, {"other", 8}}));
  EXPECT_EQ(resolver["outages"][0]["end_s"], 29.3);
  EXPECT_EQ(resolver["outage_start_after_change_s"], 2.9);
  EXPECT_EQ(resolver["recovered_after_rollback_s"], 4.3);
  ASSERT_EQ(resolver["success_by_bucket"].size(), 40u);
  EXPECT_EQ(resolver["success_by_bucket"][0], -1.0);
  EXPECT_EQ(resolver["success_by_bucket"][7], 0.5);
  EXPECT_EQ(j["blast_radius"]["sites_withdrawn"], 2);
  EXPECT_EQ(j["blast_radius"]["sites_total"], 2);
  EXPECT_EQ(j["blast_radius"]["sites_fraction"], 1.0);
  EXPECT_EQ(j["blast_radius"]["prefixes_lost"], 1);
  EXPECT_EQ(j["blast_radius"]["prefixes_total"], 2);
  EXPECT_EQ(j["blast_radius"]["prefixes_fraction"], 0.5);
  EXPECT_EQ(j["blast_radius"]["vantage_prefixes_lost"], 2);
  EXPECT_EQ(j["blast_radius"]["vantage_prefixes_total"], 4);
  EXPECT_EQ(j["blast_radius"]["clients_affected"], 1);
  EXPECT_EQ(j["blast_radius"]["clients_total"], 1);
  EXPECT_EQ(j["blast_radius"]["clients_fraction"], 1.0);
  EXPECT_EQ(j["recovery"], Json({{"sites_s", 4.1},
                                 {"prefixes_s", 4.2},
                                 {"dns_s", 4.3},
                                 {"reachability_s", nullptr},
                                 {"all_s", 4.3},
                                 {"complete", true}}));
  EXPECT_EQ(j["bgp"][0],
            Json({{"at_s", 8.1}, {"node", "bb1"}, {"peer", "198.18.0.5"}, {"state", "down"}}));
  EXPECT_EQ(j["dns_success_ratio"], 0.45);
  EXPECT_EQ(j["resolver_load"]["clients"][0],
            Json({{"client", "client1"},
                  {"baseline_queries", 50},
                  {"baseline_s", 5.0},
                  {"baseline_qps", 10.0},
                  {"outage_queries", 642},
                  {"outage_s", 21.4},
                  {"outage_qps", 30.0},
                  {"ratio", 3.0},
                  {"peak_qps", 52.0},
                  {"peak_at_s", 9.0},
                  {"basis", "during the client's resolver outage (1 window, 21.4 s)"},
                  {"probe_queries_excluded", 400},
                  {"drops", 0},
                  {"no_events", false}}));
  EXPECT_EQ(j["resolver_load"]["total"],
            Json({{"baseline_qps", 10.0}, {"outage_qps", 30.0}, {"ratio", 3.0}, {"clients", 1}}));
  EXPECT_EQ(j["events"], Json({{"count", 1234}, {"path", "/tmp/out/events.jsonl"}}));
  EXPECT_EQ(j["warnings"], Json::array({"routewatch on transit2: 1 torn line skipped"}));
}

TEST(ReportJsonTest, AbsentOptionalsAreNullNotMissing) {
  Report report;
  report.metrics.sites = {{.node = "dns1", .pop = "pop1"}};
  report.metrics.routes = {{.vantage = "transit1", .prefix = "198.51.100.0/26"}};
  report.metrics.clients = {{.client = "client1", .target = "resolver"}};
  report.metrics.steps = {
      {.index = 0, .name = "audit", .kind = "vtysh", .state = measure::StepState::kRunning}};
  report.metrics.resolver_load = {{.client = "client1", .no_events = true}};
  report.metrics.sites[0].withdrawn_windows = {window(3, std::nullopt, 7)};
  report.expectations = {{.text = "recovery.all_s <= 5", .metric = "recovery.all_s", .op = "<="}};
  Json j = written(report);
  auto expect_null = [&](const Json::json_pointer& pointer) {
    ASSERT_TRUE(j.contains(pointer)) << pointer.to_string() << " is missing";
    EXPECT_TRUE(j.at(pointer).is_null()) << pointer.to_string() << " = " << j.at(pointer);
  };
  for (const char* p : {"/run/change_s",
                        "/run/rollback_s",
                        "/recovery/sites_s",
                        "/recovery/prefixes_s",
                        "/recovery/dns_s",
                        "/recovery/all_s",
                        "/steps/0/end_s",
                        "/expectations/0/value",
                        "/sites/0/health_failed/measured_s",
                        "/sites/0/withdrawn_after/measured_s",
                        "/sites/0/reannounced_after/measured_s",
                        "/sites/0/withdrawn_windows/0/end_s",
                        "/routes/0/lost_after/measured_s",
                        "/routes/0/regained_after/measured_s",
                        "/clients/0/latency_p50_ms",
                        "/clients/0/latency_p95_ms",
                        "/clients/0/latency_p99_ms",
                        "/clients/0/outage_start_after_change_s",
                        "/clients/0/recovered_after_rollback_s",
                        "/resolver_load/clients/0/baseline_qps",
                        "/resolver_load/clients/0/outage_qps",
                        "/resolver_load/clients/0/ratio",
                        "/resolver_load/clients/0/peak_qps",
                        "/resolver_load/clients/0/peak_at_s",
                        "/resolver_load/total/baseline_qps",
                        "/resolver_load/total/outage_qps",
                        "/resolver_load/total/ratio"}) {
    expect_null(Json::json_pointer(p));
  }
  EXPECT_EQ(j["expectations"][0]["passed"], false);
  EXPECT_EQ(j["passed"], false);
  EXPECT_EQ(j["bgp"], Json::array());
  EXPECT_EQ(j["warnings"], Json::array());
  EXPECT_EQ(j["clients"][0]["success_by_bucket"], Json::array());
}

TEST(ReportJsonTest, RoundTripThroughTheFileKeepsEveryField) {
  Report original = sample_report();
  original.metrics.cut_short = true;
  original.metrics.cut_short_reason = "Ctrl-C";
  original.metrics.sites[1].degraded = true;
  original.metrics.sites[1].fail_static = true;
  original.metrics.routes[1].no_events = true;
  original.metrics.routes[3].present_at_start = false;
  original.metrics.steps[3].error = "vtysh exited 1";
  original.metrics.steps[4].end_s.reset();
  original.metrics.clients[1].latency_p99_ms.reset();
  original.metrics.recovery.all_s.reset();
  original.metrics.resolver_load.push_back({.client = "client2",
                                            .baseline_qps = 0,
                                            .peak_qps = 4.5,
                                            .peak_at_s = 12.5,
                                            .basis = "no change: the whole run is the baseline",
                                            .drops = 3});
  original.metrics.resolver_load.push_back({.client = "client3", .no_events = true});
  original.metrics.resolver_load_total.clients = 2;
  original.metrics.resolver_load_total.ratio.reset();
  original.bucket_us = 500'000;
  std::string text = report_json(original).dump(2);

  Report read = report_from_json(Json::parse(text));
  EXPECT_EQ(report_json(read).dump(2), text);
  // And the structs themselves, for the fields the text comparison could hide behind a
  // symmetric mistake in writer and reader.
  const auto& m = read.metrics;
  EXPECT_EQ(m.schema_version, 2);
  EXPECT_EQ(m.start_ts, 1714564800000000);
  EXPECT_TRUE(m.cut_short);
  EXPECT_EQ(m.cut_short_reason, "Ctrl-C");
  EXPECT_EQ(read.bucket_us, 500'000);
  EXPECT_EQ(read.events_path, "/tmp/out/events.jsonl");
  EXPECT_EQ(m.events, 1234u);
  ASSERT_EQ(m.sites.size(), 2u);
  EXPECT_TRUE(m.sites[1].degraded);
  EXPECT_TRUE(m.sites[1].fail_static);
  EXPECT_EQ(m.sites[0].health_failed.measured_s, 2.54);
  EXPECT_EQ(m.sites[0].health_failed.basis, "fall 3 x interval 1s + timeout 0.5s");
  EXPECT_EQ(m.sites[0].withdrawn_windows[0].end_s, 28.9);
  EXPECT_TRUE(m.routes[1].no_events);
  EXPECT_FALSE(m.routes[3].present_at_start);
  EXPECT_EQ(m.steps[3].error, "vtysh exited 1");
  EXPECT_FALSE(m.steps[4].end_s.has_value());
  EXPECT_FALSE(m.clients[1].latency_p99_ms.has_value());
  EXPECT_EQ(m.clients[0].failures.other, 8);
  EXPECT_EQ(m.clients[0].success_by_bucket, original.metrics.clients[0].success_by_bucket);
  EXPECT_FALSE(m.recovery.all_s.has_value());
  EXPECT_EQ(m.bgp[3].state, "up");
  EXPECT_EQ(m.warnings, original.metrics.warnings);
  ASSERT_EQ(m.resolver_load.size(), 3u);
  EXPECT_EQ(m.resolver_load[0].client, "client1");
  EXPECT_EQ(m.resolver_load[0].outage_queries, 642);
  EXPECT_EQ(m.resolver_load[0].outage_s, 21.4);
  EXPECT_EQ(m.resolver_load[0].ratio, 3.0);
  EXPECT_EQ(m.resolver_load[0].peak_at_s, 9.0);
  EXPECT_EQ(m.resolver_load[0].probe_queries_excluded, 400);
  EXPECT_EQ(m.resolver_load[0].basis, original.metrics.resolver_load[0].basis);
  EXPECT_EQ(m.resolver_load[1].baseline_qps, 0.0);
  EXPECT_FALSE(m.resolver_load[1].outage_qps.has_value());
  EXPECT_FALSE(m.resolver_load[1].ratio.has_value());
  EXPECT_EQ(m.resolver_load[1].drops, 3);
  EXPECT_TRUE(m.resolver_load[2].no_events);
  EXPECT_EQ(m.resolver_load_total.clients, 2);
  EXPECT_EQ(m.resolver_load_total.outage_qps, 30.0);
  EXPECT_FALSE(m.resolver_load_total.ratio.has_value());
  ASSERT_EQ(read.expectations.size(), 3u);
  EXPECT_EQ(read.expectations[1].value, 2.0);
  EXPECT_FALSE(read.passed());
}

TEST(ReportJsonTest, ReaderNamesAMissingField) {
  Json j = written(sample_report());
  j["run"].erase("duration_s");
  try {
    report_from_json(j);
    FAIL() << "a report without run.duration_s was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "read report.json: run.duration_s: missing");
  }
}

TEST(ReportJsonTest, ReaderNamesAFieldOfTheWrongType) {
  Json j = written(sample_report());
  j["sites"][1]["health_failed"]["measured_s"] = "2.5";
  try {
    report_from_json(j);
    FAIL() << "a string delay was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(),
                 "read report.json: sites[1].health_failed.measured_s: expected a number or "
                 "null, found string");
  }
}

TEST(ReportJsonTest, ReaderRefusesOtherSchemasAndNewerVersions) {
  Json j = written(sample_report());
  j["schema"] = "something.else";
  EXPECT_THROW(report_from_json(j), std::runtime_error);
  j = written(sample_report());
  j["schema_version"] = 3;
  try {
    report_from_json(j);
    FAIL() << "schema_version 3 was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("schema_version: version 3 is not one this blastlab reads"));
  }
}

TEST(ReportJsonTest, ReaderIgnoresKeysAddedLater) {
  // The versioning rule: additions keep the version, so a reader must skip what it does
  // not know.
  Json j = written(sample_report());
  j["new_top_level"] = {{"x", 1}};
  j["sites"][0]["new_field"] = true;
  Report read = report_from_json(j);
  EXPECT_EQ(read.metrics.sites[0].node, "dns1");
}

TEST(ReportJsonTest, ASiteWithoutGuardedReadsAsNotGuarded) {
  // `guarded` was added to version 1 later.
  Report report = sample_report();
  report.metrics.sites[0].guarded = true;
  Json j = written(report);
  EXPECT_TRUE(report_from_json(j).metrics.sites[0].guarded);
  j["sites"][0].erase("guarded");
  EXPECT_FALSE(report_from_json(j).metrics.sites[0].guarded);
}

TEST(ReportJsonTest, AVersionOneReportFromBeforeResolverLoadStillReads) {
  // resolver_load was added to version 1 later; reports written before it lack the key.
  Json j = written(sample_report());
  j.erase("resolver_load");
  Report read = report_from_json(j);
  EXPECT_TRUE(read.metrics.resolver_load.empty());
  EXPECT_EQ(read.metrics.resolver_load_total.clients, 0);
  EXPECT_FALSE(read.metrics.resolver_load_total.ratio.has_value());
  // Once present it is read as strictly as the rest.
  j = written(sample_report());
  j["resolver_load"]["clients"][0].erase("basis");
  try {
    report_from_json(j);
    FAIL() << "a resolver load without its basis was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "read report.json: resolver_load.clients[0].basis: missing");
  }
}

TEST(ReportJsonTest, APredictionIsARangeAKeptOrNoneAndOnlyARangeHasNumbers) {
  Report report = sample_report();
  report.metrics.routes[3].lost_after = {.basis = "no prediction: an operator prefix goes..."};
  Json j = written(report);
  EXPECT_EQ(j["routes"][0]["lost_after"]["prediction"], "range");
  EXPECT_EQ(j["routes"][0]["lost_after"]["predicted_max_s"], 4.6);
  const Json& kept = j["routes"][1]["lost_after"];
  EXPECT_EQ(kept["prediction"], "kept");
  EXPECT_TRUE(kept["predicted_min_s"].is_null()) << kept;
  EXPECT_TRUE(kept["predicted_max_s"].is_null()) << kept;
  EXPECT_EQ(j["routes"][3]["lost_after"]["prediction"], "none");
  EXPECT_TRUE(j["routes"][3]["lost_after"]["predicted_max_s"].is_null());
  Report read = report_from_json(j);
  EXPECT_EQ(read.metrics.routes[0].lost_after.prediction, measure::Prediction::kRange);
  EXPECT_EQ(read.metrics.routes[1].lost_after.prediction, measure::Prediction::kKept);
  EXPECT_EQ(read.metrics.routes[3].lost_after.prediction, measure::Prediction::kNone);
  j["routes"][1]["lost_after"]["prediction"] = "maybe";
  try {
    report_from_json(j);
    FAIL() << "an unknown prediction was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(),
                 "read report.json: routes[1].lost_after.prediction: expected a prediction "
                 "(range, kept, none), found \"maybe\"");
  }
}

// Each enum written into report.json and compare.json has one word per value, and the
// word reads back as that value: no value falls back to another's word.
TEST(ReportJsonTest, EveryEnumValueHasItsOwnWordThatReadsBack) {
  std::set<std::string_view> words;
  for (auto v : {Verdict::kPass, Verdict::kFail, Verdict::kIncomplete}) {
    EXPECT_EQ(verdict_from_string(to_string(v)), v);
    EXPECT_TRUE(words.insert(to_string(v)).second) << to_string(v);
  }
  words.clear();
  for (auto v :
       {measure::Prediction::kNone, measure::Prediction::kRange, measure::Prediction::kKept}) {
    EXPECT_EQ(measure::prediction_from_string(to_string(v)), v);
    EXPECT_TRUE(words.insert(to_string(v)).second) << to_string(v);
  }
  words.clear();
  for (auto v :
       {measure::StepState::kRunning, measure::StepState::kDone, measure::StepState::kFailed,
        measure::StepState::kRefused, measure::StepState::kHalted, measure::StepState::kSkipped,
        measure::StepState::kInterrupted}) {
    EXPECT_EQ(measure::step_state_from_string(to_string(v)), v);
    EXPECT_TRUE(words.insert(to_string(v)).second) << to_string(v);
  }
  words.clear();
  for (auto v : {VariantOutcome::kPass, VariantOutcome::kFail, VariantOutcome::kIncomplete,
                 VariantOutcome::kError})
    EXPECT_TRUE(words.insert(to_string(v)).second) << to_string(v);
}

TEST(ReportJsonTest, AVersionOneDelayGetsItsPredictionFromItsNumbersAndBasis) {
  // Version 1 wrote 0 and 0 for "no range" and said "not expected" in the basis of a kept
  // prefix.
  Json j = written(sample_report());
  for (auto& route : j["routes"]) {
    Json& delay = route["lost_after"];
    delay.erase("prediction");
    if (delay["predicted_max_s"].is_null()) delay["predicted_min_s"] = delay["predicted_max_s"] = 0;
  }
  j["routes"][3]["lost_after"]["basis"] = "no prediction: an operator prefix goes...";
  Report read = report_from_json(j);
  EXPECT_EQ(read.metrics.routes[0].lost_after.prediction, measure::Prediction::kRange);
  EXPECT_EQ(read.metrics.routes[0].lost_after.predicted_max_s, 4.6);
  EXPECT_EQ(read.metrics.routes[1].lost_after.prediction, measure::Prediction::kKept);
  EXPECT_EQ(read.metrics.routes[3].lost_after.prediction, measure::Prediction::kNone);
}

TEST(ReportJsonTest, PassedNeedsEveryExpectationAndHoldsWithNone) {
  Report report;
  EXPECT_TRUE(report.passed());
  report.expectations = {{.passed = true}, {.passed = true}};
  EXPECT_TRUE(report.passed());
  report.expectations.push_back({.passed = false});
  EXPECT_FALSE(report.passed());
}

// docs/report.md documents every key report.json has: each object's path in backticks
// ("`sites[].withdrawn_windows`"); the shared Delay and Window objects once, as
// "`Delay.measured_s`".
}  // namespace

void collect_report_paths(const Json& value, const std::string& path, std::set<std::string>& paths);

namespace {

void collect_paths(const Json& value, const std::string& path, std::set<std::string>& paths) {
  if (value.is_array()) {
    if (!value.empty()) collect_paths(value[0], path + "[]", paths);
    return;
  }
  if (!value.is_object()) return;
  auto is_shape = [&](std::initializer_list<const char*> names) {
    if (value.size() != names.size()) return false;
    for (const char* n : names) {
      if (!value.contains(n)) return false;
    }
    return true;
  };
  std::string type =
      is_shape({"measured_s", "prediction", "predicted_min_s", "predicted_max_s", "basis"})
          ? "Delay"
      : is_shape({"start_s", "end_s", "duration_s"}) ? "Window"
                                                     : "";
  for (const auto& [key, child] : value.items()) {
    if (!type.empty()) {
      paths.insert(type + "." + key);
      continue;
    }
    std::string child_path = path.empty() ? key : path + "." + key;
    paths.insert(child_path);
    collect_paths(child, child_path, paths);
  }
}

TEST(ReportJsonTest, DocsDescribeEveryKey) {
  std::ifstream in(BLASTLAB_SOURCE_DIR "/docs/report.md");
  ASSERT_TRUE(in) << "cannot open docs/report.md";
  std::stringstream docs;
  docs << in.rdbuf();
  std::set<std::string> paths;
  Report report = sample_report();
  report.metrics.gaps = {
      {.agent = "dnsprobe", .node = "client1", .what = "died", .from_s = 12.5, .detail = "exit 9"}};
  collect_paths(written(report), "", paths);
  EXPECT_GT(paths.size(), 80u);
  for (const auto& path : paths) {
    EXPECT_THAT(docs.str(), HasSubstr("`" + path + "`"))
        << "docs/report.md does not describe " << path;
  }
}

}  // namespace

void collect_report_paths(const Json& value, const std::string& path,
                          std::set<std::string>& paths) {
  collect_paths(value, path, paths);
}

}  // namespace blastlab::report
