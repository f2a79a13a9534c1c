// The script's expectations judged on a run's scalar metrics: one on a metric without data
// fails and says why.
#include <gtest/gtest.h>

#include "controller/experiment/run.hpp"
#include "controller/model/diagnostic.hpp"
#include "controller/model/topology.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::experiment {

namespace {

TEST(ExpectationsTest, AnExpectationOnAMetricWithoutDataFailsNamingWhy) {
  auto topology = model::load_topology_file(BLASTLAB_SOURCE_DIR "/topologies/minimal.yaml");
  ASSERT_TRUE(topology.topology) << model::format_diagnostics(topology.errors);
  auto loaded = scenario::load_script_text(R"(name: x
steps:
  - wait: {until: converged}
expect:
  - dns.success_ratio >= 0.99
  - sites.withdrawn == 0
)",
                                           "s.yaml", *topology.topology);
  ASSERT_TRUE(loaded.script) << loaded.errors.front().message;
  measure::Scalars scalars;
  scalars.values["sites.withdrawn"] = 0;
  scalars.missing["dns.success_ratio"] = "dnsprobe on client1 died at 3.0 s";
  auto results = judge_expectations(*loaded.script, scalars);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_FALSE(results[0].passed);
  EXPECT_FALSE(results[0].value);
  EXPECT_EQ(results[0].missing, "dnsprobe on client1 died at 3.0 s");
  EXPECT_EQ(results[0].where, "s.yaml:5:5");
  EXPECT_TRUE(results[1].passed);
  EXPECT_EQ(results[1].missing, "");
}

}  // namespace
}  // namespace blastlab::experiment
