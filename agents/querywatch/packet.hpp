// What one captured IPv4 packet says about DNS load: whether it is a query to a name server
// (a UDP datagram to port 53, or the SYN that opens a TCP connection to port 53) and to
// which address. A pure function of the bytes, so every header layout (options, fragments,
// truncated captures, other protocols) is tested on hand-made buffers without a socket.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "controller/model/ip.hpp"

namespace blastlab::querywatch {

inline constexpr uint16_t kDnsPort = 53;

enum class QueryKind {
  kUdp,     // a UDP datagram to port 53: one query
  kTcpSyn,  // a TCP SYN (without ACK) to port 53: one connection opened to ask over TCP
};

struct OutgoingQuery {
  QueryKind kind = QueryKind::kUdp;
  model::Ipv4Address destination;
};

// `packet` starts at the IPv4 header and may be cut short by the capture (only the headers
// are needed). nullopt for anything that is not a DNS query: another IP version or
// protocol, another port, a TCP segment other than the opening SYN, a fragment other than
// the first (it has no UDP/TCP header), or a header longer than what was captured.
std::optional<OutgoingQuery> classify_packet(std::span<const uint8_t> packet);

}  // namespace blastlab::querywatch
