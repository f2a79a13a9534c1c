// Hand-made IPv4 packets for querywatch's tests, laid out byte by byte as RFC 791, 768 and
// 793 say, so the parser is checked against the wire format rather than against itself.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "controller/model/ip.hpp"

namespace blastlab::querywatch::testing {

using Bytes = std::vector<uint8_t>;

struct PacketSpec {
  std::string destination = "198.51.100.12";
  uint8_t protocol = 17;  // UDP
  uint16_t source_port = 40000;
  uint16_t destination_port = 53;
  uint8_t tcp_flags = 0x02;  // SYN
  size_t option_bytes = 0;   // IPv4 options, a multiple of 4, up to 40
  uint16_t fragment = 0;     // flags and fragment offset, as on the wire
  uint8_t version = 4;
};

inline void put16(Bytes& b, size_t at, uint16_t v) {
  b[at] = static_cast<uint8_t>(v >> 8);
  b[at + 1] = static_cast<uint8_t>(v);
}

// The packet with a 12-byte payload, cut to `captured` bytes when that is smaller.
inline Bytes packet(const PacketSpec& spec, size_t captured = SIZE_MAX) {
  const size_t header = 20 + spec.option_bytes;
  const size_t transport = spec.protocol == 6 ? 20 : 8;
  Bytes b(header + transport + 12, 0);
  b[0] = static_cast<uint8_t>(spec.version << 4 | header / 4);
  put16(b, 2, static_cast<uint16_t>(b.size()));
  put16(b, 6, spec.fragment);
  b[8] = 64;  // TTL
  b[9] = spec.protocol;
  uint32_t source = model::Ipv4Address::parse("198.18.0.1")->value;
  uint32_t destination = model::Ipv4Address::parse(spec.destination)->value;
  for (int i = 0; i < 4; ++i) {
    b[12 + i] = static_cast<uint8_t>(source >> (24 - 8 * i));
    b[16 + i] = static_cast<uint8_t>(destination >> (24 - 8 * i));
  }
  // Options that look like ports (0x00 0x35 = 53) would fool a parser that ignores IHL.
  for (size_t i = 20; i < header; ++i) b[i] = i % 2 ? 0x35 : 0x01;
  put16(b, header, spec.source_port);
  put16(b, header + 2, spec.destination_port);
  if (spec.protocol == 6) {
    b[header + 12] = 5 << 4;  // data offset
    b[header + 13] = spec.tcp_flags;
  }
  if (captured < b.size()) b.resize(captured);
  return b;
}

inline Bytes udp_query(const std::string& destination) {
  return packet({.destination = destination});
}

inline Bytes tcp_syn(const std::string& destination) {
  return packet({.destination = destination, .protocol = 6});
}

}  // namespace blastlab::querywatch::testing
