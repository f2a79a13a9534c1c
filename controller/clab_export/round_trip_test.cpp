// An export read back by blastlab's own containerlab reader, without --trust-exec: the same
// nodes, links, addresses, FRR configurations and daemons, the measured roles kept, and
// everything containerlab-only (images, the service files, the sysctls) a warning at most.
// The root lab test (tests/lab/export_test.cpp) brings both labs up and compares routes.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "controller/clab_export/test_support.hpp"

namespace blastlab::clab_export {
namespace {

namespace fs = std::filesystem;
using model::Role;

// node -> interface -> addresses, as the lab sets them: planned link, loopback and service
// addresses and the node's own exec lines; or, imported, the exec lines alone.
using Addresses = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

Addresses planned(const model::Topology& topology, const frr::RoutingPlan& plan) {
  Addresses out;
  for (const auto& node : topology.nodes) {
    if (node.loopback) out[node.name]["lo"].push_back(node.loopback->str());
    for (const auto& command : node.exec) {
      if (!command.ip) continue;
      if (const auto* a = std::get_if<execline::AddAddress>(&*command.ip))
        out[node.name][a->ifname].push_back(a->prefix.str());
    }
  }
  for (const auto& link : topology.links) {
    for (const auto* end : {&link.a, &link.b}) {
      if (end->address) out[end->node][end->ifname].push_back(end->address->str());
    }
  }
  for (const auto& service : plan.service_addresses)
    out[service.node]["lo"].push_back(service.address.str());
  for (auto& [node, interfaces] : out) {
    for (auto& [ifname, list] : interfaces) std::sort(list.begin(), list.end());
  }
  return out;
}

Addresses from_exec(const model::Topology& topology) {
  Addresses out;
  for (const auto& node : topology.nodes) {
    for (const auto& command : node.exec) {
      EXPECT_TRUE(command.ip) << node.name << ": " << command.line;
      if (!command.ip) continue;
      if (const auto* a = std::get_if<execline::AddAddress>(&*command.ip))
        out[node.name][a->ifname].push_back(a->prefix.str());
    }
  }
  for (auto& [node, interfaces] : out) {
    for (auto& [ifname, list] : interfaces) std::sort(list.begin(), list.end());
  }
  return out;
}

class RoundTripTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "clab-round-trip-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::create_directories(dir_ / "bin");
    for (const auto& agent : agent_programs()) std::ofstream(dir_ / "bin" / agent) << "#!agent\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_P(RoundTripTest, TheReaderTakesTheExportAsTheSameNetwork) {
  testing::Loaded original = testing::load(testing::source_path(GetParam()));
  Result result = render_export(original.topology, original.plan, {.file_stem = "lab"});
  ASSERT_TRUE(result.exported) << model::format_diagnostics(result.errors);
  write_export(*result.exported, (dir_ / "out").string(), (dir_ / "bin").string());

  auto loaded = topology_load::load_topology_file((dir_ / "out" / "lab.clab.yml").string());
  ASSERT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
  const model::Topology& imported = *loaded.topology;
  EXPECT_EQ(imported.name, original.topology.name);
  auto plan = frr::plan_routing(imported);
  auto runner = proc::make_process_runner();
  auto problems = frr::load_user_configs(plan, *runner, "/tmp", /*dry_run=*/false);
  ASSERT_TRUE(problems.empty()) << model::format_diagnostics(problems);

  ASSERT_EQ(imported.nodes.size(), original.topology.nodes.size());
  for (const auto& node : original.topology.nodes) {
    SCOPED_TRACE(node.name);
    const model::Node* back = imported.find_node(node.name);
    ASSERT_NE(back, nullptr);
    const frr::RouterPlan* router = original.plan.find(node.name);
    EXPECT_EQ(back->role, router ? Role::kRouter : Role::kHost);
    for (Role role : {Role::kBackbone, Role::kEdge, Role::kPeer}) {
      EXPECT_EQ(back->acts_as(role), node.acts_as(role)) << model::to_string(role);
    }
    EXPECT_EQ(back->tags, node.tags);
    if (!router) continue;
    ASSERT_TRUE(back->frr);
    EXPECT_EQ(back->frr->config, (dir_ / "out" / "nodes" / node.name / "frr.conf").string());
    // FRR's start always runs zebra and staticd, as a container's FRR will; the lab runs
    // staticd only on the operator's routers and for planned static routes.
    std::vector<frr::Daemon> expected = router->daemons;
    if (std::find(expected.begin(), expected.end(), frr::Daemon::kStaticd) == expected.end())
      expected.insert(expected.begin() + 1, frr::Daemon::kStaticd);
    EXPECT_EQ(plan.find(node.name)->daemons, expected);
  }
  ASSERT_EQ(imported.links.size(), original.topology.links.size());
  for (size_t i = 0; i < imported.links.size(); ++i) {
    const auto& a = original.topology.links[i];
    const auto& b = imported.links[i];
    EXPECT_EQ(std::tie(a.a.node, a.a.ifname, a.b.node, a.b.ifname, a.mtu),
              std::tie(b.a.node, b.a.ifname, b.b.node, b.b.ifname, b.mtu))
        << i;
  }
  EXPECT_EQ(from_exec(imported), planned(original.topology, original.plan));
}

INSTANTIATE_TEST_SUITE_P(Shipped, RoundTripTest, ::testing::ValuesIn(testing::shipped_topologies()),
                         [](const auto& test_info) {
                           std::string name = test_info.param;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace blastlab::clab_export
