// compute_metrics() on reachprobe's probes, on synthetic event streams: outages by send time
// as dnsprobe's, a pair lost after the change and regained after the rollback, a pair that
// kept answering, a pair that never answered, a probe that died (a gap: the metrics have no
// value, the run is incomplete), and the scalars expectations test.
#include <gtest/gtest.h>

#include "controller/measure/metrics.hpp"
#include "controller/measure/metrics_test_support.hpp"

namespace blastlab::measure {
namespace {

using namespace testing;

// h1 probes h2 and h3 by ICMP, h2 probes h1; nothing of DNS.
RunContext reach_context() {
  return RunContext{.lab = "lab1",
                    .topology = "reach.yaml",
                    .script = "cut.yaml",
                    .reach_pairs = {{"h1", "h2", "icmp", 0, "198.18.0.2"},
                                    {"h1", "h3", "icmp", 0, "198.18.0.3"},
                                    {"h2", "h1", "icmp", 0, "198.18.0.1"}}};
}

const ReachPairMetrics& pair_of(const Metrics& m, const std::string& from,
                                const std::string& target) {
  for (const auto& p : m.reach)
    if (p.from == from && p.target == target) return p;
  ADD_FAILURE() << "no pair " << from << " -> " << target;
  static const ReachPairMetrics kNone;
  return kNone;
}

// The change at 2 s, the rollback at 6 s, the end at 10 s; probes every 100 ms.
Timeline cut_and_rollback() {
  Timeline t;
  t.run(0, "start").step(2, 0, "link", "start", "cut").step(2.01, 0, "link", "done", "cut");
  t.step(6, 1, "rollback", "start").step(6.01, 1, "rollback", "done");
  return t;
}

TEST(MetricsReachTest, APairLostAfterTheChangeAndRegainedAfterTheRollback) {
  Timeline t = cut_and_rollback();
  t.probes("h1", "h2", 0, 10000, 100, failing_between(2300, 7500, "timeout"));
  t.probes("h1", "h3", 0, 10000, 100, always_ok);
  t.probes("h2", "h1", 0, 10000, 100, failing_between(2100, 7000, "unreachable"));
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(reach_context(), t.events);

  const ReachPairMetrics& lost = pair_of(m, "h1", "h2");
  EXPECT_EQ(lost.probes, 100);
  EXPECT_EQ(lost.ok, 48);
  EXPECT_EQ(lost.failures.timeout, 52);
  EXPECT_TRUE(lost.lost);
  EXPECT_FALSE(lost.never_answered);
  ASSERT_EQ(lost.outages.size(), 1u);
  expect_window(lost.outages[0], 2.3, 7.5, 5.2);
  expect_seconds(lost.lost_after_change_s, 0.3, "lost after change");
  expect_seconds(lost.regained_after_rollback_s, 1.5, "regained after rollback");
  EXPECT_NEAR(lost.outage_s, 5.2, kEps);
  expect_seconds(lost.rtt_p50_ms, 1.5, "rtt");
  EXPECT_EQ(lost.success_by_bucket.size(), 10u);
  EXPECT_NEAR(lost.success_by_bucket[0], 1.0, kEps);
  EXPECT_NEAR(lost.success_by_bucket[4], 0.0, kEps);

  const ReachPairMetrics& kept = pair_of(m, "h1", "h3");
  EXPECT_FALSE(kept.lost);
  EXPECT_TRUE(kept.outages.empty());
  EXPECT_FALSE(kept.lost_after_change_s);
  EXPECT_FALSE(kept.regained_after_rollback_s);
  EXPECT_EQ(pair_of(m, "h2", "h1").failures.unreachable, 49);

  EXPECT_EQ(m.reach_summary.pairs, 3);
  EXPECT_EQ(m.reach_summary.pairs_lost, 2);
  expect_seconds(m.recovery.reachability_s, 1.5, "recovery: the last pair back");
  EXPECT_TRUE(m.recovery.complete);
  expect_seconds(m.recovery.all_s, 1.5, "all");
  // A lab without DNS sites or resolver probes has no recovery of them: absent, not 0.
  EXPECT_FALSE(m.recovery.sites_s);
  EXPECT_FALSE(m.recovery.dns_s);
  EXPECT_FALSE(m.recovery.prefixes_s);
  EXPECT_TRUE(m.gaps.empty());

  Scalars s = scalar_metrics(m);
  EXPECT_EQ(s.values.at("reachability.pairs"), 3);
  EXPECT_EQ(s.values.at("reachability.pairs_lost"), 2);
  EXPECT_NEAR(s.values.at("reachability.pairs_lost_fraction"), 2.0 / 3, kEps);
  EXPECT_NEAR(s.values.at("reachability.success_ratio"), (48.0 + 100 + 51) / 300, kEps);
  EXPECT_NEAR(s.values.at("reachability.outage_max_s"), 5.2, kEps);
  EXPECT_NEAR(s.values.at("recovery.reachability_s"), 1.5, kEps);
  EXPECT_EQ(s.values.at("reachability.never_answered"), 0);
}

TEST(MetricsReachTest, APairThatNeverAnsweredIsLostForTheWholeRunAndSaysSo) {
  Timeline t = cut_and_rollback();
  t.probes("h1", "h2", 0, 10000, 100, always_ok);
  t.probes("h1", "h3", 0, 10000, 100, [](int64_t) { return std::string("timeout"); });
  t.probes("h2", "h1", 0, 10000, 100, always_ok);
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(reach_context(), t.events);
  const ReachPairMetrics& never = pair_of(m, "h1", "h3");
  EXPECT_TRUE(never.never_answered);
  EXPECT_TRUE(never.lost);
  EXPECT_EQ(never.ok, 0);
  EXPECT_EQ(never.success_ratio, std::optional<double>(0.0));
  EXPECT_FALSE(never.rtt_p50_ms) << "no answer, no round trip";
  ASSERT_EQ(never.outages.size(), 1u);
  expect_window(never.outages[0], 0, std::nullopt, 10);
  EXPECT_FALSE(never.lost_after_change_s) << "it was lost before the change";
  EXPECT_FALSE(never.regained_after_rollback_s);
  EXPECT_TRUE(has_warning(m, "h1 → h3 (icmp) never answered")) << warnings_of(m);
  // Still broken at the end: no recovery time, and the recovery is incomplete.
  EXPECT_FALSE(m.recovery.reachability_s);
  EXPECT_FALSE(m.recovery.complete);
  Scalars s = scalar_metrics(m);
  EXPECT_EQ(s.values.at("reachability.never_answered"), 1);
  EXPECT_EQ(s.values.at("reachability.pairs_lost"), 1);
  EXPECT_EQ(s.find("recovery.reachability_s"), nullptr);
  EXPECT_EQ(s.why_missing("recovery.reachability_s"), "still broken when the run ended");
}

TEST(MetricsReachTest, AProbeThatDiedIsAGapAndItsMetricsHaveNoValue) {
  Timeline t = cut_and_rollback();
  // h1's reachprobe stops writing at 4 s; the controller saw it die at 4.5 s.
  t.probes("h1", "h2", 0, 4000, 100, failing_between(2300, 9000, "timeout"));
  t.probes("h1", "h3", 0, 4000, 100, always_ok);
  t.probes("h2", "h1", 0, 10000, 100, always_ok);
  t.add(
      at(4.5), "controller", "lab1", "agent",
      {{"name", "reachprobe"}, {"on", "h1"}, {"state", "dead"}, {"detail", "its process is gone"}});
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(reach_context(), t.events);
  ASSERT_EQ(m.gaps.size(), 1u);
  EXPECT_EQ(m.gaps[0].agent, "reachprobe");
  EXPECT_EQ(m.gaps[0].what, "died");
  // What was seen is kept (the pair's outage stays open: nothing says it ended) ...
  const ReachPairMetrics& lost = pair_of(m, "h1", "h2");
  EXPECT_EQ(lost.probes, 40);
  ASSERT_EQ(lost.outages.size(), 1u);
  EXPECT_FALSE(lost.outages[0].end_s);
  // ... but no figure is given from data that is not whole.
  Scalars s = scalar_metrics(m);
  for (const char* name :
       {"reachability.pairs_lost", "reachability.success_ratio", "reachability.outage_max_s",
        "recovery.reachability_s", "recovery.all_s"}) {
    EXPECT_EQ(s.find(name), nullptr) << name;
    EXPECT_NE(s.why_missing(name).find("reachprobe on h1 died at 4.5 s"), std::string::npos)
        << name << ": " << s.why_missing(name);
  }
  EXPECT_EQ(s.values.at("reachability.pairs"), 3) << "how many pairs were probed is known";
}

TEST(MetricsReachTest, AProbeThatWroteNothingIsAGapForItsPairs) {
  Timeline t = cut_and_rollback();
  t.probes("h2", "h1", 0, 10000, 100, always_ok);
  t.run(10, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(reach_context(), t.events);
  EXPECT_TRUE(pair_of(m, "h1", "h2").no_events);
  EXPECT_TRUE(pair_of(m, "h1", "h3").no_events);
  ASSERT_EQ(m.gaps.size(), 1u);
  EXPECT_EQ(m.gaps[0].agent, "reachprobe");
  EXPECT_EQ(m.gaps[0].what, "wrote nothing");
  EXPECT_TRUE(has_warning(m, "reachprobe on h1 wrote no events")) << warnings_of(m);
  EXPECT_EQ(scalar_metrics(m).find("reachability.pairs_lost"), nullptr);
}

TEST(MetricsReachTest, TcpPairsAreToldApartByPortAndRefusalsCounted) {
  RunContext context{.reach_pairs = {{"h1", "web", "tcp", 80, ""}, {"h1", "web", "tcp", 443, ""}}};
  Timeline t;
  t.run(0, "start");
  for (int64_t ms = 0; ms < 1000; ms += 100) {
    t.probe("h1", "web", ms, "ok", "tcp", 80);
    t.probe("h1", "web", ms, ms < 500 ? "refused" : "ok", "tcp", 443);
  }
  t.run(1, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(context, t.events);
  ASSERT_EQ(m.reach.size(), 2u);
  EXPECT_EQ(m.reach[0].ok, 10);
  EXPECT_EQ(m.reach[1].failures.refused, 5);
  EXPECT_EQ(m.reach[1].address, "198.18.0.9") << "the address the probe said it probed";
  // Without a change the whole run is observed.
  EXPECT_FALSE(m.reach[0].lost);
  EXPECT_TRUE(m.reach[1].lost);
}

TEST(MetricsReachTest, ARunWithoutReachProbesHasNoReachabilityMetric) {
  Timeline t;
  t.run(0, "start").run(1, "end", {{"cut_short", false}});
  Scalars s = scalar_metrics(compute_metrics(RunContext{}, t.events));
  for (const char* name : {"reachability.pairs", "reachability.pairs_lost",
                           "reachability.success_ratio", "recovery.reachability_s"}) {
    EXPECT_EQ(s.find(name), nullptr) << name;
    EXPECT_NE(s.why_missing(name).find("no node runs reachprobe"), std::string::npos) << name;
  }
}

TEST(MetricsRoutesTest, WhereAPrefixWentIsListedFromTheFirstDump) {
  RunContext context{.vantages = {"r1"}, .prefixes = {{kOperator, "other"}}};
  Timeline t;
  t.run(0, "start");
  nlohmann::json first_route = {
      {"prefix", kOperator}, {"gateway", "198.19.0.1"}, {"dev", "r2"}, {"protocol", "bgp"}};
  t.add(at(0.1), "routewatch", "r1", "dump",
        {{"present", nlohmann::json::array({kOperator})},
         {"routes", nlohmann::json::array({first_route})}});
  t.add(at(2), "routewatch", "r1", "route",
        {{"prefix", kOperator},
         {"action", "change"},
         {"protocol", "bgp"},
         {"gateway", "198.19.0.5"},
         {"dev", "r3"}});
  t.route(3, "r1", kOperator, "remove");
  t.run(4, "end", {{"cut_short", false}});
  Metrics m = compute_metrics(context, t.events);
  const PrefixAtVantage& r = route(m, "r1", kOperator);
  ASSERT_EQ(r.next_hops.size(), 3u);
  EXPECT_EQ(r.next_hops[0].action, "present");
  EXPECT_EQ(r.next_hops[0].dev, "r2");
  EXPECT_EQ(r.next_hops[1].action, "change");
  EXPECT_EQ(r.next_hops[1].gateway, "198.19.0.5");
  EXPECT_NEAR(r.next_hops[1].at_s, 2, kEps);
  EXPECT_EQ(r.next_hops[2].action, "remove");
  EXPECT_TRUE(r.lost) << "a change keeps it present; the remove loses it";
  ASSERT_EQ(r.absent_windows.size(), 1u);
  expect_window(r.absent_windows[0], 3, std::nullopt, 1);
}

}  // namespace
}  // namespace blastlab::measure
