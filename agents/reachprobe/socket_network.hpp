// The real Network: echo requests on one raw ICMP socket, each told apart by its sequence
// number (the id is the process's), and one non-blocking TCP socket per connect probe, all
// in one epoll set with a wake-up pipe. A reply counts only when it comes from the address
// probed, and an ICMP error only when the request it quotes went there. TCP sockets close
// with a reset (SO_LINGER 0), so fast probing leaves no TIME_WAIT behind on either side.
#pragma once

#include <optional>
#include <unordered_map>

#include "agents/common/socket_util.hpp"
#include "agents/reachprobe/network.hpp"

namespace blastlab::reachprobe {

class SocketNetwork final : public Network {
 public:
  // `icmp`: open the raw socket (needs CAP_NET_RAW). Throws std::runtime_error when a socket,
  // the epoll set or the pipe cannot be made.
  SocketNetwork(Clock& clock, bool icmp);

  std::optional<Failure> start(uint64_t probe, const Target& target) override;
  std::vector<Arrival> wait(Clock::TimePoint deadline) override;
  void close(uint64_t probe) override;

  // Writing a byte here (async-signal-safe) ends the current wait at once.
  int wake_fd() const { return wake_write_.get(); }

 private:
  struct Echo {
    uint64_t probe = 0;
    std::string address;
  };
  void read_icmp_socket(std::vector<Arrival>& out);
  void finish_connect(uint64_t probe, std::vector<Arrival>& out);

  Clock& clock_;
  uint16_t id_ = 0;
  agent::Fd icmp_;
  agent::Fd epoll_;
  agent::Fd wake_read_;
  agent::Fd wake_write_;
  std::unordered_map<uint16_t, Echo> echoes_;         // by sequence number
  std::unordered_map<uint64_t, agent::Fd> connects_;  // by probe
  std::vector<Arrival> ready_;                        // connections that completed inside start()
};

}  // namespace blastlab::reachprobe
