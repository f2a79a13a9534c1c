// healthd.json for a DNS host: the service's health section, or the host's own over it.
#include "controller/lab/healthd_config.hpp"

#include <gtest/gtest.h>

namespace blastlab::lab {
namespace {

using nlohmann::json;

// dns1 probes its own PoP's router, with icmp only; dns2 is left to the service's section.
constexpr std::string_view kTopology = R"(nodes:
  dc1: {role: datacenter}
  dc2: {role: datacenter}
  pop1: {role: edge}
  pop2: {role: edge}
  dns1: {role: dns, site: pop1, health: {targets: [pop1], checks: [icmp]}}
  dns2: {role: dns, site: pop2}
links: [[dc1, pop1], [dc2, pop2], [pop1, pop2], [pop1, dns1], [pop2, dns2]]
services:
  dns:
    health: {checks: [tcp, icmp], port: 8080, fall: 4}
)";

class HealthdConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = model::load_topology_text(kTopology, "t.yaml");
    ASSERT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
    topology_ = std::move(*loaded.topology);
  }
  json config_of(const std::string& node) {
    return healthd_config(topology_, *topology_.find_node(node), "lab1", "/run/blastlab/lab1");
  }
  std::string loopback_of(const std::string& node) {
    return topology_.find_node(node)->loopback->address.str();
  }

  model::Topology topology_;
};

TEST_F(HealthdConfigTest, TheServicesSectionForAHostWithoutItsOwn) {
  json config = config_of("dns2");
  EXPECT_EQ(config["targets"], json::array({{{"name", "dc1"}, {"address", loopback_of("dc1")}},
                                            {{"name", "dc2"}, {"address", loopback_of("dc2")}}}));
  EXPECT_EQ(config["checks"], json::array({"tcp", "icmp"}));
  EXPECT_EQ(config["port"], 8080);
  EXPECT_EQ(config["fall"], 4);
}

TEST_F(HealthdConfigTest, TheHostsOwnTargetsAndChecksOverTheService) {
  json config = config_of("dns1");
  EXPECT_EQ(config["targets"], json::array({{{"name", "pop1"}, {"address", loopback_of("pop1")}}}));
  EXPECT_EQ(config["checks"], json::array({"icmp"}));
  // What the host does not give is the service's.
  EXPECT_EQ(config["port"], 8080);
  EXPECT_EQ(config["fall"], 4);
  EXPECT_EQ(config["node"], "dns1");
}

}  // namespace
}  // namespace blastlab::lab
