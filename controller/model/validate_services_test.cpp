// Malformed services: anycast prefixes and nameservers, health checks (with the min-sites
// guard) and their targets, operator prefixes.
#include <gtest/gtest.h>

#include "controller/model/test_support.hpp"

namespace blastlab::model {
namespace {

TEST(ValidateServicesTest, NameserverOutsideItsPrefix) {
  LoadResult result =
      load(R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    anycast:
      - prefix: 198.51.100.0/26
        nameservers:
          a.ns: 198.51.100.99
)");
  EXPECT_TRUE(has_error(result, 8, 17, "services.dns.anycast[0].nameservers.a.ns",
                        {"198.51.100.99 is outside its anycast prefix 198.51.100.0/26"}));
}

TEST(ValidateServicesTest, AnycastPrefixesOverlap) {
  LoadResult result =
      load(R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    anycast:
      - prefix: 198.51.100.0/26
        nameservers: {a.ns: 198.51.100.1}
      - prefix: 198.51.100.32/27
        nameservers: {b.ns: 198.51.100.33}
      - prefix: 198.51.100.65/26
        nameservers: {c.ns: 198.51.100.66}
)");
  EXPECT_TRUE(has_error(result, 8, 17, "services.dns.anycast[1].prefix",
                        {"overlaps services.dns.anycast[0].prefix 198.51.100.0/26 at line 6"}));
  EXPECT_TRUE(has_error(result, 10, 17, "services.dns.anycast[2].prefix",
                        {"host bits set", "198.51.100.64/26"}));
}

TEST(ValidateServicesTest, AnycastOverlapsLinkAndLoopbackSpace) {
  LoadResult result = load(R"(nodes:
  dc1: {role: datacenter}
  pop1: {role: edge, loopback: 192.0.2.1}
  dns1: {role: dns, site: pop1}
links: [[pop1, dns1]]
services:
  dns:
    anycast:
      - prefix: 198.19.7.0/24
        nameservers: {a.ns: 198.19.7.53}
      - prefix: 192.0.2.0/26
        nameservers: {b.ns: 192.0.2.53}
)");
  EXPECT_TRUE(has_error(result, 9, 17, "services.dns.anycast[0].prefix",
                        {"overlaps the link pool addressing.links 198.19.0.0/16"}));
  EXPECT_TRUE(has_error(result, 11, 17, "services.dns.anycast[1].prefix",
                        {"overlaps nodes.pop1.loopback 192.0.2.1/32 at line 3"}));
}

TEST(ValidateServicesTest, HealthFields) {
  LoadResult result =
      load(R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    zone: bad..zone
    health:
      interval: 1s
      timeout: 2s
      rise: 0
      action: withdrew
      checks: [tcp, ping, tcp]
      port: http
)");
  EXPECT_TRUE(has_error(result, 5, 11, "services.dns.zone", {"not a valid DNS name"}));
  EXPECT_TRUE(has_error(result, 8, 16, "services.dns.health.timeout",
                        {"timeout 2000ms must be shorter than interval 1000ms"}));
  EXPECT_TRUE(has_error(result, 9, 13, "services.dns.health.rise", {"0 is out of range"}));
  EXPECT_TRUE(has_error(result, 10, 15, "services.dns.health.action",
                        {"unknown action 'withdrew'", "did you mean 'withdraw'?"}));
  EXPECT_TRUE(has_error(result, 11, 21, "services.dns.health.checks[1]",
                        {"unknown check 'ping'", "tcp, icmp, dns or http"}));
  EXPECT_TRUE(has_error(result, 11, 27, "services.dns.health.checks[2]", {"listed twice"}));
  EXPECT_TRUE(has_error(result, 12, 13, "services.dns.health.port",
                        {"expected an integer from 1 to 65535"}));
}

// What healthd would refuse is refused here, at the field (contracts/limits.hpp).
TEST(ValidateServicesTest, HealthTimersWithinHealthdsLimits) {
  LoadResult result =
      load(R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    health:
      interval: 3601s
      timeout: 0ms
      rise: 1001
      fall: 0
)");
  EXPECT_TRUE(has_error(result, 6, 17, "services.dns.health.interval",
                        {"3601s must be a whole number of milliseconds from 1ms to 3600s"}));
  EXPECT_TRUE(has_error(result, 7, 16, "services.dns.health.timeout",
                        {"0ms must be a whole number of milliseconds from 1ms to 3600s"}));
  EXPECT_TRUE(has_error(result, 8, 13, "services.dns.health.rise", {"from 1 to 1000"}));
  EXPECT_TRUE(has_error(result, 9, 13, "services.dns.health.fall", {"from 1 to 1000"}));
  LoadResult longest =
      load(R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    health: {interval: 3600s, timeout: 3599999ms, rise: 1000, fall: 1000}
)");
  EXPECT_EQ(loaded(longest).services.dns->health.interval, std::chrono::hours(1));
}

TEST(ValidateServicesTest, HealthTargetsAreListedOnceAndNotNamedLocal) {
  LoadResult result = load(R"(nodes:
  dc1: {role: datacenter}
  local: {role: datacenter}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1}
links: [[pop1, dns1]]
services:
  dns:
    health:
      targets: [dc1, dc1, local]
)");
  EXPECT_TRUE(has_error(result, 10, 22, "services.dns.health.targets[1]",
                        {"target 'dc1' is listed twice"}));
  EXPECT_TRUE(has_error(result, 10, 27, "services.dns.health.targets[2]",
                        {"'local' is the name healthd keeps for its own dns check"}));
  // Without `targets` every datacenter is one, so the node itself is refused.
  LoadResult by_default = load(R"(nodes:
  local: {role: datacenter}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1}
links: [[pop1, dns1]]
)");
  EXPECT_TRUE(has_error(by_default, 2, 3, "nodes.local", {"'local' is the name healthd keeps"}));
}

TEST(ValidateServicesTest, ZoneLeavesRoomForTheProbesNames) {
  std::string label(50, 'z');
  std::string zone = label + "." + label + "." + label + "." + label;  // 203 characters
  LoadResult result = load(
      R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    zone: )" +
      zone + "\n");
  EXPECT_TRUE(has_error(result, 5, 11, "services.dns.zone",
                        {"has 203 characters; give at most 200", "probe.ZONE"}));
}

TEST(ValidateServicesTest, NameserversHaveAddressesOfTheirOwn) {
  LoadResult result =
      load(R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    anycast:
      - prefix: 198.51.100.0/26
        nameservers: {a.ns: 198.51.100.12, b.ns: 198.51.100.12}
)");
  EXPECT_TRUE(has_error(result, 7, 50, "services.dns.anycast[0].nameservers.b.ns",
                        {"b.ns at 198.51.100.12 has the address of a.ns"}));
}

TEST(ValidateServicesTest, HealthTargetsMustBeDatacenters) {
  LoadResult result =
      load(R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    health:
      targets: [pop1, dc2]
)");
  EXPECT_TRUE(has_error(result, 6, 17, "services.dns.health.targets[0]",
                        {"'pop1' is an edge node", "datacenter"}));
  EXPECT_TRUE(has_error(result, 6, 23, "services.dns.health.targets[1]",
                        {"unknown node 'dc2'", "did you mean 'dc1'?"}));
}

TEST(ValidateServicesTest, MinSitesIsAtMostTheOtherDnsSites) {
  LoadResult result = load(R"(nodes:
  dc1: {role: datacenter}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1}
  dns2: {role: dns, site: pop1}
links: [[pop1, dns1], [pop1, dns2]]
services:
  dns:
    health:
      min-sites: 2
)");
  EXPECT_TRUE(has_error(
      result, 10, 18, "services.dns.health.min-sites",
      {"2 is more than the other dns sites a site can see (2 dns nodes)", "give 0 (off) to 1"}));
}

TEST(ValidateServicesTest, MinSitesWithOneDnsNodeCanOnlyBeOff) {
  LoadResult result =
      load(R"(nodes: {dc1: {role: datacenter}, pop1: {role: edge}, dns1: {role: dns, site: pop1}}
links: [[pop1, dns1]]
services:
  dns:
    health: {min-sites: 1}
)");
  EXPECT_TRUE(has_error(result, 5, 25, "services.dns.health.min-sites",
                        {"(1 dns node); give 0 (off) to 0"}));
}

TEST(ValidateServicesTest, MinSitesMustBeAWholeNumberFromZero) {
  for (const char* given : {"-1", "two", "1.5"}) {
    LoadResult result = load(std::string(R"(nodes:
  dc1: {role: datacenter}
  pop1: {role: edge}
  dns1: {role: dns, site: pop1}
  dns2: {role: dns, site: pop1}
links: [[pop1, dns1], [pop1, dns2]]
services:
  dns:
    health:
      min-sites: )") + given +
                             "\n");
    EXPECT_TRUE(has_error(result, 10, 18, "services.dns.health.min-sites",
                          {"expected an integer from 0 to 1000"}))
        << given;
  }
}

TEST(ValidateServicesTest, DnsServiceNeedsDatacenterAndDnsNodes) {
  LoadResult result = load(R"(nodes: {pop1: {role: edge}}
services:
  dns:
    zone: example.net
)");
  EXPECT_TRUE(has_error(result, 4, 5, "services.dns", {"at least one node with role dns"}));
  EXPECT_TRUE(has_error(result, 4, 5, "services.dns", {"datacenter nodes and there is none"}));
}

TEST(ValidateServicesTest, DnsHostsWithoutAServicesSectionNeedADatacenterToo) {
  LoadResult result = load(R"(nodes:
  pop1: {role: edge}
  dns1: {role: dns, site: pop1}
links: [[pop1, dns1]]
)");
  EXPECT_TRUE(has_error(result, 3, 3, "nodes.dns1",
                        {"dns1 runs healthd", "add a node with role datacenter"}));
}

TEST(ValidateServicesTest, OperatorPrefixes) {
  LoadResult result = load(R"(nodes: {bb1: {role: backbone}, t1: {role: peer}}
services:
  prefixes:
    - prefix: 198.51.100.0/24
      from: [t1, bb2]
    - covering: yes
)");
  EXPECT_TRUE(has_error(result, 5, 14, "services.prefixes[0].from[0]",
                        {"'t1' is a peer node", "backbone, edge or datacenter"}));
  EXPECT_TRUE(has_error(result, 5, 18, "services.prefixes[0].from[1]",
                        {"unknown node 'bb2'", "did you mean 'bb1'?"}));
  EXPECT_TRUE(has_error(result, 6, 7, "services.prefixes[1].prefix", {"needs `prefix`"}));
  EXPECT_TRUE(has_error(result, 6, 17, "services.prefixes[1].covering", {"true or false"}));
}

}  // namespace
}  // namespace blastlab::model
