// IPv4, UDP and TCP header fields as RFC 791, 768 and 793 lay them out; see packet.hpp.
#include "agents/querywatch/packet.hpp"

namespace blastlab::querywatch {

namespace {

constexpr uint8_t kProtocolTcp = 6;
constexpr uint8_t kProtocolUdp = 17;
constexpr size_t kMinIpv4Header = 20;
constexpr uint16_t kFragmentOffsetMask = 0x1fff;
constexpr uint8_t kTcpSyn = 0x02;
constexpr uint8_t kTcpAck = 0x10;

uint16_t be16(std::span<const uint8_t> bytes, size_t at) {
  return static_cast<uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

uint32_t be32(std::span<const uint8_t> bytes, size_t at) {
  return uint32_t{bytes[at]} << 24 | uint32_t{bytes[at + 1]} << 16 | uint32_t{bytes[at + 2]} << 8 |
         uint32_t{bytes[at + 3]};
}

}  // namespace

std::optional<OutgoingQuery> classify_packet(std::span<const uint8_t> packet) {
  if (packet.size() < kMinIpv4Header || packet[0] >> 4 != 4) return std::nullopt;
  const size_t header = size_t{packet[0] & 0x0fu} * 4;  // IHL counts 32-bit words, options too
  if (header < kMinIpv4Header) return std::nullopt;
  // Only the first fragment carries the transport header; later ones would read payload as
  // ports. (A query large enough to fragment is counted once, by its first fragment.)
  if ((be16(packet, 6) & kFragmentOffsetMask) != 0) return std::nullopt;
  const uint8_t protocol = packet[9];
  OutgoingQuery query{.destination = {be32(packet, 16)}};
  std::span<const uint8_t> transport =
      packet.size() > header ? packet.subspan(header) : std::span<const uint8_t>();
  if (protocol == kProtocolUdp) {
    if (transport.size() < 4 || be16(transport, 2) != kDnsPort) return std::nullopt;
    query.kind = QueryKind::kUdp;
    return query;
  }
  if (protocol == kProtocolTcp) {
    // Flags are byte 13. A connection is counted by its opening SYN alone: the segments
    // after it carry the query, but a retransmitted SYN is a new attempt the server sees.
    if (transport.size() < 14 || be16(transport, 2) != kDnsPort) return std::nullopt;
    const uint8_t flags = transport[13];
    if ((flags & kTcpSyn) == 0 || (flags & kTcpAck) != 0) return std::nullopt;
    query.kind = QueryKind::kTcpSyn;
    return query;
  }
  return std::nullopt;
}

}  // namespace blastlab::querywatch
