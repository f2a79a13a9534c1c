#include "controller/frr/plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "controller/frr/test_support.hpp"

namespace blastlab::frr {
namespace {

const Neighbor* neighbor(const RouterPlan& router, const std::string& node) {
  for (const auto& n : router.neighbors)
    if (n.node == node) return &n;
  return nullptr;
}

std::vector<std::string> expected_at(const RoutingPlan& plan, const std::string& node) {
  std::vector<std::string> out;
  for (const auto& e : plan.expected)
    if (e.node == node) out.push_back(e.prefix.str() + " " + e.why);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RoutingPlan, DaemonsFollowTheRole) {
  auto plan = plan_routing(minimal());
  ASSERT_EQ(plan.find("client1"), nullptr);  // a client runs no routing daemon
  // zebra and staticd on the operator's routers, as FRR's own start runs them; elsewhere
  // staticd only for a planned static route (transit1 routes client1's network).
  EXPECT_EQ(plan.find("dc1")->daemons,
            (std::vector{Daemon::kZebra, Daemon::kStaticd, Daemon::kOspfd}));
  EXPECT_EQ(plan.find("bb1")->daemons,
            (std::vector{Daemon::kZebra, Daemon::kStaticd, Daemon::kOspfd, Daemon::kBgpd}));
  EXPECT_EQ(plan.find("pop1")->daemons,
            (std::vector{Daemon::kZebra, Daemon::kStaticd, Daemon::kOspfd, Daemon::kBgpd}));
  EXPECT_EQ(plan.find("dns1")->daemons, (std::vector{Daemon::kZebra, Daemon::kBgpd}));
  EXPECT_EQ(plan.find("transit1")->daemons,
            (std::vector{Daemon::kZebra, Daemon::kStaticd, Daemon::kBgpd}));
  // bb1 originates the covering prefix with a blackhole route; transit1 routes client1's
  // network: their static routes are in staticd's config.
  EXPECT_FALSE(plan.find("bb1")->statics.empty());
  EXPECT_TRUE(plan.find("transit2")->statics.empty());
  EXPECT_EQ(plan.find("transit2")->daemons, (std::vector{Daemon::kZebra, Daemon::kBgpd}));
}

TEST(RoutingPlan, ReflectorsMeshAndReflectToEveryOtherSpeaker) {
  auto plan = plan_routing(minimal());
  const auto& bb1 = *plan.find("bb1");
  ASSERT_NE(neighbor(bb1, "bb2"), nullptr);
  EXPECT_TRUE(neighbor(bb1, "bb2")->internal);
  EXPECT_FALSE(neighbor(bb1, "bb2")->rr_client);
  ASSERT_NE(neighbor(bb1, "pop2"), nullptr);  // no link, still a client over loopbacks
  EXPECT_TRUE(neighbor(bb1, "pop2")->rr_client);
  const auto& pop1 = *plan.find("pop1");
  EXPECT_EQ(neighbor(pop1, "pop2"), nullptr);  // clients do not mesh
  EXPECT_FALSE(neighbor(pop1, "bb1")->rr_client);
  EXPECT_EQ(neighbor(pop1, "bb1")->address, minimal().find_node("bb1")->loopback->address);
  EXPECT_EQ(plan.find("dc1")->neighbors.size(), 0u);
}

TEST(RoutingPlan, EbgpPoliciesByWhatTheOtherSideIs) {
  auto plan = plan_routing(minimal());
  const auto& pop1 = *plan.find("pop1");
  EXPECT_EQ(neighbor(pop1, "dns1")->route_map_in, "FROM-DNS");
  EXPECT_EQ(neighbor(pop1, "dns1")->route_map_out, "DENY-ALL");
  EXPECT_EQ(neighbor(pop1, "dns1")->remote_as, minimal().find_node("dns1")->asn);
  EXPECT_EQ(neighbor(pop1, "transit1")->route_map_out, "TO-PEER");
  const auto& dns1 = *plan.find("dns1");
  ASSERT_EQ(dns1.neighbors.size(), 1u);
  EXPECT_EQ(dns1.neighbors[0].route_map_out, "TO-OPERATOR");
  EXPECT_TRUE(dns1.networks.empty());  // healthd decides what it announces
  const auto& transit1 = *plan.find("transit1");
  EXPECT_EQ(neighbor(transit1, "transit2")->route_map_out, "TO-ANY");
  EXPECT_EQ(neighbor(transit1, "client1"), nullptr);
}

TEST(RoutingPlan, OspfIsPassiveTowardOtherNetworks) {
  auto plan = plan_routing(minimal());
  for (const auto& iface : plan.find("pop1")->ospf) {
    bool outward = iface.ifname == "dns1" || iface.ifname == "transit1" || iface.ifname == "lo";
    EXPECT_EQ(iface.passive, outward) << iface.ifname;
  }
  EXPECT_TRUE(plan.find("transit1")->ospf.empty());
}

TEST(RoutingPlan, HostsGetDefaultRoutesAndServiceAddresses) {
  auto topology = minimal();
  auto plan = plan_routing(topology);
  ASSERT_EQ(plan.host_routes.size(), 3u);  // dns1, dns2, client1
  for (const auto& route : plan.host_routes) EXPECT_EQ(route.prefix.str(), "0.0.0.0/0");
  int dns1_addresses = 0;
  for (const auto& a : plan.service_addresses) dns1_addresses += a.node == "dns1";
  EXPECT_EQ(dns1_addresses, 2);  // a.ns and b.ns
}

TEST(RoutingPlan, SessionsAreListedOnce) {
  auto plan = plan_routing(minimal());
  // iBGP: bb1-bb2, bb1-pop1, bb1-pop2, bb2-pop1, bb2-pop2; eBGP: pop1-dns1, pop2-dns2,
  // pop1-transit1, pop2-transit2, transit1-transit2.
  EXPECT_EQ(plan.sessions.size(), 10u);
  for (const auto& s : plan.sessions) {
    EXPECT_LT(s.a, s.b);
    // Only a DNS host announces a set number of prefixes: its anycast prefix, to its PoP.
    bool dns_to_pop = (s.a == "dns1" && s.b == "pop1") || (s.a == "dns2" && s.b == "pop2");
    EXPECT_EQ(s.a_announces, dns_to_pop ? 1u : 0u) << s.a << " - " << s.b;
    EXPECT_EQ(s.b_announces, 0u) << s.a << " - " << s.b;
  }
}

TEST(RoutingPlan, PeersExpectTheServiceAndEachOther) {
  auto plan = plan_routing(minimal());
  auto at = expected_at(plan, "transit1");
  EXPECT_EQ(at,
            (std::vector<std::string>{"198.18.0.9/32 peer loopback", "198.51.100.0/24 operator",
                                      "198.51.100.0/26 anycast", "203.0.113.0/28 client network"}));
  EXPECT_TRUE(expected_at(plan, "pop1").empty());
}

}  // namespace
}  // namespace blastlab::frr
