// The kernel side of RouteSource: one raw NETLINK_ROUTE socket. Raw rather than libnl
// because the agent needs only a subscription, one dump request and recvmsg, and decoding
// lives in route_message.cpp where it can be tested.
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "agents/routewatch/log.hpp"
#include "agents/routewatch/route_message.hpp"
#include "agents/routewatch/route_source.hpp"

namespace blastlab::routewatch {

namespace {

constexpr int kDefaultReceiveBuffer = 1 << 20;
// Larger than any datagram the kernel builds for a dump (it sizes them to at most 32 KiB),
// so truncation means something unexpected, handled like an overflow.
constexpr size_t kDatagramBuffer = 64 << 10;

std::runtime_error failure(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

class NetlinkRouteSource final : public RouteSource {
 public:
  NetlinkRouteSource(int receive_buffer, int wake_fd)
      : wake_fd_(wake_fd), buffer_(kDatagramBuffer) {
    fd_ = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd_ < 0) throw failure("open netlink route socket");
    int bytes = receive_buffer > 0 ? receive_buffer : kDefaultReceiveBuffer;
    // SO_RCVBUFFORCE passes net.core.rmem_max when we have CAP_NET_ADMIN (the lab runs
    // agents as root); without it, SO_RCVBUF gives as much as the limit allows.
    if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0 &&
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0) {
      logger()->warn("set netlink receive buffer to {} bytes: {}", bytes, std::strerror(errno));
    }
    // Subscribing in bind(), before any dump is requested, is what makes the dump plus
    // the notifications after it complete: a change made while the dump runs is in one or
    // the other, or both.
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;
    // Links and addresses too: their going down flushes routes without a notification.
    local.nl_groups = RTMGRP_IPV4_ROUTE | RTMGRP_LINK | RTMGRP_IPV4_IFADDR;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      int saved = errno;
      ::close(fd_);
      errno = saved;
      throw failure("subscribe to IPv4 route changes (bind netlink socket)");
    }
  }
  ~NetlinkRouteSource() override { ::close(fd_); }
  NetlinkRouteSource(const NetlinkRouteSource&) = delete;
  NetlinkRouteSource& operator=(const NetlinkRouteSource&) = delete;

  void request_dump(uint32_t seq) override {
    std::vector<uint8_t> request = route_dump_request(seq);
    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    for (;;) {
      ssize_t n = ::sendto(fd_, request.data(), request.size(), 0,
                           reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
      if (n == static_cast<ssize_t>(request.size())) return;
      if (n < 0 && errno == EINTR) continue;
      throw failure("request a dump of the IPv4 routes");
    }
  }

  Read read(std::chrono::milliseconds timeout) override {
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    int wait_ms = static_cast<int>(std::min<int64_t>(timeout.count(), INT_MAX));
    int ready = ::poll(fds, wake_fd_ >= 0 ? 2 : 1, std::max(wait_ms, 0));
    if (ready < 0 && errno != EINTR) throw failure("wait for the netlink route socket");
    if (ready <= 0 || fds[1].revents != 0 || fds[0].revents == 0) return {};

    sockaddr_nl sender{};
    iovec io{buffer_.data(), buffer_.size()};
    msghdr message{};
    message.msg_name = &sender;
    message.msg_namelen = sizeof sender;
    message.msg_iov = &io;
    message.msg_iovlen = 1;
    ssize_t n = ::recvmsg(fd_, &message, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == ENOBUFS) return {Status::kOverflow, {}};
      if (errno == EINTR || errno == EAGAIN) return {};
      throw failure("read the netlink route socket");
    }
    if (message.msg_flags & MSG_TRUNC) {
      logger()->warn("netlink datagram larger than {} bytes was cut short", buffer_.size());
      return {Status::kOverflow, {}};
    }
    // Only the kernel speaks for the routing table; another process could unicast to our
    // port, and what it says is not a route change.
    if (sender.nl_pid != 0) return {};
    return {Status::kData, std::span<const uint8_t>(buffer_.data(), static_cast<size_t>(n))};
  }

 private:
  int fd_ = -1;
  int wake_fd_;
  std::vector<uint8_t> buffer_;
};

}  // namespace

std::unique_ptr<RouteSource> open_netlink_route_source(int receive_buffer, int wake_fd) {
  return std::make_unique<NetlinkRouteSource>(receive_buffer, wake_fd);
}

}  // namespace blastlab::routewatch
