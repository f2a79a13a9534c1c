// The scalar metrics that expectations and gates test: a metric the run did not measure has
// no value and says why (an empty stream, an agent that wrote nothing, died or fell silent,
// nothing to measure from), never a friendly default; and the gaps behind those reasons.
#include <gtest/gtest.h>

#include "controller/measure/metrics.hpp"
#include "controller/measure/metrics_test_support.hpp"

namespace blastlab::measure {
namespace {

using namespace testing;

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The controller's event for an agent it watches (docs/events.md).
void agent_state(Timeline& t, double s, const std::string& agent, const std::string& node,
                 const std::string& state, const std::string& detail = "") {
  t.add(at(s), "controller", "", "agent",
        {{"name", agent}, {"on", node}, {"state", state}, {"detail", detail}});
}

TEST(ScalarsTest, AnEmptyStreamHasNoMetricAtAll) {
  Metrics m = compute_metrics(two_site_context(), {});
  Scalars s = scalar_metrics(m);
  EXPECT_TRUE(s.values.empty());
  for (const std::string& name : scalar_metric_names()) {
    EXPECT_EQ(s.why_missing(name), "the run recorded no events") << name;
  }
}

TEST(ScalarsTest, NoResolverQueryIsNoSuccessRatio) {
  Timeline t = backbone_cut();
  std::erase_if(t.events, [](const Event& e) {
    return e.agent == "dnsprobe" && e.data.value("target", "") == "resolver";
  });
  Metrics m = compute_metrics(two_site_context(), t.events);
  EXPECT_FALSE(m.dns_success_ratio) << "not 1: nothing was asked";
  Scalars s = scalar_metrics(m);
  EXPECT_FALSE(s.find("dns.success_ratio"));
  EXPECT_EQ(s.why_missing("dns.success_ratio"), "no query was sent through a resolver");
  EXPECT_TRUE(s.find("dns.anycast_success_ratio")) << "the anycast target was still probed";
}

TEST(ScalarsTest, ASilentHealthdIsNotZeroSitesWithdrawn) {
  Timeline t = backbone_cut();
  std::erase_if(t.events, [](const Event& e) { return e.agent == "healthd" && e.node == "dns2"; });
  Metrics m = compute_metrics(two_site_context(), t.events);
  ASSERT_EQ(m.gaps.size(), 1u);
  EXPECT_EQ(m.gaps[0].agent, "healthd");
  EXPECT_EQ(m.gaps[0].node, "dns2");
  EXPECT_EQ(m.gaps[0].what, "wrote nothing");
  Scalars s = scalar_metrics(m);
  for (const char* name :
       {"sites.withdrawn", "sites.withdrawn_fraction", "sites.degraded", "withdraw.max_s",
        "health.max_s", "recovery.sites_s", "recovery.all_s", "recovery.complete"}) {
    EXPECT_FALSE(s.find(name)) << name;
    EXPECT_EQ(s.why_missing(name), "healthd on dns2 wrote nothing") << name;
  }
  EXPECT_EQ(s.values.at("sites.total"), 2) << "the topology's count needs no agent";
  EXPECT_TRUE(s.find("dns.success_ratio")) << "the other agents' metrics stand";
}

TEST(ScalarsTest, ALabWithoutSitesOrVantagesSaysSo) {
  RunContext context = two_site_context();
  context.sites.clear();
  context.vantages.clear();
  Metrics m = compute_metrics(context, backbone_cut().events);
  Scalars s = scalar_metrics(m);
  EXPECT_EQ(s.why_missing("sites.withdrawn"), "the lab has no DNS site running healthd");
  EXPECT_EQ(s.why_missing("prefixes.lost"), "no vantage point runs routewatch (no routes watched)");
  EXPECT_TRUE(s.find("recovery.all_s")) << "parts the lab lacks have nothing to recover";
  EXPECT_TRUE(m.gaps.empty()) << "nothing that was started is missing";
}

TEST(ScalarsTest, AnAgentThatDiesMidRunIsAGapThatTakesItsMetrics) {
  Timeline t = backbone_cut();
  agent_state(t, 12.4, "dnsprobe", "client2", "dead", "exited with status 9 (killed)");
  Metrics m = compute_metrics(two_site_context(), t.events);
  ASSERT_EQ(m.gaps.size(), 1u);
  const MeasurementGap& gap = m.gaps[0];
  EXPECT_EQ(gap.agent, "dnsprobe");
  EXPECT_EQ(gap.node, "client2");
  EXPECT_EQ(gap.what, "died");
  ASSERT_TRUE(gap.from_s);
  EXPECT_NEAR(*gap.from_s, 12.4, 1e-6);
  EXPECT_FALSE(gap.to_s);
  EXPECT_EQ(gap.detail, "exited with status 9 (killed)");
  Scalars s = scalar_metrics(m);
  for (const char* name : {"dns.success_ratio", "dns.anycast_success_ratio", "dns.outage_max_s",
                           "clients.affected", "recovery.dns_s", "resolver.load_ratio"}) {
    EXPECT_EQ(s.why_missing(name), "dnsprobe on client2 died at 12.4 s") << name;
  }
  EXPECT_TRUE(s.find("sites.withdrawn"));
  EXPECT_TRUE(mentions(warnings_of(m), "dnsprobe on client2 died at 12.4 s (until the end)"))
      << warnings_of(m);
}

TEST(ScalarsTest, ASilenceThatEndsIsAClosedGap) {
  Timeline t = backbone_cut();
  agent_state(t, 10, "routewatch", "peer1", "silent", "no event for 6.0 s");
  agent_state(t, 14.5, "routewatch", "peer1", "writing");
  Metrics m = compute_metrics(two_site_context(), t.events);
  ASSERT_EQ(m.gaps.size(), 1u);
  EXPECT_EQ(m.gaps[0].what, "fell silent");
  ASSERT_TRUE(m.gaps[0].to_s);
  EXPECT_NEAR(*m.gaps[0].to_s, 14.5, 1e-6);
  EXPECT_EQ(scalar_metrics(m).why_missing("prefixes.lost"),
            "routewatch on peer1 fell silent at 10.0 s");
}

}  // namespace
}  // namespace blastlab::measure
