#include "agents/reachprobe/icmp_wire.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/ip_icmp.h>

#include <algorithm>

namespace blastlab::reachprobe {
namespace {

// An IPv4 header (20 bytes, no options) from `from` to `to` around `payload`.
std::vector<uint8_t> ipv4(const std::string& from, const std::string& to,
                          const std::vector<uint8_t>& payload) {
  std::vector<uint8_t> packet(20 + payload.size(), 0);
  packet[0] = 0x45;
  packet[9] = IPPROTO_ICMP;
  ::inet_pton(AF_INET, from.c_str(), packet.data() + 12);
  ::inet_pton(AF_INET, to.c_str(), packet.data() + 16);
  std::copy(payload.begin(), payload.end(), packet.begin() + 20);
  return packet;
}

// An ICMP error header (type, code) followed by the packet it quotes. (Vectors here are
// sized and copied into: GCC 12 warns falsely about vector::insert of small vectors.)
std::vector<uint8_t> icmp_error(uint8_t type, uint8_t code, const std::vector<uint8_t>& quoted) {
  std::vector<uint8_t> error(8 + quoted.size(), 0);
  error[0] = type;
  error[1] = code;
  std::copy(quoted.begin(), quoted.end(), error.begin() + 8);
  return error;
}

uint16_t ones_sum(const std::vector<uint8_t>& data) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < data.size(); i += 2) sum += uint32_t(data[i]) << 8 | data[i + 1];
  if (data.size() % 2) sum += uint32_t(data.back()) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(sum);
}

TEST(IcmpWireTest, AnEchoRequestCarriesIdSequenceAndAValidChecksum) {
  auto request = echo_request(0x1234, 0xabcd);
  EXPECT_EQ(request[0], ICMP_ECHO);
  EXPECT_EQ(request[4], 0x12);
  EXPECT_EQ(request[7], 0xcd);
  EXPECT_EQ(ones_sum(request), 0xffff);  // a correct checksum sums to all ones
}

TEST(IcmpWireTest, ReadsAReplyWithItsSender) {
  auto reply = echo_request(7, 9);
  reply[0] = ICMP_ECHOREPLY;
  auto news = read_icmp(ipv4("198.18.0.2", "198.18.0.1", reply));
  ASSERT_TRUE(news);
  EXPECT_EQ(news->kind, IcmpNews::Kind::kReply);
  EXPECT_EQ(news->id, 7);
  EXPECT_EQ(news->sequence, 9);
  EXPECT_EQ(news->from, "198.18.0.2");
}

TEST(IcmpWireTest, ReadsAnErrorAboutTheRequestItQuotes) {
  auto quoted = ipv4("198.18.0.1", "203.0.113.7", echo_request(7, 9));
  quoted.resize(28);  // the IP header and the first 8 bytes
  std::vector<uint8_t> error = icmp_error(ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, quoted);
  auto news = read_icmp(ipv4("198.19.0.1", "198.18.0.1", error));
  ASSERT_TRUE(news);
  EXPECT_EQ(news->kind, IcmpNews::Kind::kUnreachable);
  EXPECT_EQ(news->sequence, 9);
  EXPECT_EQ(news->quoted_to, "203.0.113.7");
  EXPECT_EQ(news->words, "host unreachable from 198.19.0.1");
  error[0] = ICMP_TIME_EXCEEDED;
  news = read_icmp(ipv4("198.19.0.1", "198.18.0.1", error));
  ASSERT_TRUE(news);
  EXPECT_EQ(news->kind, IcmpNews::Kind::kTimeExceeded);
}

TEST(IcmpWireTest, IgnoresRequestsOtherErrorsAndShortPackets) {
  EXPECT_FALSE(read_icmp(ipv4("198.18.0.1", "198.18.0.1", echo_request(7, 9))));
  std::vector<uint8_t> redirect = {ICMP_REDIRECT, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_FALSE(read_icmp(ipv4("198.19.0.1", "198.18.0.1", redirect)));
  EXPECT_FALSE(read_icmp(std::vector<uint8_t>(10, 0x45)));
  // An error that quotes a UDP datagram, not an echo request.
  auto udp = ipv4("198.18.0.1", "203.0.113.7", std::vector<uint8_t>(8, 0));
  udp[9] = IPPROTO_UDP;
  EXPECT_FALSE(read_icmp(
      ipv4("203.0.113.7", "198.18.0.1", icmp_error(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, udp))));
}

}  // namespace
}  // namespace blastlab::reachprobe
