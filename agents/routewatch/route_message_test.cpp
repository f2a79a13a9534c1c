// Decoding of rtnetlink datagrams built in the test with the kernel's structs: route adds
// and removes, where the table and gateway come from, links and addresses going down, the
// end of a dump, errors, and datagrams that are cut short.
#include "agents/routewatch/route_message.hpp"

#include <gtest/gtest.h>
#include <net/if.h>

#include "agents/routewatch/test_messages.hpp"

namespace blastlab::routewatch {
namespace {

using testing::Bytes;
using testing::RouteSpec;

RouteMessage only_route(const Bytes& datagram) {
  NetlinkBatch batch = parse_netlink(datagram);
  EXPECT_EQ(batch.malformed, "");
  EXPECT_EQ(batch.routes.size(), 1u);
  return batch.routes.empty() ? RouteMessage{} : batch.routes.front();
}

TEST(RouteMessageTest, DecodesANewBgpRoute) {
  RouteMessage r = only_route(testing::route({.priority = 20, .gateway = "198.18.0.1"}));
  EXPECT_FALSE(r.removed);
  EXPECT_EQ(r.family, AF_INET);
  EXPECT_EQ(r.table, RT_TABLE_MAIN);
  EXPECT_EQ(r.protocol, RTPROT_BGP);
  EXPECT_EQ(r.type, RTN_UNICAST);
  EXPECT_EQ(r.prefix.str(), "198.51.100.0/26");
  EXPECT_EQ(r.priority, 20u);
  EXPECT_EQ(r.gateway, "198.18.0.1");
}

TEST(RouteMessageTest, DecodesARemovedBlackholeRouteWithoutGateway) {
  RouteMessage r = only_route(
      testing::route({.message = RTM_DELROUTE, .protocol = RTPROT_STATIC, .type = RTN_BLACKHOLE}));
  EXPECT_TRUE(r.removed);
  EXPECT_EQ(r.type, RTN_BLACKHOLE);
  EXPECT_EQ(r.gateway, "");
  EXPECT_EQ(r.priority, 0u);
}

TEST(RouteMessageTest, RouteWithoutDestinationIsTheDefaultRoute) {
  RouteMessage r = only_route(testing::route({.destination = "", .length = 0}));
  EXPECT_EQ(r.prefix.str(), "0.0.0.0/0");
}

TEST(RouteMessageTest, TableAttributeOverridesTheHeaderField) {
  // Tables above 255 do not fit rtm_table; the kernel puts RT_TABLE_COMPAT there and the
  // real number in RTA_TABLE.
  RouteMessage big =
      only_route(testing::route({.table = RT_TABLE_COMPAT, .table_attribute = 1000}));
  EXPECT_EQ(big.table, 1000u);
  RouteMessage header_only =
      only_route(testing::route({.table = RT_TABLE_LOCAL, .table_attribute = std::nullopt}));
  EXPECT_EQ(header_only.table, RT_TABLE_LOCAL);
}

TEST(RouteMessageTest, MultipathGatewayIsTheFirstNexthopWithAnAddress) {
  RouteMessage r = only_route(testing::route({.multipath = {"", "198.18.0.5", "198.18.0.9"}}));
  EXPECT_EQ(r.gateway, "198.18.0.5");
}

TEST(RouteMessageTest, PlainGatewayWinsOverMultipath) {
  RouteMessage r =
      only_route(testing::route({.gateway = "198.18.0.1", .multipath = {"198.18.0.5"}}));
  EXPECT_EQ(r.gateway, "198.18.0.1");
}

TEST(RouteMessageTest, TheInterfaceIsRtaOifOrTheFirstMultipathNexthops) {
  auto batch = parse_netlink(testing::route({.gateway = "198.18.0.1", .oif = 7}));
  ASSERT_EQ(batch.routes.size(), 1u);
  EXPECT_EQ(batch.routes[0].oif, 7u);
  // The test builder gives every multipath nexthop the interface index 2.
  batch = parse_netlink(testing::route({.multipath = {"", "198.18.0.5"}}));
  ASSERT_EQ(batch.routes.size(), 1u);
  EXPECT_EQ(batch.routes[0].oif, 2u);
  EXPECT_EQ(parse_netlink(testing::route({})).routes[0].oif, 0u) << "none: a blackhole";
}

TEST(RouteMessageTest, ViaGivesAnIpv6Nexthop) {
  // FRR installs BGP-unnumbered routes as IPv4 prefixes via an IPv6 link-local nexthop.
  RouteMessage r = only_route(testing::route({.via6 = "fe80::1"}));
  EXPECT_EQ(r.gateway, "fe80::1");
}

TEST(RouteMessageTest, SeveralMessagesInOneDatagramInOrderThenDone) {
  Bytes datagram = testing::concat(
      {testing::route({.destination = "198.51.100.0", .nlmsg_flags = NLM_F_MULTI}),
       testing::route({.destination = "203.0.113.0", .length = 24, .nlmsg_flags = NLM_F_MULTI}),
       testing::done()});
  NetlinkBatch batch = parse_netlink(datagram);
  ASSERT_EQ(batch.routes.size(), 2u);
  EXPECT_EQ(batch.routes[0].prefix.str(), "198.51.100.0/26");
  EXPECT_EQ(batch.routes[1].prefix.str(), "203.0.113.0/24");
  EXPECT_TRUE(batch.done);
  EXPECT_EQ(batch.error, 0);
  EXPECT_FALSE(batch.dump_interrupted);
}

TEST(RouteMessageTest, InterruptedDumpIsFlagged) {
  NetlinkBatch batch =
      parse_netlink(testing::route({.nlmsg_flags = NLM_F_MULTI | NLM_F_DUMP_INTR}));
  EXPECT_TRUE(batch.dump_interrupted);
}

TEST(RouteMessageTest, ErrorsAreReportedAndAcksAreNot) {
  EXPECT_EQ(parse_netlink(testing::error(-EBUSY)).error, EBUSY);
  EXPECT_EQ(parse_netlink(testing::error(0)).error, 0);
  NetlinkBatch failed_dump = parse_netlink(testing::done(-EINTR));
  EXPECT_TRUE(failed_dump.done);
  EXPECT_EQ(failed_dump.error, EINTR);
}

TEST(RouteMessageTest, OtherMessageTypesAreSkipped) {
  Bytes rule = testing::message(RTM_NEWRULE, 0, 0, Bytes(16, 0));
  NetlinkBatch batch =
      parse_netlink(testing::concat({rule, testing::link(IFF_UP), testing::route({})}));
  EXPECT_EQ(batch.malformed, "");
  EXPECT_EQ(batch.routes.size(), 1u);
  EXPECT_FALSE(batch.interface_went_down) << "a link that is up flushes nothing";
}

TEST(RouteMessageTest, LinkOrAddressGoingDownIsFlagged) {
  // The kernel flushes routes over a link that goes down, or with a removed address as
  // source, and sends no RTM_DELROUTE for them.
  EXPECT_TRUE(parse_netlink(testing::link(0)).interface_went_down);
  EXPECT_TRUE(parse_netlink(testing::link(IFF_UP, RTM_DELLINK)).interface_went_down);
  EXPECT_TRUE(parse_netlink(testing::address(RTM_DELADDR)).interface_went_down);
  EXPECT_FALSE(parse_netlink(testing::address(RTM_NEWADDR)).interface_went_down);
  EXPECT_FALSE(parse_netlink(testing::address(RTM_DELADDR, AF_INET6)).interface_went_down);
}

TEST(RouteMessageTest, TruncatedDatagramKeepsWhatCameBeforeAndSaysWhy) {
  Bytes first = testing::route({.destination = "198.51.100.0"});
  Bytes second = testing::route({.destination = "198.51.100.64"});
  Bytes datagram = testing::concat({first, second});
  datagram.resize(first.size() + second.size() - 8);
  NetlinkBatch batch = parse_netlink(datagram);
  ASSERT_EQ(batch.routes.size(), 1u);
  EXPECT_EQ(batch.routes[0].prefix.str(), "198.51.100.0/26");
  EXPECT_NE(batch.malformed.find("at byte " + std::to_string(first.size())), std::string::npos)
      << batch.malformed;

  Bytes half_header(first.begin(), first.begin() + 10);
  EXPECT_NE(parse_netlink(half_header).malformed, "");
}

TEST(RouteMessageTest, RouteMessageTooShortForItsHeaderIsMalformed) {
  NetlinkBatch batch = parse_netlink(testing::message(RTM_NEWROUTE, 0, 0, Bytes(4, 0)));
  EXPECT_TRUE(batch.routes.empty());
  EXPECT_NE(batch.malformed.find("too short"), std::string::npos) << batch.malformed;
}

TEST(RouteMessageTest, AttributeOverrunningItsMessageIsIgnored) {
  // An attribute claiming more bytes than remain must not be read past the message.
  Bytes datagram = testing::route({.destination = "", .length = 26});
  Bytes bogus;
  testing::append(bogus, rtattr{200, RTA_DST});
  testing::append(bogus, uint32_t{0x0a000000});
  Bytes payload(datagram.begin() + NLMSG_HDRLEN, datagram.end());
  payload.insert(payload.end(), bogus.begin(), bogus.end());
  RouteMessage r = only_route(testing::message(RTM_NEWROUTE, 0, 0, payload));
  EXPECT_EQ(r.prefix.address.value, 0u);
}

TEST(RouteMessageTest, DumpRequestAsksForEveryIpv4Route) {
  std::vector<uint8_t> request = route_dump_request(7);
  ASSERT_EQ(request.size(), NLMSG_LENGTH(sizeof(rtmsg)));
  nlmsghdr header;
  std::memcpy(&header, request.data(), sizeof header);
  EXPECT_EQ(header.nlmsg_len, request.size());
  EXPECT_EQ(header.nlmsg_type, RTM_GETROUTE);
  EXPECT_EQ(header.nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
  EXPECT_EQ(header.nlmsg_seq, 7u);
  rtmsg body;
  std::memcpy(&body, request.data() + NLMSG_HDRLEN, sizeof body);
  EXPECT_EQ(body.rtm_family, AF_INET);
}

TEST(RouteMessageTest, ProtocolNamesFollowIproute2AndFrr) {
  EXPECT_EQ(protocol_name(RTPROT_KERNEL), "kernel");
  EXPECT_EQ(protocol_name(RTPROT_BOOT), "boot");
  EXPECT_EQ(protocol_name(RTPROT_STATIC), "static");
  EXPECT_EQ(protocol_name(RTPROT_ZEBRA), "zebra");
  EXPECT_EQ(protocol_name(186), "bgp");
  EXPECT_EQ(protocol_name(187), "isis");
  EXPECT_EQ(protocol_name(188), "ospf");
  EXPECT_EQ(protocol_name(196), "static");  // FRR staticd
  EXPECT_EQ(protocol_name(250), "250");
}

}  // namespace
}  // namespace blastlab::routewatch
