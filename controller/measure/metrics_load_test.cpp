// compute_metrics() on querywatch's counts: the resolver load per client in the baseline
// and in its outage window (its resolver outages, or the change to the rollback when it had
// none), the ratio, the busiest interval, dnsprobe's direct queries taken out, the total
// over clients and the scalars; and the runs where some of it cannot be known.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "controller/measure/metrics.hpp"
#include "controller/measure/metrics_test_support.hpp"

namespace blastlab::measure {
namespace {

using namespace testing;

const ResolverLoad& load_of(const Metrics& m, const std::string& client) {
  for (const ResolverLoad& load : m.resolver_load) {
    if (load.client == client) return load;
  }
  throw std::runtime_error("no resolver load for " + client);
}

RunContext one_client() {
  RunContext context = two_site_context();
  context.clients = {"client1"};
  return context;
}

// A run of `end_s` seconds with a change at 10 s, and a rollback at 20 s when asked.
Timeline run_with_change(double end_s, bool rollback) {
  Timeline t;
  t.run(0, "start");
  t.step(1, 0, "wait", "start", "baseline").step(10, 0, "wait", "done", "baseline");
  t.step(10, 1, "vtysh", "start", "audit").step(10.2, 1, "vtysh", "done", "audit");
  if (rollback)
    t.step(20, 2, "rollback", "start", "undo").step(20.3, 2, "rollback", "done", "undo");
  t.run(end_s, "end", {{"cut_short", false}});
  return t;
}

TEST(ResolverLoadTest, TheReferenceStoryPerClientAndInTotal) {
  Metrics m = compute_metrics(two_site_context(), backbone_cut().events);
  ASSERT_EQ(m.resolver_load.size(), 2u);

  // client1: 10 upstream queries a second before the change, 40 in its 13.1-25.0 s outage
  // (the 12 intervals whose midpoints fall in it), after its dnsprobe's 10 direct ones.
  const ResolverLoad& c1 = load_of(m, "client1");
  EXPECT_FALSE(c1.no_events);
  EXPECT_EQ(c1.baseline_queries, 100);
  EXPECT_NEAR(c1.baseline_s, 10, kEps);
  expect_seconds(c1.baseline_qps, 10, "client1 baseline q/s");
  EXPECT_EQ(c1.outage_queries, 480);
  EXPECT_NEAR(c1.outage_s, 12, kEps);
  expect_seconds(c1.outage_qps, 40, "client1 outage q/s");
  expect_seconds(c1.ratio, 4, "client1 ratio");
  expect_seconds(c1.peak_qps, 40, "client1 peak");
  expect_seconds(c1.peak_at_s, 14, "client1 peak's end");
  EXPECT_EQ(c1.basis, "during the client's resolver outage (1 window, 11.9 s)");
  EXPECT_EQ(c1.probe_queries_excluded, 400) << "10 a second for 40 s";
  EXPECT_EQ(c1.drops, 0);

  // client2 answered throughout: measured from the change to the rollback.
  const ResolverLoad& c2 = load_of(m, "client2");
  expect_seconds(c2.baseline_qps, 10, "client2 baseline q/s");
  expect_seconds(c2.outage_qps, 10, "client2 outage q/s");
  EXPECT_NEAR(c2.outage_s, 10, kEps);
  expect_seconds(c2.ratio, 1, "client2 ratio");
  EXPECT_EQ(c2.basis, "from the change to the rollback (the client's resolver had no outage)");

  EXPECT_EQ(m.resolver_load_total.clients, 2);
  expect_seconds(m.resolver_load_total.baseline_qps, 20, "total baseline");
  expect_seconds(m.resolver_load_total.outage_qps, 50, "total outage");
  expect_seconds(m.resolver_load_total.ratio, 2.5, "total ratio");

  auto s = scalar_metrics(m).values;
  EXPECT_NEAR(s.at("resolver.load_ratio"), 2.5, kEps);
  EXPECT_NEAR(s.at("resolver.baseline_qps"), 20, kEps);
  EXPECT_NEAR(s.at("resolver.outage_qps"), 50, kEps);
}

TEST(ResolverLoadTest, ThreeTimesTheLoadOverTwoOutageWindows) {
  Timeline t = run_with_change(30, true);
  // The resolver fails in [12, 15) and [21, 24): two outages, 6 s together.
  t.queries("client1", "resolver", 0, 30000, 100, [](int64_t ms) {
    bool down = (ms >= 12000 && ms < 15000) || (ms >= 21000 && ms < 24000);
    return std::string(down ? "servfail" : "ok");
  });
  t.querywatch_start(0, "client1");
  // Half-second intervals: 5 a second, 15 a second in the intervals inside the outages.
  t.intervals("client1", 0, 30000, 500, [](int64_t end) -> int64_t {
    bool down = (end > 12000 && end <= 15000) || (end > 21000 && end <= 24000);
    return down ? 7 + (end % 1000 == 0 ? 1 : 0) : 2 + (end % 1000 == 0 ? 1 : 0);
  });
  Metrics m = compute_metrics(one_client(), t.events);
  const ResolverLoad& load = load_of(m, "client1");
  expect_seconds(load.baseline_qps, 5, "baseline q/s");
  EXPECT_NEAR(load.outage_s, 6, kEps);
  EXPECT_EQ(load.outage_queries, 90);
  expect_seconds(load.outage_qps, 15, "outage q/s");
  expect_seconds(load.ratio, 3, "ratio");
  expect_seconds(load.peak_qps, 16, "the busier half-second");
  EXPECT_EQ(load.basis, "during the client's resolver outage (2 windows, 6.0 s)");
  EXPECT_EQ(load.probe_queries_excluded, 0) << "no direct queries to the name server";
  EXPECT_NEAR(scalar_metrics(m).values.at("resolver.load_ratio"), 3, kEps);
}

TEST(ResolverLoadTest, NoOutageAndNoRollbackMeasuresToTheRunsEnd) {
  Timeline t = run_with_change(30, false);
  t.queries("client1", "resolver", 0, 30000, 100, always_ok);
  t.querywatch_start(0, "client1");
  t.intervals("client1", 0, 30000, 1000, [](int64_t end) { return end > 10000 ? 12 : 8; });
  Metrics m = compute_metrics(one_client(), t.events);
  const ResolverLoad& load = load_of(m, "client1");
  expect_seconds(load.baseline_qps, 8, "baseline q/s");
  expect_seconds(load.outage_qps, 12, "q/s after the change");
  EXPECT_NEAR(load.outage_s, 20, kEps);
  expect_seconds(load.ratio, 1.5, "ratio");
  EXPECT_EQ(load.basis, "from the change to the run's end (the client's resolver had no outage)");
}

TEST(ResolverLoadTest, ASilentBaselineLeavesTheRatioUnknown) {
  Timeline t = run_with_change(30, true);
  t.queries("client1", "resolver", 0, 30000, 100, always_ok);
  t.querywatch_start(0, "client1");
  t.intervals("client1", 0, 30000, 1000, [](int64_t end) { return end > 10000 ? 6 : 0; });
  Metrics m = compute_metrics(one_client(), t.events);
  const ResolverLoad& load = load_of(m, "client1");
  expect_seconds(load.baseline_qps, 0, "baseline q/s");
  expect_seconds(load.outage_qps, 6, "outage q/s");
  EXPECT_FALSE(load.ratio.has_value()) << *load.ratio;
  EXPECT_FALSE(m.resolver_load_total.ratio.has_value());
  Scalars scalars = scalar_metrics(m);
  EXPECT_FALSE(scalars.find("resolver.load_ratio")) << "unknown is absent, not 0";
  EXPECT_NE(scalars.why_missing("resolver.load_ratio").find("no baseline"), std::string::npos);
  EXPECT_EQ(scalars.values.at("resolver.baseline_qps"), 0);
  EXPECT_EQ(scalars.values.at("resolver.outage_qps"), 6);
}

TEST(ResolverLoadTest, AClientWithoutQuerywatchIsNamedAndLeftOutOfTheTotal) {
  RunContext context = two_site_context();
  Timeline t = backbone_cut();
  std::erase_if(t.events,
                [](const Event& e) { return e.agent == "querywatch" && e.node == "client2"; });
  Metrics m = compute_metrics(context, t.events);
  const ResolverLoad& c2 = load_of(m, "client2");
  EXPECT_TRUE(c2.no_events);
  EXPECT_FALSE(c2.baseline_qps.has_value());
  EXPECT_FALSE(c2.ratio.has_value());
  EXPECT_TRUE(has_warning(m, "querywatch on client2 wrote no events")) << warnings_of(m);
  EXPECT_EQ(m.resolver_load_total.clients, 1);
  expect_seconds(m.resolver_load_total.baseline_qps, 10, "client1 alone");
  expect_seconds(m.resolver_load_total.ratio, 4, "client1 alone");
}

TEST(ResolverLoadTest, ARunWhoseQuerywatchWroteNothingHasNoLoadAndSaysWhy) {
  Timeline t = backbone_cut();
  std::erase_if(t.events, [](const Event& e) { return e.agent == "querywatch"; });
  Metrics m = compute_metrics(two_site_context(), t.events);
  ASSERT_EQ(m.resolver_load.size(), 2u);
  EXPECT_TRUE(m.resolver_load[0].no_events);
  EXPECT_TRUE(m.resolver_load[1].no_events);
  EXPECT_EQ(m.resolver_load_total.clients, 0);
  Scalars s = scalar_metrics(m);
  for (const char* name : {"resolver.load_ratio", "resolver.baseline_qps", "resolver.outage_qps",
                           "resolver.peak_ratio"}) {
    EXPECT_FALSE(s.find(name)) << name << " is not 0 without data";
    EXPECT_EQ(s.why_missing(name),
              "querywatch on client1 wrote nothing; querywatch on client2 wrote nothing")
        << name;
  }
}

TEST(ResolverLoadTest, EventsOutOfOrderGiveTheSameLoad) {
  Timeline t = backbone_cut();
  Metrics sorted = compute_metrics(two_site_context(), t.events);
  std::vector<Event> shuffled = t.events;
  std::mt19937 random(53);
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  Metrics m = compute_metrics(two_site_context(), shuffled);
  ASSERT_EQ(m.resolver_load.size(), sorted.resolver_load.size());
  for (size_t i = 0; i < m.resolver_load.size(); ++i) {
    const ResolverLoad& a = m.resolver_load[i];
    const ResolverLoad& b = sorted.resolver_load[i];
    EXPECT_EQ(a.client, b.client);
    EXPECT_EQ(a.baseline_queries, b.baseline_queries);
    EXPECT_EQ(a.outage_queries, b.outage_queries);
    EXPECT_EQ(a.ratio, b.ratio);
    EXPECT_EQ(a.peak_qps, b.peak_qps);
    EXPECT_EQ(a.basis, b.basis);
    EXPECT_EQ(a.probe_queries_excluded, b.probe_queries_excluded);
  }
  EXPECT_EQ(m.resolver_load_total.ratio, sorted.resolver_load_total.ratio);
}

TEST(ResolverLoadTest, WithoutAChangeTheWholeRunIsTheBaseline) {
  Timeline t;
  t.run(0, "start").run(10, "end", {{"cut_short", false}});
  t.querywatch_start(0, "client1");
  t.intervals("client1", 0, 10000, 1000, [](int64_t) { return 3; });
  // Intervals before the run's start (the agent started with the lab) are not the run's.
  t.interval("client1", -1000, 1000, 500);
  Metrics m = compute_metrics(one_client(), t.events);
  const ResolverLoad& load = load_of(m, "client1");
  expect_seconds(load.baseline_qps, 3, "baseline q/s");
  EXPECT_NEAR(load.baseline_s, 10, kEps);
  EXPECT_FALSE(load.outage_qps.has_value());
  EXPECT_FALSE(load.ratio.has_value());
  expect_seconds(load.peak_qps, 3, "peak over the whole run");
  EXPECT_EQ(load.basis, "no change: the whole run is the baseline");
}

TEST(ResolverLoadTest, QueriesThatNeverLeftAreNotTakenOut) {
  Timeline t = run_with_change(20, false);
  t.querywatch_start(0, "client1");
  t.intervals("client1", 0, 20000, 1000, [](int64_t end) { return end > 10000 ? 4 : 14; });
  // 10 direct queries a second; after the change the route is gone and connect() fails.
  for (int64_t ms = 0; ms < 20000; ms += 100) {
    t.query("client1", "anycast", ms, ms < 10000 ? "timeout" : "unreachable");
    if (ms >= 10000) t.events.back().data["error"] = "connect: network is unreachable";
  }
  // A query to the name server on another port is not one querywatch counts either.
  t.query("client1", "anycast", 500, "ok");
  t.events.back().data["server"] = std::string(kNameServer) + ":5353";
  Metrics m = compute_metrics(one_client(), t.events);
  const ResolverLoad& load = load_of(m, "client1");
  expect_seconds(load.baseline_qps, 4, "baseline q/s");
  expect_seconds(load.outage_qps, 4, "q/s after the change");
  EXPECT_EQ(load.probe_queries_excluded, 100);
}

TEST(ResolverLoadTest, LostPacketsAreCountedAndWarnedAbout) {
  Timeline t = run_with_change(20, false);
  t.querywatch_start(0, "client1");
  t.intervals("client1", 0, 19000, 1000, [](int64_t) { return 5; });
  t.interval("client1", 20000, 1000, 5, 0, /*drops=*/17);
  t.interval("client1", 20000, 0, 9);  // zero-length: nothing to measure a rate over
  Metrics m = compute_metrics(one_client(), t.events);
  EXPECT_EQ(load_of(m, "client1").drops, 17);
  expect_seconds(load_of(m, "client1").outage_qps, 5, "q/s after the change");
  expect_seconds(load_of(m, "client1").peak_qps, 5, "peak");
  EXPECT_TRUE(has_warning(m, "querywatch on client1 lost 17 packet(s)")) << warnings_of(m);
}

TEST(ScalarMetricsTest, AnycastPrefixesLostCountsAnycastKindOnly) {
  Metrics m = compute_metrics(two_site_context(), backbone_cut().events);
  EXPECT_EQ(scalar_metrics(m).values.at("prefixes.anycast_lost"), 1);
  // The covering prefix lost at one vantage point as well: prefixes.lost grows, the anycast
  // count does not.
  Timeline t = backbone_cut();
  t.route(15, "peer1", kCovering, "remove");
  m = compute_metrics(two_site_context(), t.events);
  auto s = scalar_metrics(m).values;
  EXPECT_EQ(s.at("prefixes.lost"), 2);
  EXPECT_EQ(s.at("prefixes.anycast_lost"), 1);
  // Nothing lost, with routewatch watching: 0, not absent.
  Timeline quiet;
  quiet.run(0, "start").run(10, "end", {{"cut_short", false}});
  quiet.dump(0.1, "peer1", {kAnycast, kCovering, kOperator})
      .dump(0.1, "peer2", {kAnycast, kCovering, kOperator});
  EXPECT_EQ(scalar_metrics(compute_metrics(two_site_context(), quiet.events))
                .values.at("prefixes.anycast_lost"),
            0);
}

TEST(ScalarMetricsTest, CoveringAbsenceIsTheLongestAtOneVantagePoint) {
  // Kept everywhere: measured, and 0.
  Metrics m = compute_metrics(two_site_context(), backbone_cut().events);
  EXPECT_EQ(scalar_metrics(m).values.at("prefixes.covering_absent_max_s"), 0);
  // Gone 50 ms at peer1 while BGP explores paths: lost, and absent for 0.05 s.
  Timeline t = backbone_cut();
  t.route(15, "peer1", kCovering, "remove").route(15.05, "peer1", kCovering, "add");
  auto s = scalar_metrics(compute_metrics(two_site_context(), t.events)).values;
  EXPECT_EQ(s.at("prefixes.covering_lost"), 1);
  EXPECT_NEAR(s.at("prefixes.covering_absent_max_s"), 0.05, kEps);
  // Gone to the end of the run: the whole rest of it counts.
  Timeline gone = backbone_cut();
  gone.route(15, "peer2", kCovering, "remove");
  Metrics g = compute_metrics(two_site_context(), gone.events);
  EXPECT_NEAR(scalar_metrics(g).values.at("prefixes.covering_absent_max_s"),
              route(g, "peer2", kCovering).absent_s, kEps);
  EXPECT_GT(route(g, "peer2", kCovering).absent_s, 1);
  // No covering prefix watched: not measured, with the reason.
  Timeline none;
  none.run(0, "start").run(10, "end", {{"cut_short", false}});
  none.dump(0.1, "peer1", {kAnycast}).dump(0.1, "peer2", {kAnycast});
  Scalars scalars = scalar_metrics(compute_metrics(two_site_context(), none.events));
  EXPECT_FALSE(scalars.values.contains("prefixes.covering_absent_max_s"));
  EXPECT_THAT(scalars.why_missing("prefixes.covering_absent_max_s"),
              ::testing::HasSubstr("no covering"));
}

}  // namespace
}  // namespace blastlab::measure
