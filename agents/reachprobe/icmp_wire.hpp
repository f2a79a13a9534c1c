// ICMP as reachprobe reads and writes it on a raw socket: echo requests it builds, and what
// an incoming packet says about one of them (an echo reply, or a destination-unreachable or
// time-exceeded error quoting the request). Apart from the socket, so every rule is tested
// on synthetic packets without root.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace blastlab::reachprobe {

// An echo request with this id and sequence number, checksummed, with a payload that names
// the sender (so a capture shows whose probe it is).
std::vector<uint8_t> echo_request(uint16_t id, uint16_t sequence);

// What an IPv4 packet from a raw ICMP socket says about an echo request.
struct IcmpNews {
  enum class Kind { kReply, kUnreachable, kTimeExceeded };
  Kind kind = Kind::kReply;
  uint16_t id = 0;  // of the echo request it answers or quotes
  uint16_t sequence = 0;
  std::string from;       // the packet's source: the target, or the router that gave up
  std::string quoted_to;  // errors: the destination of the quoted request
  uint8_t code = 0;
  std::string words;  // "host unreachable from 198.19.0.1"; empty for a reply
};

// nullopt for anything that is neither a reply nor an error about an echo request (our own
// request seen on loopback, other ICMP traffic, a packet cut short).
std::optional<IcmpNews> read_icmp(std::span<const uint8_t> packet);

}  // namespace blastlab::reachprobe
