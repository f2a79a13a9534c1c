// The predictions assume the timers the lab runs: the routers' rendered configs carry the
// routing timers measure's predictions default to, and a run's predictions take the health
// timers the topology hands healthd.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "contracts/contract_test_support.hpp"
#include "controller/experiment/run.hpp"
#include "controller/frr/plan.hpp"
#include "controller/frr/render.hpp"

namespace blastlab::contracts {
namespace {

TEST(TimersContractTest, TheRoutersRunTheTimersThePredictionsAssume) {
  auto topology = testing::load_topology(testing::source("topologies/minimal.yaml"));
  auto plan = frr::plan_routing(topology);
  const frr::RouterPlan* bb1 = plan.find("bb1");
  ASSERT_TRUE(bb1);
  std::string config = frr::render_router(topology, *bb1).integrated;
  measure::Timers predicted;
  EXPECT_NE(config.find(fmt::format(" timers bgp {} {}\n", kLabRoutingTimers.bgp_keepalive_s,
                                    predicted.bgp_hold_ms / 1000)),
            std::string::npos)
      << config;
  EXPECT_NE(
      config.find(fmt::format(" ip ospf hello-interval {}\n", predicted.ospf_hello_ms / 1000)),
      std::string::npos)
      << config;
  EXPECT_NE(config.find(fmt::format(" ip ospf dead-interval {}\n", predicted.ospf_dead_ms / 1000)),
            std::string::npos)
      << config;
}

TEST(TimersContractTest, APredictionTakesTheHealthTimersHealthdIsGiven) {
  measure::Timers predicted;
  model::HealthCheck given;
  EXPECT_EQ(predicted.health_interval_ms, given.interval.count());
  EXPECT_EQ(predicted.health_timeout_ms, given.timeout.count());
  EXPECT_EQ(predicted.rise, given.rise);
  EXPECT_EQ(predicted.fall, given.fall);
  for (const auto& experiment : testing::shipped_experiments()) {
    // A lab without anycast DNS has no health timers to predict from.
    if (!experiment.topology.services.dns) continue;
    const auto& health = experiment.topology.services.dns->health;
    auto timers = experiment::run_context(experiment.topology, experiment.script, "lab").timers;
    EXPECT_EQ(timers.health_interval_ms, health.interval.count()) << experiment.name;
    EXPECT_EQ(timers.health_timeout_ms, health.timeout.count()) << experiment.name;
    EXPECT_EQ(timers.rise, health.rise) << experiment.name;
    EXPECT_EQ(timers.fall, health.fall) << experiment.name;
    EXPECT_EQ(timers.action, model::to_string(health.action)) << experiment.name;
  }
}

}  // namespace
}  // namespace blastlab::contracts
