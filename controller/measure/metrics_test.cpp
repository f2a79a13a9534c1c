// compute_metrics() on synthetic runs: the full backbone-cut story with exact numbers, the
// predictions beside them, a run where nothing breaks, overlapping windows, shuffled input
// and the scalar names. The event streams are built in code (metrics_test_support.hpp), so
// every expected number below can be worked out from the lines that build its run.
#include "controller/measure/metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "controller/measure/metrics_test_support.hpp"

namespace blastlab::measure {
namespace {

using namespace testing;

TEST(MetricsTest, BackboneCutStoryHasTheExactNumbers) {
  Timeline t = backbone_cut();
  Metrics m = compute_metrics(two_site_context(), t.events);

  EXPECT_TRUE(m.warnings.empty()) << warnings_of(m);
  EXPECT_EQ(m.lab, "lab1");
  EXPECT_EQ(m.start_ts, at(0));
  EXPECT_EQ(m.end_ts, at(40));
  EXPECT_NEAR(m.duration_s, 40, kEps);
  expect_seconds(m.change_s, 10, "change");
  expect_seconds(m.rollback_s, 20, "rollback");
  EXPECT_FALSE(m.cut_short);
  EXPECT_EQ(m.events, t.events.size());

  ASSERT_EQ(m.steps.size(), 4u);
  EXPECT_EQ(m.steps[1].name, "audit");
  EXPECT_EQ(m.steps[1].kind, "vtysh");
  EXPECT_EQ(m.steps[1].detail, "vtysh things");
  EXPECT_EQ(m.steps[1].state, measure::StepState::kDone);
  EXPECT_NEAR(m.steps[1].start_s, 10, kEps);
  expect_seconds(m.steps[1].end_s, 10.2, "audit step end");

  const SiteMetrics& dns1 = site(m, "dns1");
  EXPECT_EQ(dns1.pop, "pop1");
  EXPECT_TRUE(dns1.withdrawn);
  EXPECT_FALSE(dns1.degraded);
  EXPECT_FALSE(dns1.fail_static);
  EXPECT_FALSE(dns1.no_events);
  expect_seconds(dns1.health_failed.measured_s, 2.9, "dns1 health failure");
  expect_seconds(dns1.withdrawn_after.measured_s, 3.0, "dns1 withdrawal");
  expect_seconds(dns1.reannounced_after.measured_s, 4.5, "dns1 re-announce");
  ASSERT_EQ(dns1.withdrawn_windows.size(), 1u);
  expect_window(dns1.withdrawn_windows[0], 13.0, 24.5, 11.5);
  const SiteMetrics& dns2 = site(m, "dns2");
  expect_seconds(dns2.health_failed.measured_s, 2.92, "dns2 health failure");
  expect_seconds(dns2.withdrawn_after.measured_s, 3.02, "dns2 withdrawal");
  expect_seconds(dns2.reannounced_after.measured_s, 4.6, "dns2 re-announce");
  ASSERT_EQ(dns2.withdrawn_windows.size(), 1u);
  expect_window(dns2.withdrawn_windows[0], 13.02, 24.6, 11.58);

  const PrefixAtVantage& peer1 = route(m, "peer1", kAnycast);
  EXPECT_TRUE(peer1.present_at_start);
  EXPECT_TRUE(peer1.lost);
  expect_seconds(peer1.lost_after.measured_s, 3.05, "peer1 loss");
  expect_seconds(peer1.regained_after.measured_s, 4.55, "peer1 regain");
  EXPECT_NEAR(peer1.absent_s, 11.5, kEps);
  ASSERT_EQ(peer1.absent_windows.size(), 1u);
  expect_window(peer1.absent_windows[0], 13.05, 24.55, 11.5);
  const PrefixAtVantage& peer2 = route(m, "peer2", kAnycast);
  expect_seconds(peer2.lost_after.measured_s, 3.08, "peer2 loss");
  expect_seconds(peer2.regained_after.measured_s, 4.6, "peer2 regain");
  EXPECT_NEAR(peer2.absent_s, 11.52, kEps);
  for (const char* vantage : {"peer1", "peer2"}) {
    for (const char* prefix : {kCovering, kOperator}) {
      const PrefixAtVantage& r = route(m, vantage, prefix);
      EXPECT_TRUE(r.present_at_start) << vantage << " " << prefix;
      EXPECT_FALSE(r.lost) << vantage << " " << prefix;
      EXPECT_FALSE(r.lost_after.measured_s) << vantage << " " << prefix;
      EXPECT_TRUE(r.absent_windows.empty()) << vantage << " " << prefix;
    }
  }

  const ClientTargetMetrics& c1 = client(m, "client1", "resolver");
  EXPECT_EQ(c1.queries, 400);
  EXPECT_EQ(c1.ok, 281);  // sends at 13.1, 13.2, ..., 24.9 failed: 119 of them
  EXPECT_EQ(c1.failures.servfail, 119);
  EXPECT_EQ(c1.failures.timeout + c1.failures.unreachable + c1.failures.other, 0);
  EXPECT_NEAR(*c1.success_ratio, 281.0 / 400, kEps);
  ASSERT_EQ(c1.outages.size(), 1u);
  expect_window(c1.outages[0], 13.1, 25.0, 11.9);
  expect_seconds(c1.outage_start_after_change_s, 3.1, "client1 outage start");
  expect_seconds(c1.recovered_after_rollback_s, 5.0, "client1 recovery");
  expect_seconds(c1.latency_p95_ms, 2.0, "client1 p95");
  ASSERT_EQ(c1.success_by_bucket.size(), 40u);
  EXPECT_NEAR(c1.success_by_bucket[0], 1.0, kEps);
  EXPECT_NEAR(c1.success_by_bucket[13], 0.1, kEps);  // 13.0 answered, 13.1-13.9 did not
  EXPECT_NEAR(c1.success_by_bucket[20], 0.0, kEps);
  EXPECT_NEAR(c1.success_by_bucket[25], 1.0, kEps);
  const ClientTargetMetrics& a1 = client(m, "client1", "anycast");
  EXPECT_EQ(a1.failures.timeout, 115);
  expect_window(a1.outages.at(0), 13.1, 24.6, 11.5);
  const ClientTargetMetrics& a2 = client(m, "client2", "anycast");
  EXPECT_EQ(a2.failures.unreachable, 115);
  const ClientTargetMetrics& c2 = client(m, "client2", "resolver");
  EXPECT_TRUE(c2.outages.empty());
  EXPECT_EQ(c2.success_ratio, 1.0);
  EXPECT_FALSE(c2.outage_start_after_change_s);
  EXPECT_NEAR(*m.dns_success_ratio, (281.0 + 400) / 800, kEps);

  const BlastRadius& r = m.blast_radius;
  EXPECT_EQ(r.sites_withdrawn, 2);
  EXPECT_EQ(r.sites_total, 2);
  EXPECT_EQ(r.prefixes_lost, 1);
  EXPECT_EQ(r.prefixes_total, 3);
  EXPECT_EQ(r.vantage_prefixes_lost, 2);
  EXPECT_EQ(r.vantage_prefixes_total, 6);
  EXPECT_EQ(r.clients_affected, 1);
  EXPECT_EQ(r.clients_total, 2);
  EXPECT_NEAR(r.sites_fraction, 1.0, kEps);
  EXPECT_NEAR(r.prefixes_fraction, 1.0 / 3, kEps);
  EXPECT_NEAR(r.clients_fraction, 0.5, kEps);

  expect_seconds(m.recovery.sites_s, 4.6, "sites recovery");
  expect_seconds(m.recovery.prefixes_s, 4.6, "prefixes recovery");
  expect_seconds(m.recovery.dns_s, 5.0, "dns recovery");
  expect_seconds(m.recovery.all_s, 5.0, "recovery");
  EXPECT_TRUE(m.recovery.complete);

  ASSERT_EQ(m.bgp.size(), 2u);
  EXPECT_NEAR(m.bgp[0].at_s, 13.5, kEps);
  EXPECT_EQ(m.bgp[0].node, "pop1");
  EXPECT_EQ(m.bgp[0].peer, "198.18.0.1");
  EXPECT_EQ(m.bgp[0].peer_node, "bb1");
  EXPECT_EQ(m.bgp[0].state, "down");
  EXPECT_EQ(m.bgp[1].state, "up");

  std::map<std::string, double> s = scalar_metrics(m).values;
  EXPECT_NEAR(s.at("dns.success_ratio"), 681.0 / 800, kEps);
  EXPECT_NEAR(s.at("dns.anycast_success_ratio"), 570.0 / 800, kEps);
  EXPECT_NEAR(s.at("dns.outage_max_s"), 11.9, kEps);
  EXPECT_NEAR(s.at("dns.latency_p95_ms"), 2.0, kEps);
  EXPECT_EQ(s.at("sites.withdrawn"), 2);
  EXPECT_EQ(s.at("sites.total"), 2);
  EXPECT_EQ(s.at("prefixes.lost"), 1);
  EXPECT_EQ(s.at("vantage_prefixes.lost"), 2);
  EXPECT_EQ(s.at("clients.affected"), 1);
  EXPECT_NEAR(s.at("clients.affected_fraction"), 0.5, kEps);
  EXPECT_NEAR(s.at("withdraw.max_s"), 3.02, kEps);
  EXPECT_NEAR(s.at("health.max_s"), 2.92, kEps);
  EXPECT_NEAR(s.at("routes.lost_max_s"), 3.08, kEps);
  EXPECT_NEAR(s.at("recovery.all_s"), 5.0, kEps);
  EXPECT_EQ(s.at("recovery.complete"), 1);
  EXPECT_EQ(s.at("steps.failed"), 0);
  EXPECT_EQ(s.at("bgp.sessions_down"), 1);
}

TEST(MetricsTest, PredictionsComeFromTheTimers) {
  RunContext context = two_site_context();
  context.timers = Timers{.health_interval_ms = 2000,
                          .health_timeout_ms = 1000,
                          .rise = 3,
                          .fall = 4,
                          .ospf_dead_ms = 4000};
  Metrics m = compute_metrics(context, backbone_cut().events);
  const SiteMetrics& dns1 = site(m, "dns1");
  EXPECT_EQ(dns1.health_failed.prediction, Prediction::kRange);
  EXPECT_NEAR(dns1.health_failed.predicted_min_s, 6, kEps);  // (fall-1) x interval
  EXPECT_NEAR(dns1.health_failed.predicted_max_s, 9, kEps);  // fall x interval + timeout
  EXPECT_EQ(dns1.health_failed.basis, "fall 4 × interval 2 s (+ timeout 1 s)");
  EXPECT_NEAR(dns1.withdrawn_after.predicted_min_s, 6, kEps);
  EXPECT_NEAR(dns1.withdrawn_after.predicted_max_s, 9, kEps);
  EXPECT_NE(dns1.withdrawn_after.basis.find("same round"), std::string::npos)
      << dns1.withdrawn_after.basis;
  EXPECT_NEAR(dns1.reannounced_after.predicted_min_s, 4, kEps);   // (rise-1) x interval
  EXPECT_NEAR(dns1.reannounced_after.predicted_max_s, 11, kEps);  // + timeout + ospf dead
  EXPECT_NE(dns1.reannounced_after.basis.find("OSPF dead 4 s"), std::string::npos)
      << dns1.reannounced_after.basis;
  EXPECT_NE(dns1.reannounced_after.basis.find("IGP"), std::string::npos);

  const PrefixAtVantage& anycast = route(m, "peer1", kAnycast);
  EXPECT_EQ(anycast.lost_after.prediction, Prediction::kRange);
  EXPECT_NEAR(anycast.lost_after.predicted_min_s, 6, kEps);
  EXPECT_NEAR(anycast.lost_after.predicted_max_s, 9, kEps);
  EXPECT_NE(anycast.lost_after.basis.find("last site"), std::string::npos);
  EXPECT_NEAR(anycast.regained_after.predicted_max_s, 11, kEps);
  const PrefixAtVantage& covering = route(m, "peer1", kCovering);
  EXPECT_EQ(covering.lost_after.prediction, Prediction::kKept);
  EXPECT_NE(covering.lost_after.basis.find("not expected to be lost"), std::string::npos);

  context.timers.action = "degrade";
  m = compute_metrics(context, backbone_cut().events);
  EXPECT_EQ(site(m, "dns1").withdrawn_after.basis.rfind("degraded", 0), 0u);
  EXPECT_EQ(route(m, "peer1", kAnycast).lost_after.prediction, Prediction::kKept);
  EXPECT_NE(route(m, "peer1", kAnycast).lost_after.basis.find("action degrade keeps announcing"),
            std::string::npos);
  context.timers.action = "fail-static";
  m = compute_metrics(context, backbone_cut().events);
  EXPECT_EQ(site(m, "dns1").withdrawn_after.prediction, Prediction::kKept);
  EXPECT_EQ(site(m, "dns1").health_failed.prediction, Prediction::kRange);
}

TEST(MetricsTest, DefaultTimersBasisReadsAsPeopleWriteIt) {
  Metrics m = compute_metrics(two_site_context(), backbone_cut().events);
  EXPECT_EQ(site(m, "dns1").health_failed.basis, "fall 3 × interval 1 s (+ timeout 0.5 s)");
  EXPECT_NEAR(site(m, "dns1").health_failed.predicted_min_s, 2, kEps);
  EXPECT_NEAR(site(m, "dns1").health_failed.predicted_max_s, 3.5, kEps);
  EXPECT_NEAR(site(m, "dns1").reannounced_after.predicted_min_s, 1, kEps);
  EXPECT_NEAR(site(m, "dns1").reannounced_after.predicted_max_s, 5.5, kEps);
}

TEST(MetricsTest, NoOutageMeansZeroBlastRadiusAndNoWindows) {
  Timeline t;
  t.dump(0, "peer1", {kAnycast, kCovering, kOperator})
      .dump(0, "peer2", {kAnycast, kCovering, kOperator});
  t.target(0, "dns1", "up").target(0, "dns2", "up");
  t.run(0, "start");
  t.step(1, 0, "vtysh", "start", "harmless").step(1.1, 0, "vtysh", "done", "harmless");
  t.step(5, 1, "rollback", "start").step(5.1, 1, "rollback", "done");
  for (const char* c : {"client1", "client2"}) {
    t.queries(c, "resolver", 0, 5000, 100, always_ok)
        .queries(c, "anycast", 0, 5000, 100, always_ok);
  }
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);

  EXPECT_TRUE(m.warnings.empty()) << warnings_of(m);
  const BlastRadius& r = m.blast_radius;
  EXPECT_EQ(r.sites_withdrawn + r.prefixes_lost + r.vantage_prefixes_lost + r.clients_affected, 0);
  EXPECT_EQ(r.sites_fraction + r.prefixes_fraction + r.clients_fraction, 0);
  EXPECT_EQ(m.dns_success_ratio, 1.0);
  for (const SiteMetrics& s : m.sites) {
    EXPECT_FALSE(s.withdrawn) << s.node;
    EXPECT_TRUE(s.withdrawn_windows.empty()) << s.node;
    EXPECT_FALSE(s.withdrawn_after.measured_s) << s.node;
    EXPECT_GT(s.withdrawn_after.predicted_max_s, 0) << "predictions stand without a measurement";
  }
  for (const PrefixAtVantage& p : m.routes) {
    EXPECT_TRUE(p.present_at_start);
    EXPECT_FALSE(p.lost);
    EXPECT_EQ(p.absent_s, 0);
    EXPECT_TRUE(p.absent_windows.empty());
  }
  for (const ClientTargetMetrics& c : m.clients) {
    EXPECT_EQ(c.success_ratio, 1.0) << c.client << " " << c.target;
    EXPECT_TRUE(c.outages.empty());
    ASSERT_EQ(c.success_by_bucket.size(), 10u);
    EXPECT_DOUBLE_EQ(c.success_by_bucket[4], 1.0);
    EXPECT_DOUBLE_EQ(c.success_by_bucket[5], -1.0) << "no query was sent after 5 s";
  }
  // Nothing broke, so everything was whole at the rollback.
  expect_seconds(m.recovery.all_s, 0, "recovery");
  EXPECT_TRUE(m.recovery.complete);
  std::map<std::string, double> s = scalar_metrics(m).values;
  EXPECT_EQ(s.at("dns.outage_max_s"), 0);
  EXPECT_FALSE(s.contains("withdraw.max_s")) << "no site withdrew: not measured, not zero";
  EXPECT_FALSE(s.contains("routes.lost_max_s"));
}

TEST(MetricsTest, OverlappingWindowsAreMeasuredEachOnItsOwn) {
  Timeline t;
  t.dump(0, "peer1", {kAnycast, kCovering, kOperator})
      .dump(0, "peer2", {kAnycast, kCovering, kOperator});
  t.run(0, "start");
  t.step(10, 0, "vtysh", "start", "drain").step(18, 1, "rollback", "start");
  // dns1 is out 12-20, dns2 15-25: the anycast prefix is gone while both are (15-20).
  t.announcement(12, "dns1", "withdraw").announcement(15, "dns2", "withdraw");
  t.announcement(20, "dns1", "announce").announcement(25, "dns2", "announce");
  t.route(15.05, "peer1", kAnycast, "remove").route(15.5, "peer2", kAnycast, "remove");
  t.route(20.05, "peer1", kAnycast, "add").route(20.3, "peer2", kAnycast, "add");
  // client1's resolver fails twice across those windows: 13-16 and 17-22.
  t.queries("client1", "resolver", 0, 30000, 250, [](int64_t ms) {
    return (ms >= 13000 && ms < 16000) || (ms >= 17000 && ms < 22000) ? "timeout" : "ok";
  });
  t.queries("client2", "resolver", 0, 30000, 250, always_ok);
  t.run(30, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(two_site_context(), t.events);

  expect_window(site(m, "dns1").withdrawn_windows.at(0), 12, 20, 8);
  expect_window(site(m, "dns2").withdrawn_windows.at(0), 15, 25, 10);
  expect_seconds(site(m, "dns2").withdrawn_after.measured_s, 5, "dns2 withdrawal");
  const PrefixAtVantage& p1 = route(m, "peer1", kAnycast);
  const PrefixAtVantage& p2 = route(m, "peer2", kAnycast);
  expect_window(p1.absent_windows.at(0), 15.05, 20.05, 5);
  expect_window(p2.absent_windows.at(0), 15.5, 20.3, 4.8);
  expect_seconds(p1.lost_after.measured_s, 5.05, "peer1 loss");
  expect_seconds(p2.lost_after.measured_s, 5.5, "peer2 loss");
  expect_seconds(p2.regained_after.measured_s, 2.3, "peer2 regain");
  const ClientTargetMetrics& c1 = client(m, "client1", "resolver");
  ASSERT_EQ(c1.outages.size(), 2u);
  expect_window(c1.outages[0], 13, 16, 3);
  expect_window(c1.outages[1], 17, 22, 5);
  expect_seconds(c1.outage_start_after_change_s, 3, "first outage");
  expect_seconds(c1.recovered_after_rollback_s, 4, "end of the last outage");
  EXPECT_EQ(c1.failures.timeout, 32);  // 12 sends in 13-16, 20 in 17-22

  EXPECT_EQ(m.blast_radius.prefixes_lost, 1) << "one prefix, lost at two vantage points";
  EXPECT_EQ(m.blast_radius.vantage_prefixes_lost, 2);
  EXPECT_EQ(m.blast_radius.sites_withdrawn, 2);
  EXPECT_EQ(m.blast_radius.clients_affected, 1);
  expect_seconds(m.recovery.sites_s, 7, "sites recovery");  // dns2 back at 25
  expect_seconds(m.recovery.prefixes_s, 2.3, "prefixes recovery");
  expect_seconds(m.recovery.dns_s, 4, "dns recovery");
  expect_seconds(m.recovery.all_s, 7, "recovery");
  EXPECT_NEAR(scalar_metrics(m).values.at("dns.outage_max_s"), 5, kEps);
  EXPECT_NEAR(scalar_metrics(m).values.at("routes.lost_max_s"), 5.5, kEps);
}

TEST(MetricsTest, ShuffledInputGivesTheSameMetrics) {
  Timeline t = backbone_cut();
  Metrics sorted = compute_metrics(two_site_context(), t.events);
  std::vector<Event> shuffled = t.events;
  std::mt19937 random(20211004);
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  Metrics m = compute_metrics(two_site_context(), shuffled);

  EXPECT_EQ(scalar_metrics(m).values, scalar_metrics(sorted).values);
  EXPECT_EQ(m.start_ts, sorted.start_ts);
  EXPECT_EQ(m.warnings, sorted.warnings);
  ASSERT_EQ(m.clients.size(), sorted.clients.size());
  for (size_t i = 0; i < m.clients.size(); ++i) {
    EXPECT_EQ(m.clients[i].success_by_bucket, sorted.clients[i].success_by_bucket);
    ASSERT_EQ(m.clients[i].outages.size(), sorted.clients[i].outages.size());
    for (size_t j = 0; j < m.clients[i].outages.size(); ++j) {
      const Window& w = sorted.clients[i].outages[j];
      expect_window(m.clients[i].outages[j], w.start_s, w.end_s, w.duration_s);
    }
  }
  for (size_t i = 0; i < m.sites.size(); ++i) {
    EXPECT_EQ(m.sites[i].withdrawn_after.measured_s, sorted.sites[i].withdrawn_after.measured_s);
  }
  for (size_t i = 0; i < m.routes.size(); ++i) {
    EXPECT_EQ(m.routes[i].absent_s, sorted.routes[i].absent_s);
  }
}

TEST(MetricsTest, EveryScalarNameIsListedAndTheStoryProducesThemAll) {
  const std::vector<std::string>& names = scalar_metric_names();
  // The story with a reachability probe too: client1 loses peer1 with the backbone.
  RunContext context = two_site_context();
  context.reach_pairs = {{"client1", "peer1", "icmp", 0, "198.18.0.20"}};
  Timeline story = backbone_cut();
  story.probes("client1", "peer1", 0, 40000, 100, failing_between(10300, 21000, "unreachable"));
  std::map<std::string, double> values =
      scalar_metrics(compute_metrics(context, story.events)).values;
  for (const auto& [name, value] : values) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end())
        << name << " is produced but not listed in scalar_metric_names()";
  }
  for (const std::string& name : names) {
    EXPECT_TRUE(values.contains(name)) << name << " is listed but the full story lacks it";
  }
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << "a name twice";
}

}  // namespace
}  // namespace blastlab::measure
