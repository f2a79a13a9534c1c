// The healthd.json the controller writes is one healthd takes: every DNS host's config of
// every shipped topology (and of every what-if variant's and drill's) goes through healthd's
// own parser and comes out with the topology's values; and at the ends of healthd's ranges
// the topology's validation and healthd decide alike.
#include <gtest/gtest.h>

#include "agents/healthd/config.hpp"
#include "contracts/contract_test_support.hpp"
#include "controller/drill/drill.hpp"
#include "controller/lab/healthd_config.hpp"

namespace blastlab::contracts {
namespace {

using nlohmann::json;

// healthd's verdict on a config; *why says what it refused.
bool healthd_takes(const json& config, std::string* why) {
  try {
    healthd::parse_config(config.dump(2), "healthd.json");
    return true;
  } catch (const healthd::ConfigError& e) {
    *why = e.what();
    return false;
  }
}

// Returns whether the topology has DNS sites at all: one without anycast DNS (reach.yaml)
// runs no healthd, so it has no config to check.
bool expect_healthd_takes_every_site(const std::string& name, const model::Topology& topology) {
  if (!topology.services.dns) return false;
  int sites = 0;
  for (const auto& node : topology.nodes) {
    if (node.role != model::Role::kDns) continue;
    ++sites;
    const model::HealthCheck health = topology.health_of(node);
    json written = lab::healthd_config(topology, node, "contract", "/run/blastlab/contract");
    try {
      healthd::Config read = healthd::parse_config(written.dump(2), "healthd.json");
      EXPECT_EQ(read.interval, health.interval) << name;
      EXPECT_EQ(read.timeout, health.timeout) << name;
      EXPECT_EQ(read.rise, health.rise) << name;
      EXPECT_EQ(read.fall, health.fall) << name;
      EXPECT_EQ(healthd::to_string(read.action), model::to_string(health.action)) << name;
      EXPECT_EQ(read.targets.size(), health.targets.size()) << name;
      EXPECT_EQ(read.checks.size(), health.checks.size()) << name;
      EXPECT_EQ(read.guard.has_value(), health.min_sites > 0) << name;
    } catch (const healthd::ConfigError& e) {
      ADD_FAILURE() << name << ": healthd refuses the config of " << node.name << ":\n" << e.what();
    }
  }
  EXPECT_GT(sites, 0) << name;
  return true;
}

TEST(HealthdConfigContractTest, EveryShippedTopologyMakesConfigsHealthdTakes) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source("topologies"))) {
    if (entry.path().extension() != ".yaml") continue;
    if (expect_healthd_takes_every_site(entry.path().filename().string(),
                                        testing::load_topology(entry.path().string())))
      ++count;
  }
  EXPECT_GE(count, 2);
}

TEST(HealthdConfigContractTest, EveryVariantsTopologyMakesConfigsHealthdTakes) {
  int count = 0;
  for (const auto& experiment : testing::shipped_experiments())
    count += expect_healthd_takes_every_site(experiment.name, experiment.topology) ? 1 : 0;
  EXPECT_GE(count, 3);
}

// A drill may change its topology (`topology-set`), like pop-uplinks' own health check for
// one site: the lab it builds must start a healthd that takes its config all the same.
TEST(HealthdConfigContractTest, EveryDrillsTopologyMakesConfigsHealthdTakes) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source("drills"))) {
    if (entry.path().extension() != ".yaml") continue;
    auto loaded = drill::load_drill_file(entry.path().string());
    EXPECT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
    if (loaded.topology &&
        expect_healthd_takes_every_site(entry.path().filename().string(), *loaded.topology))
      ++count;
  }
  EXPECT_GE(count, 6);
}

// Two DNS sites at one PoP, so that the guard can be on; `health` is the health section.
std::string topology_with_health(const std::string& health) {
  return R"(nodes:
  dc1: {role: datacenter}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1}
  dns2: {role: dns, site: pop1}
links: [[pop1, dns1], [pop1, dns2]]
services:
  dns:
    health: )" +
         health + "\n";
}

struct HealthCase {
  std::string health;  // the topology's services.dns.health
  bool valid;
  json patch;  // for an invalid one: the same values in a valid config, as healthd reads them
};

// At the ends of each range: what the topology takes, healthd takes; what the topology
// refuses, healthd refuses too, so the topology's refusal is never stricter than needed.
TEST(HealthdConfigContractTest, TheTopologyAndHealthdDecideAlikeAtTheLimits) {
  const std::vector<HealthCase> cases = {
      {"{interval: 3600s, timeout: 3599999ms, rise: 1000, fall: 1000}", true, {}},
      {"{interval: 2ms, timeout: 1ms, rise: 1, fall: 1, min-sites: 1}", true, {}},
      {"{checks: [tcp, icmp, http, dns], action: fail-static}", true, {}},
      {"{interval: 3600001ms, timeout: 1ms}", false, {{"interval_ms", 3600001}}},
      {"{interval: 1s, timeout: 1s}", false, {{"interval_ms", 1000}, {"timeout_ms", 1000}}},
      {"{timeout: 0ms}", false, {{"timeout_ms", 0}}},
      {"{rise: 1001}", false, {{"rise", 1001}}},
      {"{fall: 0}", false, {{"fall", 0}}},
      {"{min-sites: 2}", false, {{"guard", {{"min_sites", 2}}}}},
      {"{targets: [dc1, dc1]}",
       false,
       {{"targets", json::array({{{"name", "dc1"}, {"address", "198.18.0.1"}},
                                 {{"name", "dc1"}, {"address", "198.18.0.1"}}})}}},
  };
  auto base = model::load_topology_text(topology_with_health("{min-sites: 1}"), "t.yaml");
  ASSERT_TRUE(base.topology) << model::format_diagnostics(base.errors);
  json valid = lab::healthd_config(*base.topology, *base.topology->find_node("dns1"), "c", "/c");
  for (const auto& c : cases) {
    auto loaded = model::load_topology_text(topology_with_health(c.health), "t.yaml");
    EXPECT_EQ(loaded.topology.has_value(), c.valid) << c.health << "\n"
                                                    << model::format_diagnostics(loaded.errors);
    json config = valid;
    if (loaded.topology) {
      config =
          lab::healthd_config(*loaded.topology, *loaded.topology->find_node("dns1"), "c", "/c");
    } else {
      config.merge_patch(c.patch);
    }
    std::string why;
    EXPECT_EQ(healthd_takes(config, &why), c.valid) << c.health << ": " << why;
  }
}

}  // namespace
}  // namespace blastlab::contracts
