#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string line_with(const std::string& text, const std::string& what) {
  for (const auto& line : lines_of(text)) {
    if (line.find(what) != std::string::npos) return line;
  }
  ADD_FAILURE() << "no line with \"" << what << "\" in:\n" << text;
  return "";
}

TEST(ReportTextTest, HeaderNamesTheRunAndItsVerdict) {
  std::string text = report_text(sample_report());
  std::string first = lines_of(text).at(0);
  EXPECT_THAT(first, HasSubstr("lab minimal-t1"));
  EXPECT_THAT(first, HasSubstr("script scripts/fb-2021.yaml"));
  EXPECT_THAT(first, HasSubstr("topology topologies/minimal.yaml"));
  std::string second = lines_of(text).at(1);
  EXPECT_THAT(second, HasSubstr("40.0 s from 2024-05-01 12:00:00 UTC, 1234 events"));
  EXPECT_THAT(second, HasSubstr("change at 5.00 s"));
  EXPECT_THAT(second, HasSubstr("rollback at 25.0 s"));
  EXPECT_THAT(second, HasSubstr("FAIL \u2718"));
}

TEST(ReportTextTest, StepsWithTimesAndTheirRoles) {
  std::string text = report_text(sample_report());
  std::string audit = line_with(text, "audit");
  EXPECT_THAT(audit, HasSubstr("vtysh"));
  EXPECT_THAT(audit, HasSubstr("5.00 s"));
  EXPECT_THAT(audit, HasSubstr("5.21 s"));
  EXPECT_THAT(audit, HasSubstr("change"));
  EXPECT_THAT(audit, HasSubstr("shut down every backbone link on bb1, bb2"));
  EXPECT_THAT(line_with(text, "restore"), HasSubstr("rollback"));
  EXPECT_THAT(line_with(text, "baseline"), Not(HasSubstr("change")));
}

TEST(ReportTextTest, AnAuditOrGateIsNotTheChangeAndItsVerdictShows) {
  Report report = sample_report();
  auto& steps = report.metrics.steps;
  steps.insert(steps.begin() + 1, {.index = 1,
                                   .name = "audit-tool",
                                   .kind = "audit",
                                   .detail = "'audit' cuts 2 of 2 backbone links (100%): refused",
                                   .state = measure::StepState::kRefused,
                                   .start_s = 5.0,
                                   .end_s = 5.0});
  steps[2].state = measure::StepState::kSkipped;
  steps.push_back(
      {.index = 9, .name = "gate-west", .kind = "gate", .state = measure::StepState::kHalted});
  std::string text = report_text(report);
  std::string audit = line_with(text, "audit-tool");
  EXPECT_THAT(audit, HasSubstr("REFUSED"));
  EXPECT_THAT(audit, HasSubstr("cuts 2 of 2 backbone links"));
  EXPECT_THAT(audit, Not(HasSubstr("change")));
  EXPECT_THAT(line_with(text, "shut down every backbone link"), Not(HasSubstr("change")));
  EXPECT_THAT(line_with(text, "gate-west"), HasSubstr("HALTED"));
}

TEST(ReportTextTest, AnIncompleteRunListsItsGapsFirstAndMarksThePartialRows) {
  Report report = sample_report();
  report.metrics.gaps = {{.agent = "dnsprobe",
                          .node = "client1",
                          .what = "died",
                          .from_s = 12.5,
                          .detail = "its process is gone"},
                         {.agent = "routewatch",
                          .node = "transit2",
                          .what = "fell silent",
                          .from_s = 3,
                          .to_s = 5.25,
                          .detail = "no event for 3.0 s"}};
  std::string text = report_text(report);
  EXPECT_THAT(line_with(text, "blastlab run"), Not(HasSubstr("INCOMPLETE")));
  EXPECT_THAT(lines_of(text)[1], HasSubstr("INCOMPLETE"));
  EXPECT_THAT(lines_of(text)[2], HasSubstr("measurement gaps"));
  EXPECT_THAT(line_with(text, "dnsprobe on client1"), ContainsRegex("died +12.5 s \u2013 end"));
  // Under each row the dead agent measured, when it stopped: what the row shows is partial.
  auto lines = lines_of(text);
  auto under = [&](const std::string& row) {
    for (size_t i = 0; i + 1 < lines.size(); ++i)
      if (lines[i].find(row) != std::string::npos) return lines[i + 1];
    return std::string();
  };
  EXPECT_THAT(text, HasSubstr("partial: dnsprobe died 12.5 s \u2013 end"));
  EXPECT_THAT(text, HasSubstr("partial: routewatch fell silent 3.00 s \u2013 5.25 s"));
  EXPECT_THAT(under("transit2  198.51.100.0/24"), HasSubstr("partial: routewatch"));
  EXPECT_THAT(under("transit1  198.51.100.0/24"), Not(HasSubstr("partial")));
  EXPECT_THAT(under("dns1 @pop1"), Not(HasSubstr("partial")));
}

TEST(ReportTextTest, BlastRadiusAsCountsAndFractions) {
  std::string text = report_text(sample_report());
  EXPECT_THAT(line_with(text, "sites withdrawn"), HasSubstr("2/2 (100%)"));
  EXPECT_THAT(line_with(text, "prefixes lost"), HasSubstr("1/2 (50%), at 2/4 (50%)"));
  EXPECT_THAT(line_with(text, "clients affected"), HasSubstr("1/1 (100%)"));
}

TEST(ReportTextTest, SitesMeasuredBesidePredicted) {
  std::string text = report_text(sample_report());
  std::string dns1 = line_with(text, "dns1 @pop1");
  EXPECT_THAT(dns1, HasSubstr("health failed 2.54 s (predicted 2.0\u20133.5 s)"));
  EXPECT_THAT(dns1, HasSubstr("withdrawn 2.58 s (predicted 2.0\u20133.6 s)"));
  EXPECT_THAT(dns1, HasSubstr("re-announced 3.90 s after rollback"));
  // Columns line up across sites.
  std::string dns2 = line_with(text, "dns2 @pop2");
  EXPECT_EQ(dns1.find("health failed"), dns2.find("health failed"));
  EXPECT_EQ(dns1.find("withdrawn"), dns2.find("withdrawn"));
  EXPECT_EQ(dns1.find("re-announced"), dns2.find("re-announced"));
}

TEST(ReportTextTest, SiteOutcomesOtherThanWithdrawn) {
  Report report = sample_report();
  report.metrics.sites[0].withdrawn = false;
  report.metrics.sites[0].degraded = true;
  report.metrics.sites[1] = {.node = "dns2", .pop = "pop2", .fail_static = true};
  report.metrics.sites.push_back({.node = "dns3", .pop = "pop3", .no_events = true});
  report.metrics.sites.push_back({.node = "dns4", .pop = "pop4", .guarded = true});
  std::string text = report_text(report);
  EXPECT_THAT(line_with(text, "dns4 @pop4"), HasSubstr("guarded (too few other sites seen"));
  EXPECT_THAT(line_with(text, "dns1 @pop1"), HasSubstr("degraded 2.58 s"));
  EXPECT_THAT(line_with(text, "dns2 @pop2"), HasSubstr("health did not fail"));
  EXPECT_THAT(line_with(text, "dns2 @pop2"), HasSubstr("fail-static, kept announcing"));
  EXPECT_THAT(line_with(text, "dns3 @pop3"), HasSubstr("no events from its healthd"));
}

TEST(ReportTextTest, RoutesPerVantageAndPrefix) {
  std::string text = report_text(sample_report());
  std::string lost = line_with(text, "transit1  198.51.100.0/26");
  EXPECT_THAT(lost, HasSubstr("lost 2.70 s (predicted 2.0\u20134.6 s), absent 21.4 s"));
  EXPECT_THAT(lost, HasSubstr("regained 4.10 s after rollback"));
  EXPECT_THAT(line_with(text, "transit1  198.51.100.0/24"), HasSubstr("kept"));
}

TEST(ReportTextTest, ARouteBackBeforeTheRollbackIsBackByItself) {
  Report report = sample_report();
  auto& covering = report.metrics.routes[1];  // transit1's covering prefix
  covering.lost = true;
  covering.lost_after.measured_s = 0.92;
  covering.absent_s = 0.05;
  covering.absent_windows = {{.start_s = 6.49, .end_s = 6.54, .duration_s = 0.05}};
  auto& gone = report.metrics.routes[3];  // transit2's, still gone at the end
  gone.lost = true;
  gone.lost_after.measured_s = 0.92;
  gone.absent_s = 22.6;
  gone.absent_windows = {{.start_s = 6.49, .duration_s = 22.6}};
  std::string text = report_text(report);
  std::string back = line_with(text, "transit1  198.51.100.0/24");
  EXPECT_THAT(back, HasSubstr("absent 0.050 s"));
  EXPECT_THAT(back, HasSubstr("back by itself"));
  EXPECT_THAT(line_with(text, "transit2  198.51.100.0/24"), HasSubstr("not regained by the end"));
}

TEST(ReportTextTest, ClientsWithSuccessLatencyOutagesAndFailures) {
  std::string text = report_text(sample_report());
  std::string resolver = line_with(text, "resolver");
  EXPECT_THAT(resolver, HasSubstr("45% ok (180/400)"));
  EXPECT_THAT(resolver, HasSubstr("p50 1.20 ms"));
  EXPECT_THAT(resolver, HasSubstr("p95 4.80 ms"));
  EXPECT_THAT(resolver, HasSubstr("p99 310 ms"));
  EXPECT_THAT(resolver, HasSubstr("recovered 4.30 s after rollback"));
  EXPECT_THAT(text, HasSubstr("failures servfail 150, timeout 62, other 8"));
  EXPECT_THAT(text, HasSubstr("outages 7.90\u201329.3 s"));
  EXPECT_THAT(text, HasSubstr("failures timeout 150, unreachable 68"));
}

TEST(ReportTextTest, ManyOutagesAreCutShort) {
  Report report = sample_report();
  auto& outages = report.metrics.clients[0].outages;
  outages = {window(1, 2, 1), window(3, 4, 1), window(5, 6, 1), window(7, 8, 1),
             window(9, std::nullopt, 31)};
  std::string text = report_text(report);
  EXPECT_THAT(text,
              HasSubstr("outages 1.00\u20132.00 s, 3.00\u20134.00 s, 5.00\u20136.00 s and 2 more"));
}

TEST(ReportTextTest, ResolverLoadPerClientWithRatioAndPeak) {
  std::string text = report_text(sample_report());
  EXPECT_THAT(line_with(text, "resolver load"), HasSubstr("baseline before the change"));
  std::string c1 = line_with(text, "baseline 10.0 q/s");
  EXPECT_THAT(c1, HasSubstr("client1"));
  EXPECT_THAT(c1, HasSubstr("outage 30.0 q/s  3.0\u00d7  peak 52.0 q/s at 9.00 s"));
  EXPECT_THAT(c1, HasSubstr("during the client's resolver outage (1 window, 21.4 s)"));
  EXPECT_THAT(text, Not(HasSubstr("  total "))) << "one client: its line is the total";
}

TEST(ReportTextTest, ResolverLoadTotalUnknownsAndClientsWithoutEvents) {
  Report report = sample_report();
  auto& m = report.metrics;
  m.resolver_load.push_back({.client = "client2", .no_events = true});
  m.resolver_load.push_back({.client = "client3",
                             .baseline_qps = 0,
                             .outage_qps = 120,
                             .peak_qps = 480,
                             .peak_at_s = 12,
                             .basis = "from the change to the rollback"});
  m.resolver_load_total = {.baseline_qps = 10, .outage_qps = 150, .ratio = 15, .clients = 2};
  std::string text = report_text(report);
  EXPECT_THAT(line_with(text, "client2  no events"), HasSubstr("no events from its querywatch"));
  std::string c3 = line_with(text, "baseline 0.00 q/s");
  // Columns are aligned, so the spaces between them vary.
  EXPECT_THAT(c3, ContainsRegex("outage 120 q/s +\u2014 +peak 480 q/s at 12.0 s"))
      << "no ratio over a silent baseline";
  EXPECT_THAT(line_with(text, "  total "),
              ContainsRegex("baseline 10.0 q/s +outage 150 q/s +15.0\u00d7$"));
  // In colour, a ratio of 2 or more is red.
  EXPECT_THAT(report_text(report, true), HasSubstr("\x1b[1;31m15.0\u00d7\x1b[0m"));
}

TEST(ReportTextTest, NoResolverLoadBlockWithoutQuerywatch) {
  Report report = sample_report();
  report.metrics.resolver_load = {{.client = "client1", .no_events = true}};
  report.metrics.resolver_load_total = {};
  EXPECT_THAT(report_text(report), Not(HasSubstr("resolver load")));
}

TEST(ReportTextTest, RecoveryBgpExpectationsAndWarnings) {
  std::string text = report_text(sample_report());
  EXPECT_THAT(line_with(text, "recovery after rollback"),
              HasSubstr("sites 4.10 s  prefixes 4.20 s  DNS 4.30 s  all 4.30 s  complete"));
  EXPECT_THAT(line_with(text, "bgp sessions"), HasSubstr("2 went down, 2 came up"));
  EXPECT_THAT(line_with(text, "expectations"), HasSubstr("1 passed, 2 failed"));
  std::string failed = line_with(text, "dns.success_ratio >= 0.99");
  EXPECT_THAT(failed, HasSubstr("\u2718 FAIL"));
  EXPECT_THAT(failed, HasSubstr("value 0.45"));
  EXPECT_THAT(failed, HasSubstr("scripts/fb-2021.yaml:31:5"));
  EXPECT_THAT(line_with(text, "recovery.all_s <= 10"), HasSubstr("\u2714 PASS"));
  EXPECT_THAT(line_with(text, "recovery.all_s <= 10"), HasSubstr("value 4.3"));
  EXPECT_THAT(line_with(text, "torn line"), HasSubstr("! routewatch on transit2"));
}

TEST(ReportTextTest, PassingRunSaysPassAndNeverFail) {
  Report report = sample_report();
  for (auto& e : report.expectations) e.passed = true;
  std::string text = report_text(report);
  EXPECT_THAT(lines_of(text).at(1), HasSubstr("PASS \u2714"));
  EXPECT_THAT(text, Not(HasSubstr("FAIL")));
}

TEST(ReportTextTest, CutShortRunSaysSoAndWhy) {
  Report report = sample_report();
  report.metrics.cut_short = true;
  report.metrics.cut_short_reason = "interrupted (SIGINT) during step 2";
  EXPECT_THAT(report_text(report), HasSubstr("CUT SHORT: interrupted (SIGINT) during step 2"));
}

TEST(ReportTextTest, FitsOnAScreenForATwoSiteLab) {
  auto lines = lines_of(report_text(sample_report()));
  EXPECT_LE(lines.size(), 40u) << report_text(sample_report());
}

TEST(ReportTextTest, ColourAddsOnlyEscapeSequences) {
  Report report = sample_report();
  std::string plain = report_text(report, false);
  std::string coloured = report_text(report, true);
  EXPECT_THAT(plain, Not(HasSubstr("\x1b[")));
  EXPECT_THAT(coloured, HasSubstr("\x1b[1;31mFAIL \u2718\x1b[0m"));
  std::string stripped = std::regex_replace(coloured, std::regex("\x1b\\[[0-9;]*m"), "");
  EXPECT_EQ(stripped, plain);
}

TEST(ReportTextTest, AnEmptyRunStillRenders) {
  std::string text = report_text(Report{});
  EXPECT_THAT(text, HasSubstr("PASS"));
  EXPECT_THAT(text, HasSubstr("blast radius"));
  // A lab without DNS sites or probes has no line for them: 0/0 would read as a finding.
  EXPECT_THAT(text, Not(HasSubstr("sites withdrawn")));
  EXPECT_THAT(text, HasSubstr("expectations  none"));
}

}  // namespace
}  // namespace blastlab::report
