// How DNS sites tell each other whether they announce, for the min-sites guard. Every round
// each site sends each peer one small JSON datagram, `{"node":"dns1","announcing":true,
// "guarded":false,"seq":N}`, and drains what the peers sent it. The transport is plain UDP between
// the hosts' addresses on their links to their PoPs: those are reachable across the operator's
// network and become unreachable exactly when the site is cut off from the others, which is what
// the guard must notice. A seam, so the agent's tests use a fake; the real one needs no root.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agents/healthd/config.hpp"
#include "agents/healthd/socket_util.hpp"

namespace blastlab::healthd {

struct PeerMessage {
  std::string node;
  bool announcing = false;  // bgpd originates the prefixes (announce or degrade)
  bool guarded = false;     // ... only because the sender's guard holds them (see PeerView)
  uint64_t seq = 0;         // the sender's round number, for the debug log

  bool operator==(const PeerMessage&) const = default;
};

std::string encode_datagram(const PeerMessage& message);
// The message, or nullopt when `payload` is not a JSON object with a non-empty string `node`,
// booleans `announcing` and `guarded` and a non-negative integer `seq`. Other fields are
// ignored, so a newer sender can add some.
std::optional<PeerMessage> parse_datagram(std::string_view payload);

class Gossip {
 public:
  virtual ~Gossip() = default;
  // Sends `message` to every peer, one datagram each. Never blocks and never throws: a peer
  // that cannot be reached is what the guard is there to notice, not an error.
  virtual void send(const PeerMessage& message) = 0;
  // Every valid message from a known peer received since the last call, in arrival order.
  virtual std::vector<PeerMessage> receive() = 0;
};

// UDP on guard.address:guard.port. Datagrams that do not parse, name no configured peer, or
// come from another address than that peer's are dropped and counted, and only logged at
// debug level, as are send errors (ENETUNREACH and the like are normal during an outage).
class UdpGossip final : public Gossip {
 public:
  // A round drains at most this many datagrams; the rest wait for the next round, so a flood
  // cannot stall the health checks.
  static constexpr size_t kMaxPerReceive = 64;

  // Binds a non-blocking socket; throws std::runtime_error naming the address and why.
  explicit UdpGossip(const Guard& guard);

  void send(const PeerMessage& message) override;
  std::vector<PeerMessage> receive() override;

  uint16_t port() const { return port_; }  // the bound port (guard.port unless it was 0)
  size_t malformed() const { return malformed_; }
  size_t unknown() const { return unknown_; }
  size_t send_errors() const { return send_errors_; }

 private:
  Guard guard_;
  Fd fd_;
  uint16_t port_ = 0;
  size_t malformed_ = 0;
  size_t unknown_ = 0;
  size_t send_errors_ = 0;
};

}  // namespace blastlab::healthd
