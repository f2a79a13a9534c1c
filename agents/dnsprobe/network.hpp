// The seam between the prober and the sockets: every query gets its own connected UDP
// socket, named by the prober's key for the query, so an ICMP error the kernel reports on a
// socket belongs to exactly one query. UdpNetwork is the real one; tests script a fake
// that answers, stays silent or fails in simulated time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "agents/dnsprobe/clock.hpp"

namespace blastlab::dnsprobe {

// An error on a query's socket: from connect()/send(), or an ICMP error the kernel matched
// to the socket (port, host or network unreachable, TTL exceeded...).
struct SocketError {
  int err = 0;        // errno
  std::string words;  // "connection refused (icmp port unreachable from 127.0.0.1)"
};

// Something that happened to an open query while waiting.
struct Arrival {
  uint64_t query = 0;
  Clock::TimePoint at;
  std::vector<uint8_t> datagram;  // a datagram from the server, when !failed
  bool failed = false;
  SocketError error;  // when failed
};

class Network {
 public:
  virtual ~Network() = default;
  // Opens a socket for `query` connected to address:port and sends `packet` on it. Returns
  // the error when that failed (the socket is then already gone), else a zero error.
  virtual SocketError send(uint64_t query, const std::string& address, uint16_t port,
                           std::span<const uint8_t> packet) = 0;
  // Waits until something arrives for an open query, `deadline` passes, or the wait is
  // interrupted (a stop request); returns what arrived, possibly nothing.
  virtual std::vector<Arrival> wait(Clock::TimePoint deadline) = 0;
  // Closes the socket of a query that is over (answered, timed out or failed).
  virtual void close(uint64_t query) = 0;
};

// True for the errors that mean the server cannot be reached (no route, an ICMP
// unreachable or TTL exceeded, connection refused), as opposed to a local failure.
bool is_unreachable(int err);

}  // namespace blastlab::dnsprobe
