#include "controller/frr/config_diff.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace blastlab::frr {
namespace {

using Commands = std::vector<std::string>;

// Captured from a lab of topologies/minimal.yaml; each test's comment says which change
// produced its `after`. Every rollback expected here was applied to that lab with vtysh and
// gave back the `before` config.
// bb1 of topologies/minimal.yaml, as `show running-config` printed it (FRR 8.4.4).
const std::string kBb1 = R"cfg(Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults datacenter
hostname bb1
log timestamp precision 6
no ipv6 forwarding
hostname vm
!
ip route 198.51.100.0/24 blackhole
!
interface bb2
 description to bb2
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
exit
!
interface dc1
 description to dc1
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
exit
!
interface pop1
 description to pop1
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
exit
!
interface lo
 ip ospf area 0
 ip ospf passive
exit
!
router bgp 64500
 bgp router-id 198.18.0.2
 bgp graceful-restart-disable
 timers bgp 1 3
 neighbor 198.18.0.3 remote-as 64500
 neighbor 198.18.0.3 description bb2
 neighbor 198.18.0.3 update-source lo
 neighbor 198.18.0.3 advertisement-interval 0
 neighbor 198.18.0.3 timers connect 1
 neighbor 198.18.0.4 remote-as 64500
 neighbor 198.18.0.4 description pop1
 neighbor 198.18.0.4 update-source lo
 neighbor 198.18.0.4 advertisement-interval 0
 neighbor 198.18.0.4 timers connect 1
 neighbor 198.18.0.5 remote-as 64500
 neighbor 198.18.0.5 description pop2
 neighbor 198.18.0.5 update-source lo
 neighbor 198.18.0.5 advertisement-interval 0
 neighbor 198.18.0.5 timers connect 1
 !
 address-family ipv4 unicast
  network 198.51.100.0/24
  neighbor 198.18.0.4 route-reflector-client
  neighbor 198.18.0.5 route-reflector-client
 exit-address-family
exit
!
router ospf
 ospf router-id 198.18.0.2
 timers throttle spf 0 50 500
 timers throttle lsa all 0
 timers lsa min-arrival 0
exit
!
end
)cfg";

// pop1, likewise.
const std::string kPop1 = R"cfg(Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults datacenter
hostname pop1
log timestamp precision 6
no ipv6 forwarding
hostname vm
!
interface bb1
 description to bb1
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
exit
!
interface dns1
 description to dns1
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
 ip ospf passive
exit
!
interface transit1
 description to transit1
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
 ip ospf passive
exit
!
interface lo
 ip ospf area 0
 ip ospf passive
exit
!
router bgp 64500
 bgp router-id 198.18.0.4
 bgp graceful-restart-disable
 timers bgp 1 3
 neighbor 198.18.0.2 remote-as 64500
 neighbor 198.18.0.2 description bb1
 neighbor 198.18.0.2 update-source lo
 neighbor 198.18.0.2 advertisement-interval 0
 neighbor 198.18.0.2 timers connect 1
 neighbor 198.18.0.3 remote-as 64500
 neighbor 198.18.0.3 description bb2
 neighbor 198.18.0.3 update-source lo
 neighbor 198.18.0.3 advertisement-interval 0
 neighbor 198.18.0.3 timers connect 1
 neighbor 198.19.0.11 remote-as 65001
 neighbor 198.19.0.11 description dns1
 neighbor 198.19.0.11 advertisement-interval 0
 neighbor 198.19.0.11 timers connect 1
 neighbor 198.19.0.15 remote-as 64510
 neighbor 198.19.0.15 description transit1
 neighbor 198.19.0.15 advertisement-interval 0
 neighbor 198.19.0.15 timers connect 1
 !
 address-family ipv4 unicast
  neighbor 198.19.0.11 route-map FROM-DNS in
  neighbor 198.19.0.11 route-map DENY-ALL out
  neighbor 198.19.0.15 route-map FROM-PEER in
  neighbor 198.19.0.15 route-map TO-PEER out
 exit-address-family
exit
!
router ospf
 ospf router-id 198.18.0.4
 timers throttle spf 0 50 500
 timers throttle lsa all 0
 timers lsa min-arrival 0
exit
!
ip prefix-list ANYCAST seq 5 permit 198.51.100.0/26
ip prefix-list OPERATOR seq 5 permit 198.51.100.0/26
ip prefix-list OPERATOR seq 10 permit 198.51.100.0/24
!
route-map FROM-DNS permit 10
 match ip address prefix-list ANYCAST
exit
!
route-map FROM-PEER permit 10
exit
!
route-map DENY-ALL deny 10
exit
!
route-map TO-PEER permit 10
 match ip address prefix-list OPERATOR
exit
!
end
)cfg";

// pop1 after `ip prefix-list NEW seq 5 permit 203.0.113.0/24`, `route-map NEW permit 10` with
// two lines and a description on TO-PEER: vtysh now lists FROM-PEER and DENY-ALL last.
const std::string kPop1NewRouteMap = R"cfg(Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults datacenter
hostname pop1
log timestamp precision 6
no ipv6 forwarding
hostname vm
!
interface bb1
 description to bb1
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
exit
!
interface dns1
 description to dns1
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
 ip ospf passive
exit
!
interface transit1
 description to transit1
 ip ospf area 0
 ip ospf dead-interval 3
 ip ospf hello-interval 1
 ip ospf network point-to-point
 ip ospf passive
exit
!
interface lo
 ip ospf area 0
 ip ospf passive
exit
!
router bgp 64500
 bgp router-id 198.18.0.4
 bgp graceful-restart-disable
 timers bgp 1 3
 neighbor 198.18.0.2 remote-as 64500
 neighbor 198.18.0.2 description bb1
 neighbor 198.18.0.2 update-source lo
 neighbor 198.18.0.2 advertisement-interval 0
 neighbor 198.18.0.2 timers connect 1
 neighbor 198.18.0.3 remote-as 64500
 neighbor 198.18.0.3 description bb2
 neighbor 198.18.0.3 update-source lo
 neighbor 198.18.0.3 advertisement-interval 0
 neighbor 198.18.0.3 timers connect 1
 neighbor 198.19.0.11 remote-as 65001
 neighbor 198.19.0.11 description dns1
 neighbor 198.19.0.11 advertisement-interval 0
 neighbor 198.19.0.11 timers connect 1
 neighbor 198.19.0.15 remote-as 64510
 neighbor 198.19.0.15 description transit1
 neighbor 198.19.0.15 advertisement-interval 0
 neighbor 198.19.0.15 timers connect 1
 !
 address-family ipv4 unicast
  neighbor 198.19.0.11 route-map FROM-DNS in
  neighbor 198.19.0.11 route-map DENY-ALL out
  neighbor 198.19.0.15 route-map FROM-PEER in
  neighbor 198.19.0.15 route-map TO-PEER out
 exit-address-family
exit
!
router ospf
 ospf router-id 198.18.0.4
 timers throttle spf 0 50 500
 timers throttle lsa all 0
 timers lsa min-arrival 0
exit
!
ip prefix-list NEW seq 5 permit 203.0.113.0/24
ip prefix-list ANYCAST seq 5 permit 198.51.100.0/26
ip prefix-list OPERATOR seq 5 permit 198.51.100.0/26
ip prefix-list OPERATOR seq 10 permit 198.51.100.0/24
!
route-map FROM-DNS permit 10
 match ip address prefix-list ANYCAST
exit
!
route-map NEW permit 10
 match ip address prefix-list NEW
 set local-preference 200
exit
!
route-map TO-PEER permit 10
 description audit was here
 match ip address prefix-list OPERATOR
exit
!
route-map FROM-PEER permit 10
exit
!
route-map DENY-ALL deny 10
exit
!
end
)cfg";

// dns1, likewise.
const std::string kDns1 = R"cfg(Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults datacenter
hostname dns1
log timestamp precision 6
no ipv6 forwarding
hostname vm
!
interface pop1
 description to pop1
exit
!
router bgp 65001
 bgp router-id 198.18.0.6
 bgp graceful-restart-disable
 no bgp network import-check
 timers bgp 1 3
 neighbor 198.19.0.10 remote-as 64500
 neighbor 198.19.0.10 description pop1
 neighbor 198.19.0.10 advertisement-interval 0
 neighbor 198.19.0.10 timers connect 1
 !
 address-family ipv4 unicast
  network 198.51.100.0/26
  neighbor 198.19.0.10 route-map DENY-ALL in
  neighbor 198.19.0.10 route-map TO-OPERATOR out
 exit-address-family
exit
!
ip prefix-list ANYCAST seq 5 permit 198.51.100.0/26
!
route-map DENY-ALL deny 10
exit
!
route-map TO-OPERATOR permit 10
 match ip address prefix-list ANYCAST
exit
!
route-map HEALTHD-DEGRADE permit 10
 set as-path prepend 65001 65001 65001
exit
!
end
)cfg";

// dns1 after `no neighbor 198.19.0.10 remote-as 64500`, which took every line of the
// neighbor with it, those in the address family too.
const std::string kDns1NoRemoteAs = R"cfg(Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults datacenter
hostname dns1
log timestamp precision 6
no ipv6 forwarding
hostname vm
!
interface pop1
 description to pop1
exit
!
router bgp 65001
 bgp router-id 198.18.0.6
 bgp graceful-restart-disable
 no bgp network import-check
 timers bgp 1 3
 !
 address-family ipv4 unicast
  network 198.51.100.0/26
 exit-address-family
exit
!
ip prefix-list ANYCAST seq 5 permit 198.51.100.0/26
!
route-map DENY-ALL deny 10
exit
!
route-map TO-OPERATOR permit 10
 match ip address prefix-list ANYCAST
exit
!
route-map HEALTHD-DEGRADE permit 10
 set as-path prepend 65001 65001 65001
exit
!
end
)cfg";

// The `after` of a change, made from a capture by replacing one piece of it: the tests
// below that use it mirror the diff FRR printed for that change on the lab.
std::string edit(std::string text, const std::string& piece, const std::string& replacement) {
  auto at = text.find(piece);
  if (at == std::string::npos) {
    ADD_FAILURE() << "the test data has no `" << piece << "`";
    return text;
  }
  return text.replace(at, piece.size(), replacement);
}

TEST(ParseRunningConfig, ReadsBlocksNestedBlocksAndTopLevelLines) {
  auto lines = parse_running_config(kBb1);
  std::vector<std::string> top;
  for (const auto& line : lines) top.push_back(line.text);
  EXPECT_EQ(top, (Commands{"hostname bb1", "log timestamp precision 6", "no ipv6 forwarding",
                           "hostname vm", "ip route 198.51.100.0/24 blackhole", "interface bb2",
                           "interface dc1", "interface pop1", "interface lo", "router bgp 64500",
                           "router ospf"}));
  const ConfigLine& bgp = lines[9];
  ASSERT_TRUE(bgp.block());
  EXPECT_EQ(bgp.terminator, "exit");
  ASSERT_EQ(bgp.children.size(), 19u);  // 18 lines (" !" is no line) and the address family
  const ConfigLine& family = bgp.children.back();
  EXPECT_EQ(family.text, "address-family ipv4 unicast");
  EXPECT_EQ(family.terminator, "exit-address-family");
  ASSERT_EQ(family.children.size(), 3u);
  EXPECT_EQ(family.children[0].text, "network 198.51.100.0/24");
  EXPECT_FALSE(family.children[0].block());
  EXPECT_FALSE(lines[0].block());
}

TEST(ParseRunningConfig, AHeaderFollowedByItsExitIsAnEmptyBlock) {
  auto lines = parse_running_config(
      "route-map FROM-PEER permit 10\nexit\n!\nip route "
      "198.51.100.0/24 blackhole\n!\nend\n");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].block());
  EXPECT_TRUE(lines[0].children.empty());
  EXPECT_FALSE(lines[1].block());
}

TEST(ParseRunningConfig, MergesABlockPrintedTwice) {
  auto lines = parse_running_config(
      "interface pop1\n description to pop1\nexit\n!\ninterface pop1\n ip ospf area 0\n"
      " description to pop1\nexit\n");
  ASSERT_EQ(lines.size(), 1u);
  ASSERT_EQ(lines[0].children.size(), 2u);
  EXPECT_EQ(lines[0].children[1].text, "ip ospf area 0");
}

TEST(ConfigDiff, IdenticalConfigsNeedNoCommands) {
  EXPECT_TRUE(rollback_commands(kBb1, kBb1).empty());
  EXPECT_TRUE(rollback_commands(kPop1, kPop1).empty());
  EXPECT_TRUE(equivalent_configs(kDns1, kDns1));
}

TEST(ConfigDiff, OrderOfBlocksIsNoDifference) {
  // vtysh lists route-maps in an order that changes when one is re-created.
  std::string moved = edit(kPop1, "route-map FROM-PEER permit 10\nexit\n!\n", "");
  moved = edit(moved, "end\n", "route-map FROM-PEER permit 10\nexit\n!\nend\n");
  EXPECT_NE(moved, kPop1);
  EXPECT_TRUE(equivalent_configs(kPop1, moved));
  EXPECT_FALSE(equivalent_configs(kPop1, kPop1NewRouteMap));
}

TEST(ConfigDiff, AddedShutdownIsUndoneWithNoShutdown) {
  // interface pop1 / shutdown
  std::string after = edit(kBb1, " description to pop1\n", " description to pop1\n shutdown\n");
  EXPECT_EQ(rollback_commands(kBb1, after), (Commands{"interface pop1", "no shutdown", "exit"}));
}

TEST(ConfigDiff, ChangedLineIsRemovedThenReAdded) {
  // router bgp 64500 / bgp router-id 198.18.0.99
  std::string after = edit(kBb1, " bgp router-id 198.18.0.2\n", " bgp router-id 198.18.0.99\n");
  EXPECT_EQ(rollback_commands(kBb1, after),
            (Commands{"router bgp 64500", "no bgp router-id 198.18.0.99",
                      "bgp router-id 198.18.0.2", "exit"}));
}

TEST(ConfigDiff, InterfaceSettingsChangedAndAdded) {
  // interface bb2 / ip ospf cost 50 / ip ospf hello-interval 2
  std::string after =
      edit(kBb1,
           "interface bb2\n description to bb2\n ip ospf area 0\n ip ospf dead-interval 3\n"
           " ip ospf hello-interval 1\n",
           "interface bb2\n description to bb2\n ip ospf area 0\n ip ospf cost 50\n"
           " ip ospf dead-interval 3\n ip ospf hello-interval 2\n");
  EXPECT_EQ(rollback_commands(kBb1, after),
            (Commands{"interface bb2", "no ip ospf hello-interval 2", "no ip ospf cost 50",
                      "ip ospf hello-interval 1", "exit"}));
}

TEST(ConfigDiff, RemovedNeighborIsReAddedBeforeItsAddressFamilyLines) {
  EXPECT_EQ(
      rollback_commands(kDns1, kDns1NoRemoteAs),
      (Commands{"router bgp 65001", "neighbor 198.19.0.10 remote-as 64500",
                "neighbor 198.19.0.10 description pop1",
                "neighbor 198.19.0.10 advertisement-interval 0",
                "neighbor 198.19.0.10 timers connect 1", "address-family ipv4 unicast",
                "neighbor 198.19.0.10 route-map DENY-ALL in",
                "neighbor 198.19.0.10 route-map TO-OPERATOR out", "exit-address-family", "exit"}));
}

TEST(ConfigDiff, AddedNeighborIsRemovedLatestFirst) {
  // router bgp 64500 / neighbor 198.18.0.77 remote-as 64500, description, update-source,
  // and in the address family route-reflector-client and a route-map: its address-family
  // lines must go while the neighbor still exists.
  std::string after = edit(kBb1, " neighbor 198.18.0.5 timers connect 1\n",
                           " neighbor 198.18.0.5 timers connect 1\n"
                           " neighbor 198.18.0.77 remote-as 64500\n"
                           " neighbor 198.18.0.77 description ghost\n"
                           " neighbor 198.18.0.77 update-source lo\n");
  after = edit(after, "  neighbor 198.18.0.5 route-reflector-client\n",
               "  neighbor 198.18.0.5 route-reflector-client\n"
               "  neighbor 198.18.0.77 route-reflector-client\n"
               "  neighbor 198.18.0.77 route-map DENY-ALL in\n");
  EXPECT_EQ(rollback_commands(kBb1, after),
            (Commands{"router bgp 64500", "address-family ipv4 unicast",
                      "no neighbor 198.18.0.77 route-map DENY-ALL in",
                      "no neighbor 198.18.0.77 route-reflector-client", "exit-address-family",
                      "no neighbor 198.18.0.77 update-source lo",
                      "no neighbor 198.18.0.77 description ghost",
                      "no neighbor 198.18.0.77 remote-as 64500", "exit"}));
}

TEST(ConfigDiff, RemoteAsIsSetBackInPlace) {
  // router bgp 65001 / neighbor 198.19.0.10 remote-as 64501: `no neighbor ... remote-as`
  // would delete the neighbor with all its settings.
  std::string after = edit(kDns1, "remote-as 64500", "remote-as 64501");
  EXPECT_EQ(rollback_commands(kDns1, after),
            (Commands{"router bgp 65001", "neighbor 198.19.0.10 remote-as 64500", "exit"}));
}

TEST(ConfigDiff, AddressFamilyChangeStaysInTheAddressFamily) {
  // router bgp 64500 / address-family ipv4 unicast / no neighbor 198.19.0.11 route-map
  // FROM-DNS in / neighbor 198.19.0.11 route-map DENY-ALL in / network 203.0.113.0/24
  std::string after = edit(kPop1, "  neighbor 198.19.0.11 route-map FROM-DNS in\n",
                           "  network 203.0.113.0/24\n"
                           "  neighbor 198.19.0.11 route-map DENY-ALL in\n");
  EXPECT_EQ(
      rollback_commands(kPop1, after),
      (Commands{"router bgp 64500", "address-family ipv4 unicast",
                "no neighbor 198.19.0.11 route-map DENY-ALL in", "no network 203.0.113.0/24",
                "neighbor 198.19.0.11 route-map FROM-DNS in", "exit-address-family", "exit"}));
}

TEST(ConfigDiff, NewRouteMapIsDeletedWholeAndADescriptionWithoutItsText) {
  EXPECT_EQ(rollback_commands(kPop1, kPop1NewRouteMap),
            (Commands{"route-map TO-PEER permit 10", "no description", "exit",
                      "no route-map NEW permit 10",
                      "no ip prefix-list NEW seq 5 permit 203.0.113.0/24"}));
}

TEST(ConfigDiff, RouteMapEntryOfAnotherTypeIsReplaced) {
  // no route-map HEALTHD-DEGRADE permit 10 / route-map HEALTHD-DEGRADE deny 10
  std::string after = edit(kDns1,
                           "route-map HEALTHD-DEGRADE permit 10\n"
                           " set as-path prepend 65001 65001 65001\nexit\n",
                           "route-map HEALTHD-DEGRADE deny 10\nexit\n");
  EXPECT_EQ(rollback_commands(kDns1, after),
            (Commands{"no route-map HEALTHD-DEGRADE deny 10", "route-map HEALTHD-DEGRADE permit 10",
                      "set as-path prepend 65001 65001 65001", "exit"}));
}

TEST(ConfigDiff, RemovedEmptyBlockIsReCreated) {
  std::string after = edit(kPop1, "route-map FROM-PEER permit 10\nexit\n", "");
  EXPECT_EQ(rollback_commands(kPop1, after), (Commands{"route-map FROM-PEER permit 10", "exit"}));
}

TEST(ConfigDiff, NegatedLinesAreTakenBackWithoutTheirNo) {
  // router bgp 65001 / bgp network import-check / bgp ebgp-requires-policy / exit /
  // ipv6 forwarding: two `no` lines gone, one plain line added.
  std::string after = edit(kDns1, "no ipv6 forwarding\n", "");
  after = edit(after, " no bgp network import-check\n", "");
  after = edit(after, " bgp graceful-restart-disable\n",
               " bgp graceful-restart-disable\n bgp ebgp-requires-policy\n");
  EXPECT_EQ(
      rollback_commands(kDns1, after),
      (Commands{"router bgp 65001", "no bgp ebgp-requires-policy", "exit", "no ipv6 forwarding",
                "router bgp 65001", "no bgp network import-check", "exit"}));
}

TEST(ConfigDiff, WholeRouterGoneIsReCreatedWithItsAddressFamily) {
  // no router bgp 65001
  auto begin = kDns1.find("router bgp 65001\n");
  auto end = kDns1.find("ip prefix-list");
  ASSERT_NE(begin, std::string::npos);
  std::string after = kDns1.substr(0, begin) + kDns1.substr(end);
  auto commands = rollback_commands(kDns1, after);
  ASSERT_EQ(commands.size(), 15u);
  EXPECT_EQ(commands.front(), "router bgp 65001");
  EXPECT_EQ(commands[1], "bgp router-id 198.18.0.6");
  EXPECT_EQ(commands[9], "address-family ipv4 unicast");
  EXPECT_EQ(commands[13], "exit-address-family");
  EXPECT_EQ(commands.back(), "exit");
  // And the other way round: the whole block goes with one command.
  EXPECT_EQ(config_transition(kDns1, after), (Commands{"no router bgp 65001"}));
}

TEST(ConfigDiff, InterfaceBlocksAreEmptiedNotDeleted) {
  // An interface that exists in the kernel cannot be deleted with `no interface`.
  std::string after = edit(kDns1, "end\n", "interface lo\n description spare\nexit\n!\nend\n");
  EXPECT_EQ(rollback_commands(kDns1, after), (Commands{"interface lo", "no description", "exit"}));
}

TEST(ConfigDiff, RemovalsComeBeforeAdditionsAcrossContexts) {
  // no router ospf / no ip route 198.51.100.0/24 blackhole / interface dc1 / description
  // audit / exit / ip prefix-list X seq 5 permit ... / ip prefix-list X seq 10 deny any
  auto ospf = kBb1.find("router ospf\n");
  std::string after = kBb1.substr(0, ospf) +
                      "ip prefix-list X seq 5 permit 198.51.100.0/24\n"
                      "ip prefix-list X seq 10 deny any\n!\nend\n";
  after = edit(after, "ip route 198.51.100.0/24 blackhole\n!\n", "");
  after = edit(after, " description to dc1\n", " description audit\n");
  EXPECT_EQ(rollback_commands(kBb1, after),
            (Commands{"no ip prefix-list X seq 10 deny any",
                      "no ip prefix-list X seq 5 permit 198.51.100.0/24", "interface dc1",
                      "no description", "exit", "ip route 198.51.100.0/24 blackhole",
                      "interface dc1", "description to dc1", "exit", "router ospf",
                      "ospf router-id 198.18.0.2", "timers throttle spf 0 50 500",
                      "timers throttle lsa all 0", "timers lsa min-arrival 0", "exit"}));
}

TEST(ConfigDiff, NotConfigurationIsIgnored) {
  std::string after = edit(kBb1, "frr version 8.4.4\n", "frr version 8.4.5\n");
  after = edit(after, "Current configuration:\n", "");
  EXPECT_TRUE(rollback_commands(kBb1, after).empty());
}

// Each command names the line of `to` it comes from, so a gate can point at the candidate
// line that did the damage: an added line its own, a context its header in `to`, a removal
// nothing (0).
TEST(ConfigDiff, TracedCommandsNameTheLineOfTheTarget) {
  const std::string from =
      "interface eth1\n"
      " description to bb1\n"
      "exit\n"
      "!\n"
      "router bgp 64500\n"
      " neighbor 198.18.0.1 remote-as 64500\n"
      " neighbor 198.18.0.9 remote-as 64510\n"
      "exit\n"
      "interface eth9\n"
      " ip ospf cost 10\n"
      "exit\n";
  const std::string to =
      "! candidate\n"
      "interface eth1\n"
      " description to bb1\n"
      " shutdown\n"
      "exit\n"
      "router bgp 64500\n"
      " neighbor 198.18.0.1 remote-as 64500\n"
      "exit\n";
  auto traced = traced_config_transition(from, to);
  std::vector<std::pair<std::string, int>> got;
  for (const auto& c : traced) got.emplace_back(c.text, c.line);
  EXPECT_EQ(got,
            (std::vector<std::pair<std::string, int>>{{"interface eth9", 0},
                                                      {"no ip ospf cost 10", 0},
                                                      {"exit", 0},
                                                      {"router bgp 64500", 6},
                                                      {"no neighbor 198.18.0.9 remote-as 64510", 0},
                                                      {"exit", 6},
                                                      {"interface eth1", 2},
                                                      {"shutdown", 4},
                                                      {"exit", 2}}));
  // The untraced transition is the same commands.
  std::vector<std::string> texts;
  for (const auto& c : traced) texts.push_back(c.text);
  EXPECT_EQ(config_transition(from, to), texts);
}

TEST(NegateConfigLine, UsesTheFormFrrAccepts) {
  EXPECT_EQ(negate_config_line("shutdown"), "no shutdown");
  EXPECT_EQ(negate_config_line("no bgp ebgp-requires-policy"), "bgp ebgp-requires-policy");
  EXPECT_EQ(negate_config_line("description to pop1"), "no description");
  EXPECT_EQ(negate_config_line("neighbor 198.18.0.3 description bb2"),
            "no neighbor 198.18.0.3 description bb2");
  EXPECT_EQ(negate_config_line("descriptionless"), "no descriptionless");
}

TEST(VtyshConfig, WrapsCommandsInConfigureTerminal) {
  Commands commands = {"interface pop1", "no shutdown", "exit"};
  EXPECT_EQ(vtysh_config_commands(commands),
            (Commands{"configure terminal", "interface pop1", "no shutdown", "exit"}));
  EXPECT_EQ(vtysh_config_args(commands),
            (Commands{"-c", "configure terminal", "-c", "interface pop1", "-c", "no shutdown", "-c",
                      "exit"}));
  EXPECT_TRUE(vtysh_config_args({}).empty());
}

}  // namespace
}  // namespace blastlab::frr
