// The user's own network in a topology file: routers with their own frr.conf, hosts
// configured by exec lines, generated nodes with the user's config, and what blastlab
// leaves unplanned for them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "controller/model/test_support.hpp"

namespace blastlab::model {
namespace {

namespace fs = std::filesystem;

// A directory with the files a topology names, removed after the test.
class UserNodesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("blastlab-user-nodes-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_ / "r1");
    std::ofstream(dir_ / "r1" / "frr.conf") << "hostname r1\n";
    std::ofstream(dir_ / "r1" / "daemons") << "bgpd=yes\n";
    std::ofstream(dir_ / "r2.conf") << "hostname r2\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  LoadResult load_here(std::string_view yaml, LoadOptions options = {}) {
    return load_topology_text(yaml, (dir_ / "t.yaml").string(), options);
  }

  fs::path dir_;
};

TEST_F(UserNodesTest, RoutersRunTheirOwnConfigAndLinksBetweenThemAreLeftToThem) {
  auto result = load_here(R"(
nodes:
  r1: {role: router, frr: {config: r1/frr.conf, daemons: r1/daemons}}
  r2: {role: router, frr: {config: r2.conf}}
  h1: {role: host, exec: ["ip addr add 10.0.1.10/24 dev eth1", "ip route add default via 10.0.1.1"]}
links:
  - ["r1:eth1", "r2:eth1"]
  - ["h1:eth1", "r1:eth2"]
)");
  const Topology& t = loaded(result);
  ASSERT_EQ(t.nodes.size(), 3u);
  const Node& r1 = t.nodes[0];
  ASSERT_TRUE(r1.frr);
  EXPECT_EQ(r1.frr->config, (dir_ / "r1" / "frr.conf").string());
  EXPECT_EQ(r1.frr->daemons, (dir_ / "r1" / "daemons").string());
  EXPECT_EQ(t.nodes[1].frr->daemons, "");
  // Nothing planned for the user's network: no loopbacks, no link addresses, no ASN.
  for (const Node& n : t.nodes) {
    EXPECT_FALSE(n.loopback) << n.name;
    EXPECT_EQ(n.asn, 0u) << n.name;
    EXPECT_FALSE(n.generated_routing()) << n.name;
  }
  for (const Link& l : t.links) {
    EXPECT_FALSE(l.a.address);
    EXPECT_FALSE(l.b.address);
  }
  const Node& h1 = t.nodes[2];
  ASSERT_EQ(h1.exec.size(), 2u);
  ASSERT_TRUE(h1.exec[0].ip);
  EXPECT_EQ(execline::render_ip_command(*h1.exec[0].ip), "ip address add 10.0.1.10/24 dev eth1");
  EXPECT_EQ(h1.exec[1].mark.line, 5);
}

TEST_F(UserNodesTest, AGeneratedRoleMayRunTheUsersConfigAndKeepsItsPlannedAddresses) {
  auto result = load_here(R"(
nodes:
  t1: {role: peer, asn: 64510, frr: {config: r2.conf}}
  c1: {role: client}
  r1: {role: router, frr: {config: r1/frr.conf}}
links:
  - [c1, t1]
  - [t1, r1]
)");
  const Topology& t = loaded(result);
  EXPECT_TRUE(t.nodes[0].frr);
  EXPECT_FALSE(t.nodes[0].generated_routing());
  EXPECT_TRUE(t.nodes[0].loopback);
  // A link with one generated end is planned: the generated side needs its address.
  EXPECT_TRUE(t.links[1].a.address);
  EXPECT_TRUE(t.links[1].b.address);
}

TEST_F(UserNodesTest, ARouterWithoutConfigAndAClientWithOneAreRefused) {
  auto result = load_here(R"(
nodes:
  r1: {role: router}
  t1: {role: peer}
  c1: {role: client, frr: {config: r2.conf}}
links:
  - [c1, t1]
)");
  EXPECT_TRUE(has_error(result, 3, 3, "nodes.r1.frr", {"router r1 needs `frr:"}));
  EXPECT_TRUE(has_error(result, 5, 22, "nodes.c1.frr", {"only for nodes that run FRR"}));
}

TEST_F(UserNodesTest, AMissingConfigFileIsRefusedAtItsValue) {
  auto result = load_here(R"(
nodes:
  r1: {role: router, frr: {config: r9/frr.conf, daemons: r1}}
)");
  EXPECT_TRUE(has_error(result, 3, 36, "nodes.r1.frr.config",
                        {"FRR configuration", "r9/frr.conf", "does not exist"}));
  EXPECT_TRUE(has_error(result, 3, 58, "nodes.r1.frr.daemons", {"is not a file"}));
}

TEST_F(UserNodesTest, AnExecLineBlastlabCannotApplyIsRefusedAtItsWordUnlessTrusted) {
  std::string yaml = R"(
nodes:
  h1:
    role: host
    exec:
      - ip addr add 10.0.1.10/24 dev eth1
      - "sysctl -w net.ipv4.ip_forward=1"
)";
  auto result = load_here(yaml);
  EXPECT_TRUE(has_error(result, 7, 10, "nodes.h1.exec[1]", {"--trust-exec"}));
  auto trusted = load_here(yaml, {.trust_exec = true});
  const Topology& t = loaded(trusted);
  ASSERT_EQ(t.nodes[0].exec.size(), 2u);
  EXPECT_FALSE(t.nodes[0].exec[1].ip);
  EXPECT_EQ(t.nodes[0].exec[1].line, "sysctl -w net.ipv4.ip_forward=1");
}

TEST_F(UserNodesTest, RelativePathsFollowTheBaseDirectoryTheLoaderIsGiven) {
  // A lab's copy of its topology sits elsewhere and is reloaded with the original's directory.
  auto result = load_topology_text("nodes:\n  r1: {role: router, frr: {config: r2.conf}}\n",
                                   "/nowhere/topology.yaml", {.base_directory = dir_.string()});
  const Topology& t = loaded(result);
  EXPECT_EQ(t.nodes[0].frr->config, (dir_ / "r2.conf").string());
}

TEST_F(UserNodesTest, RoutersAndHostsAreMeasuredAsARoleWithoutRoutingAsOne) {
  auto result = load_here(R"(
nodes:
  r1: {role: router, frr: {config: r2.conf}, measure-as: peer}
  h1: {role: host, measure-as: edge}
  r2: {role: router, frr: {config: r2.conf}}
links:
  - ["r1:eth1", "r2:eth1"]
  - ["h1:eth1", "r1:eth2"]
)");
  const Topology& t = loaded(result);
  EXPECT_EQ(t.nodes[0].measured_as, Role::kPeer);
  EXPECT_TRUE(t.nodes[0].acts_as(Role::kPeer));
  EXPECT_TRUE(t.nodes[0].acts_as(Role::kRouter));
  // A router measured as a peer gets nothing a peer is given: no ASN, no loopback.
  EXPECT_EQ(t.nodes[0].asn, 0u);
  EXPECT_FALSE(t.nodes[0].loopback);
  EXPECT_FALSE(t.nodes[0].generated_routing());
  EXPECT_EQ(t.nodes[1].measured_as, Role::kEdge);
  EXPECT_FALSE(t.nodes[1].network);
  EXPECT_FALSE(t.nodes[2].measured_as);
  EXPECT_FALSE(t.links[0].a.address);
}

TEST_F(UserNodesTest, MeasureAsIsARoleOfTheGeneratedOnesForRoutersAndHostsOnly) {
  auto result = load_here(R"(
nodes:
  r1: {role: router, frr: {config: r2.conf}, measure-as: host}
  h1: {role: host, measure-as: peeer}
  t1: {role: peer, measure-as: client}
)");
  EXPECT_TRUE(has_error(result, 3, 58, "nodes.r1.measure-as",
                        {"'host' is not a role to measure", "edge or peer"}));
  EXPECT_TRUE(has_error(result, 4, 32, "nodes.h1.measure-as", {"did you mean 'peer'"}));
  EXPECT_TRUE(has_error(result, 5, 20, "nodes.t1.measure-as", {"router and host nodes"}));
}

}  // namespace
}  // namespace blastlab::model
