// `probes.reach` and routes at any node in a change script: what is read, the addresses
// probed, the listeners and command lines a run starts, and every refusal at its
// file:line:col.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "controller/scenario/agent_commands.hpp"
#include "controller/scenario/reach_targets.hpp"
#include "controller/scenario/script.hpp"

namespace blastlab::scenario {
namespace {

using Argv = std::vector<std::string>;

const model::Topology& topology_of(const std::string& file) {
  static std::map<std::string, model::Topology> loaded;
  auto it = loaded.find(file);
  if (it == loaded.end()) {
    auto t = model::load_topology_file(std::string(BLASTLAB_SOURCE_DIR) + "/topologies/" + file);
    EXPECT_TRUE(t.topology) << model::format_diagnostics(t.errors);
    it = loaded.emplace(file, t.topology.value_or(model::Topology{})).first;
  }
  return it->second;
}

ScriptLoadResult load(const std::string& probes, const std::string& topology = "minimal.yaml") {
  std::string text = "name: r\nprobes:\n" + probes + "\nsteps:\n  - stop: transit1\n";
  if (topology == "reach.yaml") text = "name: r\nprobes:\n" + probes + "\nsteps:\n  - stop: t1\n";
  return load_script_text(text, "s.yaml", topology_of(topology));
}

std::string only_error(const std::string& probes, const std::string& topology = "minimal.yaml") {
  auto result = load(probes, topology);
  EXPECT_FALSE(result.script);
  if (result.errors.empty()) return "(no error)";
  EXPECT_EQ(result.errors.size(), 1u) << model::format_diagnostics(result.errors);
  return result.errors.front().str();
}

TEST(ReachScriptTest, ReadsSelectionsAddressesProtocolsRatesAndTimeouts) {
  auto result = load(
      "  reach:\n"
      "    - {from: client1, to: [transit*, dns1], proto: icmp, rate: 5/s, timeout: 500ms}\n"
      "    - {from: role:peer, to: 198.51.100.12, proto: tcp, port: 53}\n");
  ASSERT_TRUE(result.script) << model::format_diagnostics(result.errors);
  const auto& reach = result.script->reach;
  ASSERT_EQ(reach.size(), 2u);
  EXPECT_EQ(reach[0].from.nodes, (std::vector<std::string>{"client1"}));
  ASSERT_EQ(reach[0].to.size(), 3u);
  // In the order of the list, each term's nodes in topology order.
  EXPECT_EQ(reach[0].to[0].name, "transit1");
  EXPECT_TRUE(reach[0].to[0].is_node);
  EXPECT_EQ(reach[0].to[1].name, "transit2");
  EXPECT_EQ(reach[0].to[2].name, "dns1");
  EXPECT_EQ(reach[0].rate, 5);
  EXPECT_EQ(reach[0].timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(reach[1].proto, "tcp");
  EXPECT_EQ(reach[1].port, 53);
  ASSERT_EQ(reach[1].to.size(), 1u);
  EXPECT_FALSE(reach[1].to[0].is_node);
  EXPECT_EQ(reach[1].to[0].address, "198.51.100.12");
}

TEST(ReachScriptTest, ANodesAddressIsItsLoopbackAndAClientsItsNetworkAddress) {
  const auto& t = topology_of("reach.yaml");
  EXPECT_EQ(model_probe_address(*t.find_node("c2"))->str(), "203.0.113.17");
  EXPECT_EQ(model_probe_address(*t.find_node("t1"))->str(),
            t.find_node("t1")->loopback->address.str());
  model::Node configured_by_user{.name = "x"};
  EXPECT_FALSE(model_probe_address(configured_by_user)) << "read from its namespace at run start";
}

TEST(ReachScriptTest, RefusesBadValuesAtTheirPosition) {
  EXPECT_EQ(only_error("  reach: [{from: client1, to: transit1, rate: 101}]"),
            "s.yaml:3:47: probes.reach[0].rate: expected a rate like 10 or 10/s, probes per "
            "second per target, from 0.01 to 100; got '101'");
  EXPECT_NE(
      only_error("  reach: [{from: client1, to: transit1, timeout: 11s}]").find("s.yaml:3:50"),
      std::string::npos);
  EXPECT_EQ(only_error("  reach: [{from: client1, to: transit1, proto: udp}]"),
            "s.yaml:3:48: probes.reach[0].proto: unknown protocol 'udp'; give icmp (echo) or tcp "
            "(a connection to `port`)");
  EXPECT_EQ(only_error("  reach: [{from: client1, to: transit1, proto: tcp}]"),
            "s.yaml:3:11: probes.reach[0].port: a tcp probe needs `port`: the port it connects to");
  EXPECT_EQ(only_error("  reach: [{from: client1, to: transit1, port: 80}]"),
            "s.yaml:3:47: probes.reach[0].port: `port` belongs to tcp probes (`proto: tcp`)");
  EXPECT_NE(only_error("  reach: [{from: client1, to: 8.8.8.8}]")
                .find("s.yaml:3:31: "
                      "probes.reach[0].to: 8.8.8.8 "
                      "is outside the lab"),
            std::string::npos);
  EXPECT_NE(only_error("  reach: [{from: client1, to: 203.0.113.200}]")
                .find("no node of " + topology_of("minimal.yaml").file + " has 203.0.113.200"),
            std::string::npos);
  EXPECT_NE(only_error("  reach: [{from: client1, to: nosuch}]").find("no node named 'nosuch'"),
            std::string::npos);
  EXPECT_NE(only_error("  reach: [{from: client1, to: client1}]").find("its own source"),
            std::string::npos);
  EXPECT_NE(only_error("  reach: [{to: client1}]").find("needs `from`"), std::string::npos);
  EXPECT_NE(only_error("  reach:\n    - {from: client1, to: transit1, rate: 5}\n"
                       "    - {from: client1, to: transit2, rate: 10}")
                .find("s.yaml:5:7: probes.reach[1]: client1 already probes at 5/s"),
            std::string::npos);
}

TEST(ReachScriptTest, RoutesMayBeWatchedAtAnyNodeAndPrefixesGivenLiterally) {
  auto result = load("  routes: {at: [client1, dns1], prefixes: [198.51.100.0/24]}");
  ASSERT_TRUE(result.script) << model::format_diagnostics(result.errors);
  EXPECT_EQ(result.script->routes.at.nodes, (std::vector<std::string>{"dns1", "client1"}));
  EXPECT_EQ(result.script->routes.prefixes, (std::vector<std::string>{"198.51.100.0/24"}));
  // A generated lab's prefixes are known: one no node originates is still refused.
  EXPECT_NE(only_error("  routes: {at: client1, prefixes: [192.0.2.0/24]}").find("no node of"),
            std::string::npos);
}

TEST(ReachScriptTest, ListenersWhereTcpConnectsAndOneReachprobePerSource) {
  auto loaded = load_script_file(std::string(BLASTLAB_SOURCE_DIR) + "/scripts/reach-link-down.yaml",
                                 topology_of("reach.yaml"));
  ASSERT_TRUE(loaded.script) << model::format_diagnostics(loaded.errors);
  const auto& topology = topology_of("reach.yaml");
  auto commands = agent_commands(topology, *loaded.script, "/bin", "/ev");
  std::vector<std::string> whats;
  for (const auto& c : commands) whats.push_back(c.what + "@" + c.node);
  EXPECT_EQ(whats, (std::vector<std::string>{"routewatch@t1", "routewatch@t2", "reachlisten@t3",
                                             "reachlisten@c3", "reachprobe@c1", "reachprobe@c2",
                                             "reachprobe@c3"}));
  std::string t3 = topology.find_node("t3")->loopback->address.str();
  EXPECT_EQ(commands[2].argv, (Argv{"/bin/blastlab-backendd", "--listen", t3 + ":8080"}));
  EXPECT_EQ(commands[3].argv, (Argv{"/bin/blastlab-backendd", "--listen", "203.0.113.33:8080"}));
  const Argv& c1 = commands[4].argv;
  std::string duration = std::to_string(run_bound(*loaded.script).count()) + "s";
  EXPECT_EQ(c1,
            (Argv{"/bin/blastlab-reachprobe", "--node", "c1", "--events", "/ev/reachprobe-c1.jsonl",
                  "--rate", "10", "--timeout", "300ms", "--duration", duration, "--target",
                  "icmp:c2=203.0.113.17", "--target", "icmp:c3=203.0.113.33", "--target",
                  "tcp:t3=" + t3 + ":8080", "--target", "tcp:c3=203.0.113.33:8080"}));
}

TEST(ReachScriptTest, AListenerIsNotStartedWhereTheLabServesThePortAlready) {
  auto result = load("  reach: [{from: client1, to: [dc1, 198.51.100.12], proto: tcp, port: 53}]");
  ASSERT_TRUE(result.script) << model::format_diagnostics(result.errors);
  auto listeners = reach_listeners(topology_of("minimal.yaml"), *result.script);
  // NSD serves 53 on the name servers at both DNS hosts: only dc1 needs one.
  ASSERT_EQ(listeners.size(), 1u);
  EXPECT_EQ(listeners[0].node, "dc1");
  auto on80 = load("  reach: [{from: client1, to: dc1, proto: tcp, port: 80}]");
  ASSERT_TRUE(on80.script);
  EXPECT_TRUE(reach_listeners(topology_of("minimal.yaml"), *on80.script).empty())
      << "backendd already serves the health port on dc1's loopback";
}

TEST(ReachScriptTest, ANodeWithoutAModelAddressIsProbedAtTheAddressReadAtRunStart) {
  EXPECT_EQ(first_probe_address({{"eth1", {"198.19.0.3/31"}},
                                 {"eth0", {"198.19.0.1/31"}},
                                 {"lo", {"127.0.0.1/8", "198.18.0.7/32"}}}),
            "198.18.0.7");
  EXPECT_EQ(
      first_probe_address(
          {{"eth1", {"198.19.0.3/31"}}, {"eth0", {"198.19.0.1/31"}}, {"lo", {"127.0.0.1/8"}}}),
      "198.19.0.1")
      << "lo has none: the first interface by name";
  EXPECT_FALSE(first_probe_address({{"lo", {"127.0.0.1/8"}}}));
  Script script;
  script.reach.push_back({.to = {{"x", true, ""}, {"c2", true, "203.0.113.17"}}});
  EXPECT_EQ(reach_nodes_without_address(script), (std::vector<std::string>{"x"}));
}

}  // namespace
}  // namespace blastlab::scenario
