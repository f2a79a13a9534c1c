// The report of a run that probed reachability and watched routes at any node, in every
// rendering: report.json (and back), report.txt's lines per pair and where a route went,
// report.html's lanes and tables, and the comparison's columns.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "controller/report/compare.hpp"
#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {

void collect_report_paths(const nlohmann::json& value, const std::string& path,
                          std::set<std::string>& paths);

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A lab without DNS: c1 lost c2 from 5.1 s to 14.6 s (rollback at 12 s), kept c3; t1 lost
// c2's network and got it back by the same link.
Report reach_report() {
  Report report;
  auto& m = report.metrics;
  m.lab = "reach";
  m.topology = "topologies/reach.yaml";
  m.script = "scripts/reach-link-down.yaml";
  m.start_ts = 1714564800'000000;
  m.end_ts = m.start_ts + 20'000000;
  m.duration_s = 20;
  m.change_s = 5.0;
  m.rollback_s = 12.0;
  measure::ReachPairMetrics lost{.from = "c1",
                                 .target = "c2",
                                 .proto = "icmp",
                                 .address = "203.0.113.17",
                                 .probes = 200,
                                 .ok = 105,
                                 .success_ratio = 0.525,
                                 .rtt_p50_ms = 0.08,
                                 .rtt_p95_ms = 0.12,
                                 .failures = {.timeout = 80, .unreachable = 15},
                                 .outages = {window(5.1, 14.6, 9.5)},
                                 .lost = true,
                                 .lost_after_change_s = 0.1,
                                 .regained_after_rollback_s = 2.6,
                                 .outage_s = 9.5,
                                 .success_by_bucket = std::vector<double>(20, 1.0)};
  measure::ReachPairMetrics kept{.from = "c2",
                                 .target = "c3",
                                 .proto = "tcp",
                                 .port = 8080,
                                 .address = "203.0.113.33",
                                 .probes = 200,
                                 .ok = 200,
                                 .success_ratio = 1.0,
                                 .rtt_p50_ms = 0.1,
                                 .rtt_p95_ms = 0.2,
                                 .success_by_bucket = std::vector<double>(20, 1.0)};
  m.reach = {lost, kept};
  m.reach_summary = {.pairs = 2, .pairs_lost = 1, .probes = 400, .ok = 305};
  measure::PrefixAtVantage route{.vantage = "t1",
                                 .prefix = "203.0.113.16/28",
                                 .kind = "other",
                                 .present_at_start = true,
                                 .lost = true,
                                 .absent_s = 8,
                                 .absent_windows = {window(5.05, 13.05, 8)}};
  route.next_hops = {
      {.at_s = 0, .action = "present", .gateway = "198.19.0.7", .dev = "t2", .protocol = "bgp"},
      {.at_s = 5.05, .action = "remove", .protocol = "bgp"},
      {.at_s = 13.05, .action = "add", .gateway = "198.19.0.7", .dev = "t2", .protocol = "bgp"},
      {.at_s = 15.5, .action = "change", .gateway = "198.19.0.9", .dev = "t3", .protocol = "bgp"}};
  m.routes = {route};
  m.blast_radius.prefixes_total = 1;
  m.blast_radius.prefixes_lost = 1;
  m.blast_radius.vantage_prefixes_total = 1;
  m.blast_radius.vantage_prefixes_lost = 1;
  m.recovery = {.sites_s = 0,
                .prefixes_s = 1.05,
                .dns_s = 0,
                .reachability_s = 2.6,
                .all_s = 2.6,
                .complete = true};
  return report;
}

TEST(ReportReachTest, JsonHasEveryPairAndReadsBack) {
  Report report = reach_report();
  auto json = nlohmann::json::parse(report_json(report).dump());
  const auto& reach = json["reachability"];
  ASSERT_EQ(reach["pairs"].size(), 2u);
  EXPECT_EQ(reach["pairs_total"], 2);
  EXPECT_EQ(reach["pairs_lost"], 1);
  EXPECT_EQ(reach["pairs_lost_fraction"], 0.5);
  EXPECT_EQ(reach["pairs"][0]["port"], nullptr);
  EXPECT_EQ(reach["pairs"][1]["port"], 8080);
  EXPECT_EQ(reach["pairs"][0]["regained_after_rollback_s"], 2.6);
  EXPECT_EQ(json["recovery"]["reachability_s"], 2.6);
  EXPECT_EQ(json["routes"][0]["next_hops"][3]["dev"], "t3");

  Report back = report_from_json(json);
  ASSERT_EQ(back.metrics.reach.size(), 2u);
  EXPECT_EQ(back.metrics.reach[0].failures.unreachable, 15);
  EXPECT_EQ(back.metrics.reach[1].port, 8080);
  EXPECT_EQ(back.metrics.reach_summary.pairs_lost, 1);
  EXPECT_EQ(back.metrics.routes[0].next_hops.size(), 4u);
  EXPECT_EQ(back.metrics.recovery.reachability_s, 2.6);
  EXPECT_EQ(report_json(back).dump(), report_json(report).dump());

  // A report written before these keys reads as one without pairs or next hops.
  json.erase("reachability");
  json["routes"][0].erase("next_hops");
  json["recovery"].erase("reachability_s");
  Report old = report_from_json(json);
  EXPECT_TRUE(old.metrics.reach.empty());
  EXPECT_TRUE(old.metrics.routes[0].next_hops.empty());
  EXPECT_FALSE(old.metrics.recovery.reachability_s);
}

TEST(ReportReachTest, DocsDescribeEveryReachabilityKey) {
  std::ifstream in(BLASTLAB_SOURCE_DIR "/docs/report.md");
  ASSERT_TRUE(in);
  std::stringstream docs;
  docs << in.rdbuf();
  std::set<std::string> paths;
  collect_report_paths(nlohmann::json::parse(report_json(reach_report()).dump()), "", paths);
  size_t checked = 0;
  for (const auto& path : paths) {
    if (!path.starts_with("reachability") && path.find("next_hops") == std::string::npos) continue;
    ++checked;
    EXPECT_THAT(docs.str(), HasSubstr("`" + path + "`"))
        << "docs/report.md does not describe " << path;
  }
  EXPECT_GT(checked, 25u);
}

TEST(ReportReachTest, TextHasALinePerPairTheBlastRadiusAndWhereRoutesWent) {
  std::string text = report_text(reach_report());
  EXPECT_THAT(text, HasSubstr("pairs unreachable  1/2 (50%)"));
  EXPECT_THAT(text, Not(HasSubstr("sites withdrawn"))) << "no DNS sites in this lab";
  EXPECT_THAT(text, HasSubstr("reachability  (lost from the change"));
  EXPECT_THAT(text, HasSubstr("c1 \u2192 c2  icmp"));
  EXPECT_THAT(text, HasSubstr("52.5% ok (105/200)"));
  EXPECT_THAT(text, HasSubstr("lost 0.10 s after change, for 9.50 s"));
  EXPECT_THAT(text, HasSubstr("regained 2.60 s after rollback"));
  EXPECT_THAT(text, HasSubstr("failures timeout 80, unreachable 15"));
  EXPECT_THAT(text, HasSubstr("c2 \u2192 c3  tcp 8080"));
  EXPECT_THAT(text, HasSubstr("kept"));
  EXPECT_THAT(text, HasSubstr("route: via 198.19.0.7 (t2), 5.05 s removed, 13.1 s via "
                              "198.19.0.7 (t2), 15.5 s via 198.19.0.9 (t3)"));
  EXPECT_THAT(text, HasSubstr("reachability 2.60 s"));
}

TEST(ReportReachTest, HtmlHasALanePerPairAndTheTables) {
  std::string html = report_html(reach_report());
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_THAT(html, HasSubstr("class=\"lane lane-reach\" data-from=\"c1\" data-target=\"c2\" "
                              "data-proto=\"icmp\""));
  EXPECT_THAT(html, HasSubstr("data-proto=\"tcp 8080\""));
  EXPECT_EQ(count(html, "seg seg-lost"), 1u);
  EXPECT_EQ(count(html, "seg seg-next-hop"), 1u) << "a tick where the next hop changed";
  EXPECT_THAT(html, HasSubstr("<section id=\"reachability\">"));
  EXPECT_THAT(html, HasSubstr("<th>pairs unreachable</th>"));
  EXPECT_THAT(html, HasSubstr("15.5 s via 198.19.0.9 (t3) bgp"));
}

TEST(ReportReachTest, TheComparisonHasThePairsColumns) {
  Comparison c{.name = "reach", .topology = "t.yaml", .script = "s.yaml"};
  c.variants.push_back({.name = "as-is",
                        .dir = "as-is",
                        .scalars = {{"reachability.pairs", 8},
                                    {"reachability.pairs_lost", 6},
                                    {"reachability.outage_max_s", 7.3},
                                    {"recovery.complete", 0}}});
  c.variants.push_back({.name = "redundant",
                        .dir = "redundant",
                        .scalars = {{"reachability.pairs", 8},
                                    {"reachability.pairs_lost", 0},
                                    {"reachability.outage_max_s", 0}}});
  std::string text = comparison_text(c);
  EXPECT_THAT(text, HasSubstr("pairs"));
  EXPECT_THAT(text, HasSubstr("6/8"));
  EXPECT_THAT(text, HasSubstr("7.3 s"));
  EXPECT_THAT(text, HasSubstr("incomplete")) << "pairs lost and never all back";
  std::string html = comparison_html(c);
  EXPECT_THAT(html, HasSubstr("m-pairs better"));
}

}  // namespace
}  // namespace blastlab::report
