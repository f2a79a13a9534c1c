#include "agents/reachprobe/icmp_wire.hpp"

#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>

#include <cstddef>
#include <cstring>

namespace blastlab::reachprobe {
namespace {

constexpr char kPayload[] = "blastlab-reachprobe";

uint16_t checksum(const uint8_t* data, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < size; i += 2) sum += uint32_t(data[i]) << 8 | data[i + 1];
  if (size % 2) sum += uint32_t(data[size - 1]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons(static_cast<uint16_t>(~sum));
}

std::string dotted(const uint8_t* bytes) {
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, bytes, text, sizeof text);
  return text;
}

// The IPv4 header's length and the ICMP header after it, or nullptr when the packet is too
// short for both.
const uint8_t* icmp_of(std::span<const uint8_t> packet, size_t* ip_length) {
  if (packet.size() < sizeof(iphdr) || (packet[0] >> 4) != 4) return nullptr;
  *ip_length = size_t(packet[0] & 0x0f) * 4;
  if (*ip_length < sizeof(iphdr) || packet.size() < *ip_length + 8) return nullptr;
  return packet.data() + *ip_length;
}

uint16_t read16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

std::string unreachable_words(uint8_t code) {
  switch (code) {
    case ICMP_NET_UNREACH:
      return "net unreachable";
    case ICMP_HOST_UNREACH:
      return "host unreachable";
    case ICMP_PROT_UNREACH:
      return "protocol unreachable";
    case ICMP_PORT_UNREACH:
      return "port unreachable";
    case ICMP_FRAG_NEEDED:
      return "fragmentation needed";
    case ICMP_NET_ANO:
    case ICMP_HOST_ANO:
    case ICMP_PKT_FILTERED:
      return "administratively prohibited";
    default:
      return "destination unreachable code " + std::to_string(code);
  }
}

}  // namespace

std::vector<uint8_t> echo_request(uint16_t id, uint16_t sequence) {
  std::vector<uint8_t> packet(8 + sizeof kPayload - 1, 0);
  packet[0] = ICMP_ECHO;
  packet[4] = static_cast<uint8_t>(id >> 8);
  packet[5] = static_cast<uint8_t>(id);
  packet[6] = static_cast<uint8_t>(sequence >> 8);
  packet[7] = static_cast<uint8_t>(sequence);
  std::memcpy(packet.data() + 8, kPayload, sizeof kPayload - 1);
  uint16_t sum = checksum(packet.data(), packet.size());
  std::memcpy(packet.data() + 2, &sum, sizeof sum);
  return packet;
}

std::optional<IcmpNews> read_icmp(std::span<const uint8_t> packet) {
  size_t ip_length = 0;
  const uint8_t* icmp = icmp_of(packet, &ip_length);
  if (!icmp) return std::nullopt;
  IcmpNews news;
  news.from = dotted(packet.data() + 12);
  uint8_t type = icmp[0];
  news.code = icmp[1];
  if (type == ICMP_ECHOREPLY) {
    news.kind = IcmpNews::Kind::kReply;
    news.id = read16(icmp + 4);
    news.sequence = read16(icmp + 6);
    return news;
  }
  if (type != ICMP_DEST_UNREACH && type != ICMP_TIME_EXCEEDED) return std::nullopt;
  // An error quotes the IP header and the first 8 bytes of the packet that caused it.
  std::span<const uint8_t> quoted = packet.subspan(ip_length + 8);
  size_t quoted_ip_length = 0;
  const uint8_t* request = icmp_of(quoted, &quoted_ip_length);
  if (!request || request[0] != ICMP_ECHO) return std::nullopt;
  news.id = read16(request + 4);
  news.sequence = read16(request + 6);
  news.quoted_to = dotted(quoted.data() + 16);
  if (type == ICMP_TIME_EXCEEDED) {
    news.kind = IcmpNews::Kind::kTimeExceeded;
    news.words = "ttl exceeded from " + news.from;
  } else {
    news.kind = IcmpNews::Kind::kUnreachable;
    news.words = unreachable_words(news.code) + " from " + news.from;
  }
  return news;
}

}  // namespace blastlab::reachprobe
