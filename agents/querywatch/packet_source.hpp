// Where querywatch's packets come from: the seam between the agent's loop and the kernel.
// The real one is an AF_PACKET socket that sees every IPv4 packet the namespace sends out of
// an interface other than loopback, with a kernel filter that lets through only what is
// addressed to port 53; tests replace it with a script of packets on a fake clock.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "agents/common/clock.hpp"

namespace blastlab::querywatch {

class PacketSource {
 public:
  virtual ~PacketSource() = default;
  // Waits until `deadline` (on the agent's steady clock) for the next outgoing packet;
  // returns its bytes from the IPv4 header on, valid until the next call, or nullopt when
  // the deadline passed or a stop request woke the wait. Throws std::runtime_error when the
  // socket fails.
  virtual std::optional<std::span<const uint8_t>> next(agent::Clock::TimePoint deadline) = 0;
  // Packets the kernel dropped since the last call because the agent fell behind.
  virtual uint64_t take_drops() = 0;
};

// Whether a captured frame is one querywatch looks at: sent by this host (not received, not
// looped back to it) on an interface other than loopback, whose traffic (dnsprobe asking
// the local resolver) is not load on the name servers. The kernel filter says the same;
// this is the check of record.
bool is_outgoing_non_loopback(int packet_type, int ifindex, int loopback_ifindex);

// A packet socket in the caller's network namespace, filtered in the kernel before it is
// bound so that nothing unfiltered is ever queued. A byte on `wake_fd` ends a wait at once.
// Throws std::runtime_error naming the step that failed (most often: not root).
std::unique_ptr<PacketSource> open_packet_socket(int wake_fd);

}  // namespace blastlab::querywatch
