#include "controller/frr/config_commands.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace blastlab::frr {
namespace {

using E = CommandEffect;

std::vector<E> effects(const std::vector<std::string>& lines) {
  std::vector<E> result;
  for (const auto& command : read_config_commands(lines)) result.push_back(command.effect);
  return result;
}

TEST(ConfigCommands, ReadsAbbreviationsAsFrrDoes) {
  auto c = read_config_commands({"int eth1", " shut", "exit", "in eth2", "shu", "no sh", "end"});
  ASSERT_EQ(c.size(), 7u);
  EXPECT_EQ(c[0].effect, E::kContext);
  EXPECT_EQ(c[0].block, "interface eth1");
  EXPECT_EQ(c[1].effect, E::kInterfaceShutdown);
  EXPECT_EQ(c[1].interface, "eth1");
  EXPECT_EQ(c[2].block, "");
  EXPECT_EQ(c[4].effect, E::kInterfaceShutdown);
  EXPECT_EQ(c[4].interface, "eth2");
  EXPECT_EQ(c[5].effect, E::kInterfaceNoShutdown);
  EXPECT_EQ(c[6].block, "");
}

TEST(ConfigCommands, ReadsBgpNeighborsAndNetworks) {
  auto c = read_config_commands(
      {"ro bg 64500", " nei 198.18.0.1 shut", " no nei 198.18.0.1 sh", " no neighbor 198.18.0.2",
       " no nei 198.18.0.3 remote-as 64510", " nei 198.18.0.4 rem 64999",
       " neighbor 198.18.0.5 remote-as int", " add ipv4 unicast", "  no net 192.0.2.0/24",
       "  network 192.0.2.64/26", " exit-address-family", " nei 198.18.0.1 desc x"});
  ASSERT_EQ(c.size(), 12u);
  EXPECT_EQ(c[0].block, "router bgp 64500");
  EXPECT_EQ(c[1].effect, E::kNeighborShutdown);
  EXPECT_EQ(c[1].neighbor, "198.18.0.1");
  EXPECT_EQ(c[2].effect, E::kNeighborNoShutdown);
  EXPECT_EQ(c[3].effect, E::kNeighborRemoved);
  EXPECT_EQ(c[3].neighbor, "198.18.0.2");
  EXPECT_EQ(c[4].effect, E::kNeighborRemoved);
  EXPECT_EQ(c[5].effect, E::kNeighborRemoteAs);
  EXPECT_EQ(c[5].remote_as, "64999");
  EXPECT_EQ(c[6].remote_as, "internal");
  EXPECT_EQ(c[7].block, "router bgp 64500 address-family ipv4 unicast");
  EXPECT_EQ(c[8].effect, E::kNetworkRemoved);
  EXPECT_EQ(c[8].prefix, "192.0.2.0/24");
  EXPECT_EQ(c[9].effect, E::kNetworkAdded);
  EXPECT_EQ(c[10].block, "router bgp 64500");
  EXPECT_EQ(c[11].effect, E::kOther);
  EXPECT_EQ(c[11].note, "not modelled");
}

TEST(ConfigCommands, AnAbbreviationThatFitsTwoCommandsIsAmbiguous) {
  auto c = read_config_commands({"router bgp 64500", " nei 198.18.0.1 s", "router os"});
  EXPECT_EQ(c[1].effect, E::kOther);
  EXPECT_TRUE(c[1].note.starts_with("ambiguous")) << c[1].note;
  EXPECT_EQ(c[2].effect, E::kOther);
  EXPECT_TRUE(c[2].note.starts_with("ambiguous")) << c[2].note;
  // An exact keyword beats a prefix: `router ospf` is not `router ospf6`.
  EXPECT_EQ(read_config_commands({"router ospf"})[0].block, "router ospf");
}

TEST(ConfigCommands, ReadsOspfOnInterfacesAndUnderTheRouter) {
  auto c = read_config_commands({"interface bb1", " ip ospf pass", " no ip ospf area 0",
                                 " ip ospf cost 100", " ip ospf a 0", "router ospf",
                                 " passive-interface default", " no passive-interface pop1",
                                 "no router ospf", "no router bgp 64500"});
  EXPECT_EQ(c[1].effect, E::kOspfPassive);
  EXPECT_EQ(c[1].interface, "bb1");
  EXPECT_EQ(c[2].effect, E::kOspfAreaRemoved);
  EXPECT_EQ(c[3].effect, E::kOther);
  EXPECT_EQ(c[3].note, "not modelled");
  EXPECT_TRUE(c[4].note.starts_with("ambiguous"));  // area, authentication, ...
  EXPECT_EQ(c[6].effect, E::kOspfPassive);
  EXPECT_EQ(c[6].interface, "default");
  EXPECT_EQ(c[7].effect, E::kOspfNoPassive);
  EXPECT_EQ(c[7].interface, "pop1");
  EXPECT_EQ(c[8].effect, E::kOspfRemoved);
  EXPECT_EQ(c[9].effect, E::kBgpRemoved);
}

TEST(ConfigCommands, ALineTheBlockDoesNotTakeFallsToTheTopLevelAsInVtysh) {
  // `router ospf` leaves the interface block; `shutdown` there is no interface's.
  EXPECT_EQ(effects({"interface bb2", " shutdown", "router ospf", " shutdown"}),
            (std::vector<E>{E::kContext, E::kInterfaceShutdown, E::kContext, E::kOther}));
  // Indentation means nothing: `shutdown` after `interface X vrf Y` is the interface's.
  auto c = read_config_commands({"interface bb2 vrf red", "shutdown"});
  EXPECT_EQ(c[1].effect, E::kInterfaceShutdown);
  EXPECT_EQ(c[1].interface, "bb2");
  // A route-map's lines are not modelled, and a `shutdown` in it is no interface's.
  EXPECT_EQ(effects({"route-map X permit 10", " set metric 5", " shutdown"}),
            (std::vector<E>{E::kOther, E::kOther, E::kOther}));
}

}  // namespace
}  // namespace blastlab::frr
