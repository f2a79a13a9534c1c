// compute_metrics() at the edges of a run: agents that wrote nothing, runs cut short (no
// end event, or the controller's own cut_short), failed and unfinished steps, events before
// the run's start, degrade and fail-static sites, a run without a change, no events at all.
#include <gtest/gtest.h>

#include "controller/measure/metrics.hpp"
#include "controller/measure/metrics_test_support.hpp"

namespace blastlab::measure {
namespace {

using namespace testing;

TEST(MetricsTest, AnAgentThatWroteNothingIsNamedAndTheOthersStillCount) {
  RunContext context = two_site_context();
  context.sites.push_back({"dns3", "pop3"});
  context.vantages.push_back("peer3");
  context.clients.push_back("client3");
  Timeline t = backbone_cut();
  Metrics m = compute_metrics(context, t.events);

  EXPECT_TRUE(has_warning(m, "healthd on dns3 wrote no events")) << warnings_of(m);
  EXPECT_TRUE(has_warning(m, "routewatch on peer3 wrote no events")) << warnings_of(m);
  EXPECT_TRUE(has_warning(m, "dnsprobe on client3 wrote no events")) << warnings_of(m);
  EXPECT_TRUE(has_warning(m, "querywatch on client3 wrote no events")) << warnings_of(m);
  EXPECT_EQ(m.warnings.size(), 4u) << warnings_of(m);
  EXPECT_TRUE(site(m, "dns3").no_events);
  EXPECT_FALSE(site(m, "dns3").withdrawn);
  EXPECT_FALSE(site(m, "dns1").no_events);
  EXPECT_TRUE(route(m, "peer3", kAnycast).no_events);
  EXPECT_FALSE(route(m, "peer3", kAnycast).lost);
  EXPECT_TRUE(client(m, "client3", "resolver").no_events);
  EXPECT_TRUE(client(m, "client3", "anycast").no_events);
  EXPECT_EQ(client(m, "client3", "resolver").queries, 0);
  EXPECT_FALSE(client(m, "client1", "resolver").no_events);

  // The others are measured as in the full story.
  expect_seconds(site(m, "dns1").withdrawn_after.measured_s, 3.0, "dns1 withdrawal");
  EXPECT_EQ(m.blast_radius.sites_withdrawn, 2);
  EXPECT_EQ(m.blast_radius.sites_total, 3);
  EXPECT_NEAR(m.blast_radius.sites_fraction, 2.0 / 3, kEps);
  EXPECT_EQ(m.blast_radius.vantage_prefixes_total, 9);
  EXPECT_EQ(m.blast_radius.vantage_prefixes_lost, 2);
  EXPECT_EQ(m.blast_radius.clients_total, 3);
  EXPECT_EQ(m.blast_radius.clients_affected, 1);
  EXPECT_NEAR(*m.dns_success_ratio, (281.0 + 400) / 800, kEps) << "a silent client sent nothing";
  expect_seconds(m.recovery.all_s, 5.0, "recovery");
}

TEST(MetricsTest, ARunWithoutAnEndEventIsCutShortAndItsWindowsRunToTheLastEvent) {
  Timeline t;
  t.dump(0, "peer1", {kAnycast, kCovering, kOperator})
      .dump(0, "peer2", {kAnycast, kCovering, kOperator});
  t.run(0, "start");
  t.step(10, 0, "vtysh", "start", "audit").step(10.2, 0, "vtysh", "done", "audit");
  t.step(20, 1, "rollback", "start", "undo");
  t.announcement(13, "dns1", "withdraw").announcement(13.02, "dns2", "withdraw");
  t.route(13.05, "peer1", kAnycast, "remove").route(13.08, "peer2", kAnycast, "remove");
  t.announcement(24.5, "dns1", "announce");  // dns2 never comes back
  t.queries("client1", "resolver", 0, 30000, 100, failing_between(13100, 99000, "servfail"));
  t.queries("client2", "resolver", 0, 30000, 100, always_ok);
  // No `run end`: the controller died. The last event is the query sent at 29.9 s.
  Metrics m = compute_metrics(two_site_context(), t.events);

  EXPECT_TRUE(m.cut_short);
  EXPECT_EQ(m.cut_short_reason, "the run has no end event");
  EXPECT_TRUE(has_warning(m, "the run was cut short: the run has no end event")) << warnings_of(m);
  EXPECT_TRUE(has_warning(m, "step 1 (undo) was still running")) << warnings_of(m);
  EXPECT_EQ(m.end_ts, at(29.9));
  EXPECT_EQ(m.steps.at(1).state, measure::StepState::kRunning);
  EXPECT_FALSE(m.steps.at(1).end_s);
  expect_window(site(m, "dns2").withdrawn_windows.at(0), 13.02, std::nullopt, 29.9 - 13.02);
  expect_window(site(m, "dns1").withdrawn_windows.at(0), 13, 24.5, 11.5);
  expect_window(route(m, "peer1", kAnycast).absent_windows.at(0), 13.05, std::nullopt, 16.85);
  EXPECT_NEAR(route(m, "peer1", kAnycast).absent_s, 16.85, kEps);
  EXPECT_FALSE(route(m, "peer1", kAnycast).regained_after.measured_s);
  const ClientTargetMetrics& c1 = client(m, "client1", "resolver");
  expect_window(c1.outages.at(0), 13.1, std::nullopt, 16.8);
  EXPECT_FALSE(c1.recovered_after_rollback_s);

  EXPECT_FALSE(m.recovery.complete);
  EXPECT_FALSE(m.recovery.sites_s);
  EXPECT_FALSE(m.recovery.prefixes_s);
  EXPECT_FALSE(m.recovery.dns_s);
  EXPECT_FALSE(m.recovery.all_s);
  std::map<std::string, double> s = scalar_metrics(m).values;
  EXPECT_FALSE(s.contains("recovery.all_s"));
  EXPECT_EQ(s.at("recovery.complete"), 0);
  EXPECT_NEAR(s.at("dns.outage_max_s"), 16.8, kEps);
}

TEST(MetricsTest, TheControllersCutShortAndReasonAreKept) {
  Timeline t;
  t.run(0, "start").step(1, 0, "vtysh", "start", "audit");
  t.step(1.5, 0, "vtysh", "failed", "audit", "vtysh on edge1 exited with status 1");
  t.announcement(3, "dns1", "withdraw");
  t.run(4, "end", {{"cut_short", true}, {"reason", "interrupted by SIGINT"}});
  t.announcement(5, "dns1", "announce");  // after the end: not in the run
  Metrics m = compute_metrics(two_site_context(), t.events);
  EXPECT_TRUE(m.cut_short);
  EXPECT_EQ(m.cut_short_reason, "interrupted by SIGINT");
  EXPECT_TRUE(has_warning(m, "the run was cut short: interrupted by SIGINT")) << warnings_of(m);
  EXPECT_TRUE(has_warning(m, "step 0 (audit) failed: vtysh on edge1 exited with status 1"))
      << warnings_of(m);
  EXPECT_EQ(m.steps.at(0).state, measure::StepState::kFailed);
  EXPECT_EQ(m.steps.at(0).error, "vtysh on edge1 exited with status 1");
  EXPECT_NEAR(m.duration_s, 4, kEps);
  expect_window(site(m, "dns1").withdrawn_windows.at(0), 3, std::nullopt, 1);
  EXPECT_EQ(scalar_metrics(m).values.at("steps.failed"), 1);
}

TEST(MetricsTest, DegradeAndFailStaticAreTheirOwnFlags) {
  Timeline t;
  t.run(0, "start").step(1, 0, "vtysh", "start");
  t.announcement(0.5, "dns1", "withdraw");  // before the change: not "withdrawn after" it
  t.announcement(0.8, "dns1", "announce");
  t.announcement(3, "dns1", "degrade", /*ok=*/false);  // bgpd refused: nothing changed
  t.announcement(4, "dns1", "degrade");
  t.site(4, "dns2", "fail-static");
  t.announcement(8, "dns1", "announce");
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);
  const SiteMetrics& dns1 = site(m, "dns1");
  EXPECT_TRUE(dns1.degraded);
  EXPECT_FALSE(dns1.withdrawn);
  expect_seconds(dns1.withdrawn_after.measured_s, 3, "degrade after the change");
  ASSERT_EQ(dns1.withdrawn_windows.size(), 2u);
  expect_window(dns1.withdrawn_windows[0], 0.5, 0.8, 0.3);
  expect_window(dns1.withdrawn_windows[1], 4, 8, 4);
  EXPECT_TRUE(site(m, "dns2").fail_static);
  EXPECT_FALSE(site(m, "dns2").withdrawn);
  EXPECT_EQ(m.blast_radius.sites_withdrawn, 0) << "a degraded site still announces";
}

TEST(MetricsTest, AGuardedSiteIsFlaggedAndNotWithdrawn) {
  Timeline t;
  t.run(0, "start").step(1, 0, "vtysh", "start");
  t.site(4, "dns1", "guarded");
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);
  EXPECT_TRUE(site(m, "dns1").guarded);
  EXPECT_FALSE(site(m, "dns1").withdrawn);
  EXPECT_FALSE(site(m, "dns2").guarded);
}

TEST(MetricsTest, TheRunStartEventAnchorsAndEarlierEventsOnlySetTheState) {
  Timeline t;
  t.announcement(-50, "dns1", "withdraw");  // withdrawn before the run and still at its start
  t.dump(-1, "peer1", {kCovering});         // the anycast prefix is already missing
  t.query("client1", "resolver", -2000, "timeout");  // a stale probe line
  t.run(0, "start").step(2, 0, "vtysh", "start");
  t.announcement(5, "dns1", "announce");
  t.route(5.1, "peer1", kAnycast, "add");
  t.queries("client1", "resolver", 0, 10000, 500, always_ok);
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);

  EXPECT_EQ(m.start_ts, at(0)) << "the controller's run start, not the first event";
  expect_window(site(m, "dns1").withdrawn_windows.at(0), 0, 5, 5);
  const PrefixAtVantage& p = route(m, "peer1", kAnycast);
  EXPECT_FALSE(p.present_at_start);
  EXPECT_TRUE(p.lost) << "absent after the change";
  EXPECT_FALSE(p.lost_after.measured_s) << "it was never removed";
  expect_window(p.absent_windows.at(0), 0, 5.1, 5.1);
  EXPECT_NEAR(p.absent_s, 3.1, kEps);
  EXPECT_TRUE(route(m, "peer1", kCovering).present_at_start);
  EXPECT_TRUE(has_warning(m, std::string(kAnycast) + " was absent at peer1 when the run started"))
      << warnings_of(m);
  EXPECT_TRUE(has_warning(m, "1 controller or dnsprobe event(s) precede the run's start"))
      << warnings_of(m);
  EXPECT_EQ(client(m, "client1", "resolver").queries, 20) << "the stale query is not counted";
  EXPECT_TRUE(client(m, "client1", "resolver").outages.empty());
}

TEST(MetricsTest, WithoutAChangeOutagesOfTheWholeRunCount) {
  Timeline t;
  t.run(0, "start").step(0, 0, "wait", "start", "soak");
  t.queries("client1", "resolver", 0, 10000, 100, failing_between(2000, 3000, "servfail"));
  t.announcement(2, "dns1", "withdraw").announcement(3, "dns1", "announce");
  t.step(10, 0, "wait", "done", "soak").run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);
  EXPECT_FALSE(m.change_s);
  EXPECT_FALSE(m.rollback_s);
  EXPECT_EQ(m.blast_radius.clients_affected, 1);
  EXPECT_EQ(m.blast_radius.sites_withdrawn, 1);
  EXPECT_FALSE(site(m, "dns1").withdrawn_after.measured_s) << "no change to measure from";
  EXPECT_FALSE(client(m, "client1", "resolver").outage_start_after_change_s);
  EXPECT_TRUE(m.recovery.complete) << "everything was whole again before the end";
  EXPECT_FALSE(m.recovery.all_s) << "no rollback to measure from";
}
TEST(MetricsTest, NoEventsAtAllIsAnEmptyCutShortRun) {
  Metrics m = compute_metrics(two_site_context(), {});
  EXPECT_TRUE(m.cut_short);
  EXPECT_EQ(m.duration_s, 0);
  EXPECT_EQ(m.events, 0u);
  EXPECT_EQ(m.sites.size(), 2u);
  EXPECT_EQ(m.routes.size(), 6u);
  EXPECT_EQ(m.clients.size(), 4u);
  EXPECT_TRUE(has_warning(m, "dnsprobe on client2 wrote no events")) << warnings_of(m);
  EXPECT_EQ(m.blast_radius.sites_fraction, 0);
}

}  // namespace
}  // namespace blastlab::measure

namespace blastlab::measure {
namespace {

using namespace testing;

TEST(MetricsTest, AVtyshChangeIsTimedWhenItsFirstRouterIsConfigured) {
  // The step starts, reads every router's running config (0.6 s here), then configures.
  Timeline t;
  t.run(0, "start").step(1, 0, "vtysh", "start", "audit");
  t.step(1.6, 0, "vtysh", "applying", "audit");
  t.step(2.5, 0, "vtysh", "done", "audit");
  t.step(8, 1, "rollback", "start", "undo").step(8.2, 1, "rollback", "done", "undo");
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);
  ASSERT_TRUE(m.change_s);
  EXPECT_NEAR(*m.change_s, 1.6, 1e-6);
  EXPECT_NEAR(m.steps.at(0).start_s, 1.0, 1e-6) << "the step itself began at its start";
  EXPECT_EQ(m.steps.at(0).state, measure::StepState::kDone);
}

TEST(MetricsTest, ARouteChangeFoundByAReDumpIsMarkedApproximate) {
  Timeline t = backbone_cut();
  Metrics exact = compute_metrics(two_site_context(), t.events);
  for (const PrefixAtVantage& r : exact.routes) EXPECT_FALSE(r.approximate) << r.vantage;
  // peer1 lost the anycast prefix, but only a re-dump after an overflow found out.
  for (Event& e : t.events) {
    if (e.agent == "routewatch" && e.node == "peer1" && e.event == "route" &&
        e.data.value("action", "") == "remove")
      e.data["resync"] = true;
  }
  Metrics m = compute_metrics(two_site_context(), t.events);
  for (const PrefixAtVantage& r : m.routes) {
    EXPECT_EQ(r.approximate, r.vantage == "peer1" && r.lost) << r.vantage << " " << r.prefix;
  }
}

}  // namespace
}  // namespace blastlab::measure
