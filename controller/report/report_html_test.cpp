#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"

namespace blastlab::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ReportHtmlTest, IsWellFormedXml) {
  std::string html = report_html(sample_report());
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_EQ(count(html, "<svg"), 1u);
  EXPECT_EQ(count(html, "</svg>"), 1u);
}

TEST(ReportHtmlTest, FetchesNothingAndRunsNoScript) {
  std::string html = report_html(sample_report());
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("href=")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  EXPECT_THAT(html, HasSubstr("<style>"));
}

TEST(ReportHtmlTest, TitleSummaryAndExpectations) {
  std::string html = report_html(sample_report());
  EXPECT_THAT(html, HasSubstr("<title>blastlab: fb-2021 on minimal-t1</title>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"badge fail\">FAIL</span>"));
  EXPECT_THAT(html, HasSubstr("<th>sites withdrawn</th><td>2/2 (100%)</td>"));
  EXPECT_THAT(html, HasSubstr("<th>clients affected</th><td>1/1 (100%)</td>"));
  EXPECT_THAT(html, HasSubstr("<code>dns.success_ratio &gt;= 0.99</code>"));
  EXPECT_THAT(html, HasSubstr("<code>recovery.all_s &lt;= 10</code>"));
  EXPECT_EQ(count(html, "\u2718 FAIL"), 2u);                             // two expectations
  EXPECT_EQ(count(html, "<span class=\"badge fail\">FAIL</span>"), 2u);  // title, summary
  // The summary, the expectations and the timeline come in that order.
  EXPECT_LT(html.find("id=\"summary\""), html.find("id=\"expectations\""));
  EXPECT_LT(html.find("id=\"expectations\""), html.find("<svg"));
}

TEST(ReportHtmlTest, APredictionShowsAsItsKindSays) {
  Report report = sample_report();
  report.metrics.routes[3].lost_after = {
      .prediction = measure::Prediction::kNone,
      .basis = "no prediction: an operator prefix goes when the change cuts off its origin"};
  std::string html = report_html(report);
  EXPECT_NE(html.find("(predicted 2.0\u20134.6 s)"), std::string::npos);  // a range
  EXPECT_NE(html.find("(predicted: kept)"), std::string::npos);
  // Neither a kept prefix nor one without a prediction reads as a range of zero.
  EXPECT_EQ(html.find("predicted 0.0"), std::string::npos);
}

TEST(ReportHtmlTest, AnIncompleteRunHasItsBadgeAndItsGapsFirst) {
  Report report = sample_report();
  report.metrics.gaps = {{.agent = "dnsprobe",
                          .node = "client1",
                          .what = "died",
                          .from_s = 12.5,
                          .detail = "exited with status 9"},
                         {.agent = "healthd", .node = "dns2", .what = "wrote nothing"}};
  std::string html = report_html(report);
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_THAT(html, HasSubstr("<span class=\"badge incomplete\">INCOMPLETE</span>"));
  EXPECT_THAT(html, Not(HasSubstr("badge fail")));
  EXPECT_THAT(html, HasSubstr("<li>dnsprobe on client1 died at 12.5 s until the end: exited "
                              "with status 9</li>"));
  EXPECT_THAT(html, HasSubstr("<li>healthd on dns2 wrote nothing</li>"));
  EXPECT_LT(html.find("id=\"gaps\""), html.find("id=\"summary\""));
}

TEST(ReportHtmlTest, OneLanePerSiteVantagePrefixAndClientTarget) {
  std::string html = report_html(sample_report());
  EXPECT_EQ(count(html, "class=\"lane lane-site\""), 2u);
  EXPECT_EQ(count(html, "class=\"lane lane-route\""), 4u);
  EXPECT_EQ(count(html, "class=\"lane lane-client\""), 2u);
  EXPECT_THAT(html, HasSubstr("class=\"lane lane-site\" data-node=\"dns1\""));
  EXPECT_THAT(html, HasSubstr("class=\"lane lane-site\" data-node=\"dns2\""));
  EXPECT_THAT(
      html,
      HasSubstr(
          "class=\"lane lane-route\" data-vantage=\"transit2\" data-prefix=\"198.51.100.0/24\""));
  EXPECT_THAT(
      html,
      HasSubstr("class=\"lane lane-client\" data-client=\"client1\" data-target=\"anycast\""));
}

TEST(ReportHtmlTest, OneMarkerPerStepWithChangeAndRollbackSetApart) {
  std::string html = report_html(sample_report());
  EXPECT_EQ(count(html, "class=\"step-marker "), 5u);
  EXPECT_EQ(count(html, "class=\"step-marker step-change\" data-index=\"1\""), 1u);
  EXPECT_EQ(count(html, "class=\"step-marker step-rollback\" data-index=\"3\""), 1u);
  EXPECT_EQ(count(html, "class=\"step-marker step-other\""), 3u);
  EXPECT_THAT(html, HasSubstr(">1 audit (change)</text>"));
  EXPECT_THAT(html, HasSubstr(">3 restore (rollback)</text>"));
}

TEST(ReportHtmlTest, SiteWindowsAreWithdrawnOrDegraded) {
  Report report = sample_report();
  std::string html = report_html(report);
  EXPECT_EQ(count(html, "class=\"seg seg-withdrawn\""), 2u);
  EXPECT_EQ(count(html, "class=\"seg seg-degraded\""), 0u);
  report.metrics.sites[1].withdrawn = false;
  report.metrics.sites[1].degraded = true;
  html = report_html(report);
  EXPECT_EQ(count(html, "class=\"seg seg-withdrawn\""), 1u);
  EXPECT_EQ(count(html, "class=\"seg seg-degraded\""), 1u);
  EXPECT_THAT(html, HasSubstr("<title>dns2 degraded 7.66\u201329.1 s</title>"));
}

TEST(ReportHtmlTest, RouteLanesShowAbsenceAndAbsentAtStart) {
  Report report = sample_report();
  report.metrics.routes[1].present_at_start = false;
  std::string html = report_html(report);
  EXPECT_EQ(count(html, "class=\"seg seg-absent\""), 2u);
  EXPECT_EQ(count(html, "class=\"seg seg-present\""), 4u);
  EXPECT_EQ(count(html, "class=\"absent-at-start\""), 1u);
}

TEST(ReportHtmlTest, ClientLanesMergeBucketsOfOneColourAndGreyWithoutQueries) {
  std::string html = report_html(sample_report());
  // resolver: no queries, 100%, 50%, 0%, 70%, 100%; anycast: 100%, 0%, 100%.
  EXPECT_EQ(count(html, "class=\"seg seg-dns\""), 9u);
  EXPECT_THAT(html, HasSubstr("<title>0.00\u20131.00 s: no queries</title>"));
  EXPECT_THAT(html, HasSubstr("<title>7.00\u20138.00 s: 50% ok</title>"));
  EXPECT_THAT(html, HasSubstr("fill=\"#d0d7de\"><title>0.00\u2013"));
  EXPECT_EQ(count(html, "class=\"seg seg-outage\""), 2u);
}

TEST(ReportHtmlTest, LanesOfAgentsThatWroteNothingSayItInGrey) {
  Report report = sample_report();
  report.metrics.sites[0].no_events = true;
  report.metrics.routes[0].no_events = true;
  std::string html = report_html(report);
  EXPECT_EQ(count(html, "class=\"seg seg-no-events\""), 2u);
  EXPECT_THAT(html, HasSubstr(">no events from healthd</text>"));
  EXPECT_THAT(html, HasSubstr(">no events from routewatch</text>"));
}

TEST(ReportHtmlTest, TablesForSitesRoutesClientsAndBgp) {
  std::string html = report_html(sample_report());
  for (const char* id :
       {"steps", "sites", "routes", "clients", "resolver-load", "bgp", "warnings"}) {
    EXPECT_THAT(html, HasSubstr(std::string("<section id=\"") + id + "\">")) << id;
  }
  EXPECT_THAT(html, HasSubstr("<td>transit1</td><td><code>198.51.100.0/26</code></td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num\">8.10 s</td><td>bb1</td><td>198.18.0.5</td>"
                              "<td><span class=\"fail\">down</span></td>"));
  EXPECT_THAT(html, HasSubstr("servfail 150, timeout 62, unreachable 0, other 8"));
}

TEST(ReportHtmlTest, ResolverLoadTableWithATotalRow) {
  Report report = sample_report();
  report.metrics.resolver_load.push_back({.client = "client2", .no_events = true});
  std::string html = report_html(report);
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_THAT(html, HasSubstr("<td>client1</td><td class=\"num\">10.0 q/s</td>"
                              "<td class=\"num\">30.0 q/s</td>"
                              "<td class=\"num\"><span class=\"fail\">3.0\u00d7</span></td>"
                              "<td class=\"num\">52.0 q/s at 9.00 s</td>"
                              "<td>during the client&#39;s resolver outage (1 window, 21.4 s)</td>"
                              "<td class=\"num\">400</td><td class=\"num\">0</td>"));
  EXPECT_THAT(html, HasSubstr("<td>client2</td><td><span class=\"warn\">no events from "
                              "querywatch</span></td>"));
  EXPECT_THAT(html, HasSubstr("<td><b>total</b></td><td class=\"num\">10.0 q/s</td>"));
}

TEST(ReportHtmlTest, ResolverLoadSaysWhenItWasNotMeasured) {
  Report report = sample_report();
  report.metrics.resolver_load.clear();
  report.metrics.resolver_load_total = {};
  std::string html = report_html(report);
  EXPECT_THAT(html, HasSubstr("No querywatch events: the resolvers' upstream load was not "
                              "measured."));
}

TEST(ReportHtmlTest, EscapesEveryNameItWrites) {
  Report report = sample_report();
  const std::string nasty = "x<&\"'>y";
  report.metrics.lab = nasty;
  report.metrics.script = "scripts/" + nasty + ".yaml";
  report.metrics.sites[0].node = nasty;
  report.metrics.sites[0].pop = nasty;
  report.metrics.routes[0].vantage = nasty;
  report.metrics.routes[0].prefix = nasty;
  report.metrics.clients[0].client = nasty;
  report.metrics.clients[0].target = nasty;
  report.metrics.steps[1].name = nasty;
  report.metrics.steps[1].detail = nasty;
  report.metrics.steps[2].error = nasty;
  report.metrics.bgp[0].peer = nasty;
  report.metrics.resolver_load[0].client = nasty;
  report.metrics.resolver_load[0].basis = nasty;
  report.metrics.warnings = {nasty};
  report.expectations[0].text = nasty;
  report.expectations[0].where = nasty;
  report.events_path = nasty;
  std::string html = report_html(report);
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_THAT(html, Not(HasSubstr(nasty)));
  EXPECT_THAT(html, HasSubstr("x&lt;&amp;&quot;&#39;&gt;y"));
  EXPECT_THAT(html, HasSubstr("data-node=\"x&lt;&amp;&quot;&#39;&gt;y\""));
  EXPECT_EQ(count(html, "<svg"), count(html, "</svg>"));
}

TEST(ReportHtmlTest, ControlCharactersCannotBreakTheMarkup) {
  Report report = sample_report();
  report.metrics.sites[0].node = std::string("dns\x01\x1b", 5);
  EXPECT_EQ(xml_problem(report_html(report)), "");
}

TEST(ReportHtmlTest, AnEmptyOrCutShortRunRendersWellFormed) {
  std::string empty = report_html(Report{});
  EXPECT_EQ(xml_problem(empty), "");
  EXPECT_THAT(empty, HasSubstr("<svg"));
  Report report = sample_report();
  report.metrics.cut_short = true;
  report.metrics.cut_short_reason = "lab did not converge";
  std::string html = report_html(report);
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_THAT(html, HasSubstr("The run was cut short:</b> lab did not converge"));
}

TEST(ReportHtmlTest, CrowdedStepLabelsGoToSeparateRows) {
  Report report = sample_report();
  // Five steps within half a second: their labels would overlap on one row.
  for (int i = 0; i < 5; ++i) report.metrics.steps[i].start_s = 5.0 + 0.1 * i;
  std::string html = report_html(report);
  EXPECT_EQ(xml_problem(html), "");
  std::set<std::string> label_rows;
  for (size_t at = html.find("class=\"step-label\""); at != std::string::npos;
       at = html.find("class=\"step-label\"", at + 1)) {
    size_t text = html.rfind("<text x=\"", at);
    size_t y = html.find("y=\"", text);
    label_rows.insert(html.substr(y, html.find('"', y + 3) - y));
  }
  EXPECT_EQ(label_rows.size(), 5u);
}

TEST(ReportHtmlTest, TheLabGraphFollowsTheTimelineWithItsMermaidTextFolded) {
  Report report = sample_report();
  EXPECT_THAT(report_html(report), Not(HasSubstr("id=\"lab-graph\"")));  // one read back
  report.graph =
      LabGraph{.svg =
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lab-graph\"><title>lab "
                   "minimal</title></svg>\n",
               .mermaid = "flowchart TB\n  n_a[\"a<br/>x & y\"]\n"};
  std::string html = report_html(report);
  EXPECT_EQ(xml_problem(html), "");
  EXPECT_THAT(html, HasSubstr("<section id=\"lab-graph\"><h2>Lab</h2>\n" + report.graph->svg +
                              "<details><summary>"));
  EXPECT_THAT(html, HasSubstr("<pre><code>flowchart TB\n  n_a[&quot;a&lt;br/&gt;x &amp; "
                              "y&quot;]\n</code></pre></details>"));
  EXPECT_LT(html.find("id=\"timeline-section\""), html.find("id=\"lab-graph\""));
  EXPECT_LT(html.find("id=\"lab-graph\""), html.find("id=\"steps\""));
}

TEST(ReportHtmlTest, TheTestsXmlCheckCatchesBrokenMarkup) {
  EXPECT_EQ(xml_problem("<a><b/></a>"), "");
  EXPECT_NE(xml_problem("<a><b></a>"), "");
  EXPECT_NE(xml_problem("<a>x & y</a>"), "");
  EXPECT_NE(xml_problem("<a t=\"<\"/>"), "");
  EXPECT_NE(xml_problem("<a t=x/>"), "");
  EXPECT_NE(xml_problem("<a/><b/>"), "");
  EXPECT_NE(xml_problem("<a>"), "");
}

}  // namespace
}  // namespace blastlab::report
