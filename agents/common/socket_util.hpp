// Socket plumbing every probing agent needs the same way: a move-only owner for a file
// descriptor, error text in the lower-case form events use, and dotted IPv4 to a socket
// address.
#pragma once

#include <netinet/in.h>

#include <cstdint>
#include <optional>
#include <string>

namespace blastlab::agent {

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

}  // namespace blastlab::agent
