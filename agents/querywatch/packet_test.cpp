// classify_packet on hand-made buffers: UDP queries and TCP SYNs to port 53 are queries,
// with their destination; headers with options are read at the right offset; everything
// else (other ports, protocols, versions, TCP segments after the SYN, later fragments,
// captures too short for the header they announce) is not.
#include "agents/querywatch/packet.hpp"

#include <gtest/gtest.h>
#include <linux/if_packet.h>

#include "agents/querywatch/packet_source.hpp"
#include "agents/querywatch/test_packets.hpp"

namespace blastlab::querywatch {
namespace {

using testing::packet;
using testing::PacketSpec;

TEST(PacketTest, UdpToPort53IsAQueryToItsDestination) {
  auto q = classify_packet(testing::udp_query("198.51.100.13"));
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->kind, QueryKind::kUdp);
  EXPECT_EQ(q->destination.str(), "198.51.100.13");
}

TEST(PacketTest, TcpSynToPort53IsAConnection) {
  auto q = classify_packet(testing::tcp_syn("198.51.100.12"));
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->kind, QueryKind::kTcpSyn);
  EXPECT_EQ(q->destination.str(), "198.51.100.12");
}

TEST(PacketTest, TcpSegmentsOtherThanTheOpeningSynAreNot) {
  for (uint8_t flags :
       {uint8_t{0x10}, uint8_t{0x12}, uint8_t{0x18}, uint8_t{0x11}, uint8_t{0x04}}) {
    EXPECT_FALSE(classify_packet(packet({.protocol = 6, .tcp_flags = flags}))) << int{flags};
  }
  // SYN with ECN bits is still an opening SYN.
  EXPECT_TRUE(classify_packet(packet({.protocol = 6, .tcp_flags = 0xc2})));
}

TEST(PacketTest, OptionsMoveTheTransportHeader) {
  // The options bytes hold 0x0135 patterns; a parser reading at offset 20 would find
  // another port there.
  for (size_t options : {4u, 12u, 40u}) {
    auto q = classify_packet(packet({.option_bytes = options}));
    ASSERT_TRUE(q.has_value()) << options;
    EXPECT_EQ(q->kind, QueryKind::kUdp);
    EXPECT_FALSE(classify_packet(packet({.destination_port = 5353, .option_bytes = options})))
        << options;
    EXPECT_TRUE(classify_packet(packet({.protocol = 6, .option_bytes = options}))) << options;
  }
}

TEST(PacketTest, OtherPortsAndTheAnswersComingBackAreNot) {
  EXPECT_FALSE(classify_packet(packet({.destination_port = 5353})));
  EXPECT_FALSE(classify_packet(packet({.destination_port = 853})));
  // A reply from a server: source port 53, destination an ephemeral port.
  EXPECT_FALSE(classify_packet(packet({.source_port = 53, .destination_port = 40000})));
  EXPECT_FALSE(classify_packet(packet({.protocol = 6, .destination_port = 80})));
}

TEST(PacketTest, OtherProtocolsAndVersionsAreNot) {
  EXPECT_FALSE(classify_packet(packet({.protocol = 1})));    // ICMP
  EXPECT_FALSE(classify_packet(packet({.protocol = 132})));  // SCTP
  EXPECT_FALSE(classify_packet(packet({.version = 6})));
}

TEST(PacketTest, OnlyTheFirstFragmentCounts) {
  EXPECT_TRUE(classify_packet(packet({.fragment = 0x2000})));   // more fragments, offset 0
  EXPECT_TRUE(classify_packet(packet({.fragment = 0x4000})));   // don't fragment
  EXPECT_FALSE(classify_packet(packet({.fragment = 0x2001})));  // offset 8 bytes
  EXPECT_FALSE(classify_packet(packet({.fragment = 0x00b9})));  // last fragment
}

TEST(PacketTest, ShortCapturesAndBadHeaderLengthsAreNot) {
  EXPECT_FALSE(classify_packet({}));
  EXPECT_FALSE(classify_packet(packet({}, 19)));
  // Header complete, ports cut off.
  EXPECT_FALSE(classify_packet(packet({}, 22)));
  EXPECT_TRUE(classify_packet(packet({}, 24)));  // up to the destination port is enough
  EXPECT_FALSE(classify_packet(packet({.option_bytes = 40}, 60)));
  // TCP needs its flags, byte 13 of its header.
  EXPECT_FALSE(classify_packet(packet({.protocol = 6}, 33)));
  EXPECT_TRUE(classify_packet(packet({.protocol = 6}, 34)));
  // An IHL below 5 is no IPv4 header.
  testing::Bytes bad = testing::udp_query("198.51.100.12");
  bad[0] = 0x44;
  EXPECT_FALSE(classify_packet(bad));
}

TEST(PacketTest, OnlyOutgoingFramesOffLoopbackAreLookedAt) {
  EXPECT_TRUE(is_outgoing_non_loopback(PACKET_OUTGOING, 2, 1));
  EXPECT_FALSE(is_outgoing_non_loopback(PACKET_OUTGOING, 1, 1));  // dnsprobe to 127.0.0.1
  EXPECT_FALSE(is_outgoing_non_loopback(PACKET_HOST, 2, 1));      // an answer coming in
  EXPECT_FALSE(is_outgoing_non_loopback(PACKET_BROADCAST, 2, 1));
  EXPECT_TRUE(is_outgoing_non_loopback(PACKET_OUTGOING, 1, 0));  // a namespace without lo
}

}  // namespace
}  // namespace blastlab::querywatch
