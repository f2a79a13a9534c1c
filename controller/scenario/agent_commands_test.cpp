#include "controller/scenario/agent_commands.hpp"

#include <gtest/gtest.h>

namespace blastlab::scenario {
namespace {

using Argv = std::vector<std::string>;

struct Loaded {
  model::Topology topology;
  Script script;
};

Loaded load(const std::string& topology, const std::string& script) {
  std::string dir = BLASTLAB_SOURCE_DIR;
  auto t = model::load_topology_file(dir + "/" + topology);
  EXPECT_TRUE(t.topology) << model::format_diagnostics(t.errors);
  auto s = load_script_file(dir + "/" + script, *t.topology);
  EXPECT_TRUE(s.script) << model::format_diagnostics(s.errors);
  return {*t.topology, *s.script};
}

TEST(AgentCommandsTest, RoutewatchAtEveryVantageThenDnsprobeAndQuerywatchAtEveryClient) {
  auto [topology, script] = load("topologies/minimal.yaml", "scripts/backbone-shutdown.yaml");
  auto commands = agent_commands(topology, script, "/bin", "/ev");
  // 3s baseline, 3s observe, 60s, six steps of 30s, waits of 20s, 15s, 30s and 20s, 5s after.
  const std::string duration = "336s";
  EXPECT_EQ(run_bound(script), std::chrono::seconds(336));
  ASSERT_EQ(commands.size(), 4u);
  EXPECT_EQ(commands[0].what, "routewatch");
  EXPECT_EQ(commands[0].node, "transit1");
  EXPECT_EQ(commands[0].argv, (Argv{"/bin/blastlab-routewatch", "--node", "transit1", "--events",
                                    "/ev/routewatch-transit1.jsonl", "--duration", duration,
                                    "--prefix", "198.51.100.0/26", "--prefix", "198.51.100.0/24"}));
  EXPECT_EQ(commands[1].node, "transit2");
  EXPECT_EQ(commands[2].what, "dnsprobe");
  EXPECT_EQ(commands[2].argv, (Argv{"/bin/blastlab-dnsprobe",
                                    "--node",
                                    "client1",
                                    "--events",
                                    "/ev/dnsprobe-client1.jsonl",
                                    "--rate",
                                    "10",
                                    "--timeout",
                                    "1000ms",
                                    "--zone",
                                    "example.net",
                                    "--qname",
                                    "unique",
                                    "--duration",
                                    duration,
                                    "--nsid",
                                    "--target",
                                    "resolver=127.0.0.1",
                                    "--target",
                                    "anycast=198.51.100.12"}));
  EXPECT_EQ(commands[3].what, "querywatch");
  EXPECT_EQ(commands[3].argv, (Argv{"/bin/blastlab-querywatch", "--node", "client1", "--events",
                                    "/ev/querywatch-client1.jsonl", "--duration", duration,
                                    "--target", "198.51.100.12", "--target", "198.51.100.13"}));
}

TEST(AgentCommandsTest, TheRunsBoundCountsWhatAGateWatches) {
  auto [topology, script] = load("topologies/minimal.yaml", "scripts/backbone-shutdown.yaml");
  auto gated = load_script_text(
      "name: g\nbaseline: 1s\nobserve: 1s\nsteps:\n  - gate: {observe: 600s, expect: "
      "[sites.withdrawn == 0]}\n",
      "g.yaml", topology);
  ASSERT_TRUE(gated.script) << model::format_diagnostics(gated.errors);
  // 1s + 1s + 60s, and the gate's 600s and 30s.
  EXPECT_EQ(run_bound(*gated.script), std::chrono::seconds(692));
}

TEST(AgentCommandsTest, ProbesTurnedOffStartNothing) {
  auto [topology, script] = load("topologies/minimal.yaml", "scripts/backbone-shutdown.yaml");
  script.dns.enabled = false;
  script.routes.enabled = false;
  EXPECT_TRUE(agent_commands(topology, script, "/bin", "/ev").empty());
}

}  // namespace
}  // namespace blastlab::scenario
