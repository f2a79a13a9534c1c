// The real Network: one non-blocking, connected UDP socket per query, all in one epoll set
// with a wake-up pipe. IP_RECVERR is set on every socket so that ICMP network/host
// unreachable and TTL exceeded are reported too (without it Linux reports only port
// unreachable on a UDP socket), together with the router that sent them. The pipe lets a
// signal handler end a wait at once, so SIGTERM is acted on without waiting for a deadline.
#pragma once

#include <netinet/in.h>

#include <optional>
#include <unordered_map>

#include "agents/common/socket_util.hpp"
#include "agents/dnsprobe/network.hpp"

namespace blastlab::dnsprobe {

using agent::Fd;

class UdpNetwork final : public Network {
 public:
  // `source`: dotted IPv4 every socket is bound to, or empty. Throws std::runtime_error when
  // the epoll set or the pipe cannot be created, or `source` is not an address.
  UdpNetwork(Clock& clock, const std::string& source);

  SocketError send(uint64_t query, const std::string& address, uint16_t port,
                   std::span<const uint8_t> packet) override;
  std::vector<Arrival> wait(Clock::TimePoint deadline) override;
  void close(uint64_t query) override;

  // Writing a byte here (async-signal-safe) ends the current wait at once.
  int wake_fd() const { return wake_write_.get(); }
  size_t open_sockets() const { return sockets_.size(); }

 private:
  void read_socket(uint64_t query, int fd, uint32_t events, std::vector<Arrival>& out);

  Clock& clock_;
  std::optional<sockaddr_in> source_;
  Fd epoll_;
  Fd wake_read_;
  Fd wake_write_;
  std::unordered_map<uint64_t, Fd> sockets_;
  std::vector<uint8_t> buffer_;
};

using agent::error_text;

// Raises the soft limit on open files to the hard limit: every query in flight holds a
// socket, and rate x timeout x targets can pass the usual soft limit of 1024.
void raise_open_file_limit();

}  // namespace blastlab::dnsprobe
