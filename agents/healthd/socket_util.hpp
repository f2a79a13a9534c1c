// The small amount of BSD socket plumbing the probes share: a move-only owner for a socket,
// waiting on it against a deadline, and error text in the lower-case form events use.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace blastlab::healthd {

using SteadyTime = std::chrono::steady_clock::time_point;

// Owns one file descriptor and closes it exactly once.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

// "connection refused": strerror, lower-cased like the rest of the event vocabulary.
std::string error_text(int err);

// The address, or nullopt when `address` is not dotted IPv4.
std::optional<sockaddr_in> ipv4_socket_address(const std::string& address, uint16_t port);

// Waits until `fd` has one of `events` or the deadline passes; returns the revents seen, 0 on
// timeout. Interrupted waits are resumed with the time that is left.
short wait_for(int fd, short events, SteadyTime deadline);

// Connects a non-blocking TCP socket to `to` before `deadline`; returns the error text on
// failure ("timeout" when the deadline passed first).
std::optional<std::string> connect_before(int fd, const sockaddr_in& to, SteadyTime deadline);

std::chrono::microseconds since(SteadyTime start);

}  // namespace blastlab::healthd
