#include "controller/lab/converge.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "controller/lab/test_support.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::lab {
namespace {

class FakeRunner final : public proc::ProcessRunner {
 public:
  std::map<std::string, std::string> summaries;  // pathspace -> show bgp summary json
  int runs = 0;
  proc::RunResult run(const proc::Command& command, std::chrono::milliseconds) override {
    ++runs;
    std::string space;
    for (size_t i = 0; i + 1 < command.argv.size(); ++i)
      if (command.argv[i] == "-N") space = command.argv[i + 1];
    auto it = summaries.find(space);
    if (it == summaries.end()) return {.exit_code = 1, .err = "failed to connect to any daemons"};
    return {.exit_code = 0, .out = it->second};
  }
  std::unique_ptr<proc::Process> start(const proc::Command&) override { return nullptr; }
};

std::string summary(const std::vector<std::pair<std::string, std::string>>& peers) {
  nlohmann::json doc;
  doc["ipv4Unicast"]["as"] = 1;
  doc["ipv4Unicast"]["peers"] = nlohmann::json::object();
  for (const auto& [address, state] : peers) doc["ipv4Unicast"]["peers"][address]["state"] = state;
  return doc.dump();
}

// Two peers in a line: each must hold the other's loopback, and the one session must be up.
model::Topology two_peers() {
  auto loaded = model::load_topology_text(
      "name: t\nnodes:\n  a: {role: peer, asn: 65001}\n  b: {role: peer, asn: 65002}\n"
      "links:\n  - [a, b]\n",
      "t.yaml");
  EXPECT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
  return *loaded.topology;
}

struct Fixture {
  model::Topology topology = two_peers();
  frr::RoutingPlan plan = frr::plan_routing(topology);
  FakeNetlink netlink;
  FakeRunner runner;
  frr::Vtysh vtysh{runner, "/nonexistent", frr::ShowPath::kVtyshProgram};
  ConvergenceChecker checker{netlink, vtysh, "lab", plan, nullptr};
  std::string a_loopback = topology.find_node("a")->loopback->str();
  std::string b_loopback = topology.find_node("b")->loopback->str();
  std::string b_link = topology.links[0].b.address->address.str();
};

TEST(Convergence, NamesTheMissingPrefixesAndAsksNoDaemonUntilTheyArePresent) {
  Fixture f;
  f.netlink.routes["lab.a"] = {f.b_loopback};
  auto report = f.checker.check(false);
  EXPECT_FALSE(report.converged());
  EXPECT_EQ(report.prefixes_missing,
            std::vector<std::string>{f.a_loopback + " (peer loopback) at b"});
  EXPECT_FALSE(report.sessions_checked);
  EXPECT_EQ(f.runner.runs, 0);
  EXPECT_NE(report.describe().find("prefixes missing (1)"), std::string::npos);
}

TEST(Convergence, NamesASessionThatIsNotEstablished) {
  Fixture f;
  f.netlink.routes["lab.a"] = {f.b_loopback};
  f.netlink.routes["lab.b"] = {f.a_loopback};
  f.runner.summaries["lab_a"] = summary({{f.b_link, "Active"}});
  auto report = f.checker.check(false);
  EXPECT_TRUE(report.sessions_checked);
  EXPECT_FALSE(report.converged());
  ASSERT_EQ(report.sessions_down.size(), 1u);
  EXPECT_EQ(report.sessions_down[0], "a - b (" + f.b_link + "): Active");
}

TEST(Convergence, ASilentBgpdIsNamedWithItsError) {
  Fixture f;
  f.netlink.routes["lab.a"] = {f.b_loopback};
  f.netlink.routes["lab.b"] = {f.a_loopback};
  auto report = f.checker.check(false);
  ASSERT_EQ(report.sessions_down.size(), 1u);
  EXPECT_NE(report.sessions_down[0].find("failed to connect to any daemons"), std::string::npos)
      << report.sessions_down[0];
}

// A site that has not announced yet leaves the lab unconverged even when its anycast prefix
// reaches every peer from another site.
TEST(Convergence, ADnsHostThatHasNotAnnouncedIsNamed) {
  auto loaded = model::load_topology_file(BLASTLAB_SOURCE_DIR "/topologies/minimal.yaml");
  ASSERT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
  const auto& topology = *loaded.topology;
  auto plan = frr::plan_routing(topology);
  FakeNetlink netlink;
  for (const auto& e : plan.expected) netlink.routes["lab." + e.node].push_back(e.prefix.str());
  FakeRunner runner;
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> peers;
  for (const auto& s : plan.sessions) peers[s.a].push_back({s.b_address.str(), "Established"});
  for (const auto& [node, list] : peers) {
    auto doc = nlohmann::json::parse(summary(list));
    for (auto& [address, peer] : doc["ipv4Unicast"]["peers"].items())
      peer["pfxSnt"] = node == "dns2" ? 1 : 0;  // dns1 has not announced
    runner.summaries["lab_" + node] = doc.dump();
  }
  frr::Vtysh vtysh(runner, "/nonexistent", frr::ShowPath::kVtyshProgram);
  ConvergenceChecker checker(netlink, vtysh, "lab", plan, nullptr);
  auto report = checker.check(false);
  EXPECT_FALSE(report.converged());
  ASSERT_EQ(report.sessions_down.size(), 1u) << report.describe();
  EXPECT_NE(report.sessions_down[0].find("dns1 - pop1"), std::string::npos);
  EXPECT_NE(report.sessions_down[0].find("dns1 has announced 0 of its 1 prefixes"),
            std::string::npos)
      << report.sessions_down[0];
}

TEST(Convergence, EveryPrefixAndEverySessionIsConverged) {
  Fixture f;
  f.netlink.routes["lab.a"] = {f.b_loopback};
  f.netlink.routes["lab.b"] = {f.a_loopback};
  f.runner.summaries["lab_a"] = summary({{f.b_link, "Established"}});
  EXPECT_TRUE(f.checker.wait(std::chrono::seconds(1), nullptr).converged());
}

TEST(Convergence, ATimeoutStillReportsTheSessions) {
  Fixture f;
  auto report =
      f.checker.wait(std::chrono::milliseconds(50), nullptr, std::chrono::milliseconds(10));
  EXPECT_FALSE(report.converged());
  EXPECT_TRUE(report.sessions_checked);
  EXPECT_EQ(report.prefixes_missing.size(), 2u);
  EXPECT_EQ(report.sessions_down.size(), 1u);
}

TEST(Convergence, ADeadProcessEndsTheWaitAtOnce) {
  Fixture f;
  ConvergenceChecker checker(f.netlink, f.vtysh, "lab", f.plan,
                             [] { return std::vector<std::string>{"bgpd on a (pid 42)"}; });
  auto start = std::chrono::steady_clock::now();
  auto report = checker.wait(std::chrono::seconds(30), nullptr);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(report.dead_processes, std::vector<std::string>{"bgpd on a (pid 42)"});
  EXPECT_NE(report.describe().find("processes not running"), std::string::npos);
}

}  // namespace
}  // namespace blastlab::lab
