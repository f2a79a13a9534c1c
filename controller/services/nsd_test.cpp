#include "controller/services/nsd.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/services/test_support.hpp"

namespace blastlab::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(NsdTest, ListensOnEveryNameServerAddressAndKeepsFilesInDir) {
  const auto& topology = minimal_topology();
  auto files = render_nsd(topology, node(topology, "dns1"), "/run/blastlab/t/nodes/dns1");
  EXPECT_EQ(files.zone, "example.net");
  EXPECT_THAT(files.conf, HasSubstr("ip-address: 198.51.100.12\n"));
  EXPECT_THAT(files.conf, HasSubstr("ip-address: 198.51.100.13\n"));
  EXPECT_THAT(files.conf, HasSubstr("port: 53\n"));
  EXPECT_THAT(files.conf, HasSubstr("server-count: 1\n"));
  EXPECT_THAT(files.conf, HasSubstr("username: \"\"\n"));
  EXPECT_THAT(files.conf, HasSubstr("database: \"\"\n"));
  EXPECT_THAT(files.conf, HasSubstr("identity: \"dns1\"\n"));
  EXPECT_THAT(files.conf, HasSubstr("nsid: \"ascii_dns1\"\n"));
  EXPECT_THAT(files.conf, HasSubstr("pidfile: \"/run/blastlab/t/nodes/dns1/nsd.pid\"\n"));
  EXPECT_THAT(files.conf, HasSubstr("zonefile: \"/run/blastlab/t/nodes/dns1/example.net.zone\""));
  EXPECT_THAT(files.conf, HasSubstr("control-enable: no\n"));
  // Nothing may fall back to the packaged defaults, which other labs and the host share.
  EXPECT_THAT(files.conf, Not(HasSubstr("/var/lib/nsd")));
  EXPECT_THAT(files.conf, Not(HasSubstr("/etc/nsd")));
}

TEST(NsdTest, ZoneHasSoaNameServersAndTheFixedRecords) {
  const auto& topology = minimal_topology();
  auto zone = render_nsd(topology, node(topology, "dns1"), "/d").zone_file;
  EXPECT_THAT(zone, HasSubstr("$ORIGIN example.net.\n$TTL 300\n"));
  EXPECT_THAT(zone, HasSubstr("@ IN SOA a.ns.example.net. hostmaster.example.net. 1 3600 600 "
                              "86400 300\n"));
  EXPECT_THAT(zone, HasSubstr("@ IN NS a.ns.example.net.\n@ IN NS b.ns.example.net.\n"));
  EXPECT_THAT(zone, HasSubstr("a.ns IN A 198.51.100.12\nb.ns IN A 198.51.100.13\n"));
  EXPECT_THAT(zone, HasSubstr("www IN A 192.0.2.80\n"));
  EXPECT_THAT(zone, HasSubstr("*.probe IN A 192.0.2.81\n"));
}

TEST(NsdTest, EveryDnsHostServesTheSameZoneUnderItsOwnIdentity) {
  const auto& topology = minimal_topology();
  auto dns1 = render_nsd(topology, node(topology, "dns1"), "/lab/dns1");
  auto dns2 = render_nsd(topology, node(topology, "dns2"), "/lab/dns2");
  EXPECT_EQ(dns1.zone_file, dns2.zone_file);
  EXPECT_THAT(dns2.conf, HasSubstr("identity: \"dns2\"\n"));
}

TEST(NsdTest, AZoneTtlOtherThanTheDefaultReachesTtlAndSoaMinimum) {
  model::Topology topology = minimal_topology();
  topology.services.dns->ttl = 30;
  topology.services.dns->zone = "lab.example.";
  auto files = render_nsd(topology, node(topology, "dns1"), "/d");
  EXPECT_EQ(files.zone, "lab.example");
  EXPECT_THAT(files.zone_file, HasSubstr("$TTL 30\n"));
  EXPECT_THAT(files.zone_file, HasSubstr("hostmaster.lab.example. 1 3600 600 86400 30\n"));
  EXPECT_EQ(nsd_zone_path("/d/", files.zone), "/d/lab.example.zone");
}

TEST(NsdTest, WithoutADnsServiceRenderingIsRefused) {
  model::Topology topology = minimal_topology();
  topology.services.dns.reset();
  EXPECT_THROW(render_nsd(topology, node(topology, "dns1"), "/d"), std::invalid_argument);
}

TEST(NsdTest, RunsInTheForegroundOnTheRenderedConf) {
  EXPECT_EQ(nsd_argv("/lab/dns1"),
            (std::vector<std::string>{"nsd", "-d", "-c", "/lab/dns1/nsd.conf"}));
}

// The rendered files are only right if NSD's own checkers accept them.
TEST(NsdTest, NsdCheckersAcceptTheRenderedFiles) {
  ScratchDir dir;
  const auto& topology = minimal_topology();
  auto files = render_nsd(topology, node(topology, "dns1"), dir.path());
  write_file(nsd_conf_path(dir.path()), files.conf);
  write_file(nsd_zone_path(dir.path(), files.zone), files.zone_file);
  EXPECT_TRUE(checker_accepts({"nsd-checkconf", nsd_conf_path(dir.path())}));
  EXPECT_TRUE(
      checker_accepts({"nsd-checkzone", files.zone, nsd_zone_path(dir.path(), files.zone)}));
}

}  // namespace
}  // namespace blastlab::services
