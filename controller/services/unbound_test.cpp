#include "controller/services/unbound.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/services/test_support.hpp"

namespace blastlab::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(UnboundTest, ListensOnLoopbackAndTheClientGatewayAndQueriesFromIt) {
  const auto& topology = minimal_topology();
  const auto& client = node(topology, "client1");
  ASSERT_TRUE(client.network.has_value());
  auto conf = render_unbound(topology, client, "/lab/client1");
  std::string gateway = client.network->address.str();
  EXPECT_THAT(conf, HasSubstr("interface: 127.0.0.1\n"));
  EXPECT_THAT(conf, HasSubstr("interface: " + gateway + "\n"));
  EXPECT_THAT(conf, HasSubstr("outgoing-interface: " + gateway + "\n"));
  EXPECT_THAT(conf, HasSubstr("access-control: 127.0.0.0/8 allow\n"));
  EXPECT_THAT(conf, HasSubstr("access-control: " + client.network->network().str() + " allow\n"));
  EXPECT_THAT(conf, HasSubstr("do-ip6: no\n"));
  EXPECT_THAT(conf, HasSubstr("num-threads: 1\n"));
}

TEST(UnboundTest, ResolvesTheZoneThroughEveryNameServerWithoutValidation) {
  const auto& topology = minimal_topology();
  auto conf = render_unbound(topology, node(topology, "client1"), "/lab/client1");
  EXPECT_THAT(conf, HasSubstr("stub-zone:\n  name: \"example.net\"\n"
                              "  stub-addr: 198.51.100.12\n  stub-addr: 198.51.100.13\n"));
  EXPECT_THAT(conf, HasSubstr("module-config: \"iterator\"\n"));
  EXPECT_THAT(conf, Not(HasSubstr("validator")));
  EXPECT_THAT(conf, Not(HasSubstr("trust-anchor")));
  EXPECT_THAT(conf, HasSubstr("serve-expired: no\n"));
  EXPECT_THAT(conf, HasSubstr("infra-keep-probing: yes\n"));
}

TEST(UnboundTest, KeepsFilesInDirAndControlOnTheNodesLoopback) {
  const auto& topology = minimal_topology();
  auto conf = render_unbound(topology, node(topology, "client1"), "/lab/client1/");
  EXPECT_THAT(conf, HasSubstr("username: \"\"\n"));
  EXPECT_THAT(conf, HasSubstr("chroot: \"\"\n"));
  EXPECT_THAT(conf, HasSubstr("directory: \"/lab/client1/\"\n"));
  EXPECT_THAT(conf, HasSubstr("pidfile: \"/lab/client1/unbound.pid\"\n"));
  EXPECT_THAT(conf, HasSubstr("logfile: \"/lab/client1/unbound.log\"\n"));
  EXPECT_THAT(conf, HasSubstr("use-syslog: no\n"));
  // No socket file: its path would be cut at 107 bytes under a long run directory.
  EXPECT_THAT(conf, HasSubstr("control-interface: 127.0.0.1\n"));
  EXPECT_THAT(conf, Not(HasSubstr(".ctl")));
  EXPECT_THAT(conf, HasSubstr("control-use-cert: no\n"));
  EXPECT_THAT(conf, HasSubstr("statistics-cumulative: no\n"));
  EXPECT_THAT(conf, HasSubstr("extended-statistics: yes\n"));
}

TEST(UnboundTest, ANodeWithoutAClientNetworkIsRefused) {
  const auto& topology = minimal_topology();
  EXPECT_THROW(render_unbound(topology, node(topology, "dns1"), "/d"), std::invalid_argument);
}

TEST(UnboundTest, RunsInTheForegroundWithoutAPidfile) {
  EXPECT_EQ(unbound_argv("/lab/c"),
            (std::vector<std::string>{"unbound", "-d", "-p", "-c", "/lab/c/unbound.conf"}));
}

// The rendered file is only right if unbound's own checker accepts it.
TEST(UnboundTest, UnboundCheckconfAcceptsTheRenderedConf) {
  ScratchDir dir;
  const auto& topology = minimal_topology();
  write_file(unbound_conf_path(dir.path()),
             render_unbound(topology, node(topology, "client1"), dir.path()));
  EXPECT_TRUE(checker_accepts({"unbound-checkconf", unbound_conf_path(dir.path())}));
}

TEST(UnboundTest, WithoutADnsServiceThereIsNoStubAndTheConfStillChecks) {
  ScratchDir dir;
  model::Topology topology = minimal_topology();
  topology.services.dns.reset();
  auto conf = render_unbound(topology, node(topology, "client1"), dir.path());
  EXPECT_THAT(conf, Not(HasSubstr("stub-zone:")));
  write_file(unbound_conf_path(dir.path()), conf);
  EXPECT_TRUE(checker_accepts({"unbound-checkconf", unbound_conf_path(dir.path())}));
}

}  // namespace
}  // namespace blastlab::services
