// Where routewatch's netlink datagrams come from: the seam between the agent's loop and the
// kernel. The real one is a NETLINK_ROUTE socket subscribed to IPv4 route changes; tests
// replace it with a script of datagrams, overflows and idle reads.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>

namespace blastlab::routewatch {

class RouteSource {
 public:
  enum class Status {
    kData,      // `datagram` holds one datagram of netlink messages
    kOverflow,  // the kernel dropped messages (ENOBUFS): the agent's picture is stale
    kIdle,      // nothing arrived before the timeout, or a stop request woke the wait
  };
  struct Read {
    Status status = Status::kIdle;
    std::span<const uint8_t> datagram;  // valid until the next read
  };

  virtual ~RouteSource() = default;
  // Asks the kernel for every IPv4 route; the replies arrive through read(), interleaved
  // with notifications. Throws std::runtime_error when the request cannot be sent.
  virtual void request_dump(uint32_t seq) = 0;
  // Waits up to `timeout` for the next datagram. Throws std::runtime_error when the socket
  // fails for any reason other than an overflow.
  virtual Read read(std::chrono::milliseconds timeout) = 0;
};

// A NETLINK_ROUTE socket in the caller's network namespace, already subscribed to
// RTMGRP_IPV4_ROUTE (and RTMGRP_LINK, RTMGRP_IPV4_IFADDR) when this returns, so a dump requested
// afterwards misses no change. `receive_buffer` bytes (0: 1 MiB) bound how far the agent may fall
// behind before the kernel drops messages; a byte on `wake_fd` ends a read at once. Throws
// std::runtime_error naming the step that failed.
std::unique_ptr<RouteSource> open_netlink_route_source(int receive_buffer, int wake_fd);

}  // namespace blastlab::routewatch
