#include "agents/dnsprobe/udp_network.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace blastlab::dnsprobe {
namespace {

constexpr uint64_t kWakeKey = UINT64_MAX;  // the pipe's key in the epoll set
constexpr int kMaxEvents = 256;
// Datagrams read from one socket per wait: a server flooding one socket cannot starve the
// others, and level-triggered epoll brings the rest back on the next wait.
constexpr int kMaxReadsPerWake = 8;
constexpr size_t kMaxDatagram = 65535;

std::string icmp_words(uint8_t type, uint8_t code) {
  constexpr uint8_t kDestUnreachable = 3;
  constexpr uint8_t kTimeExceeded = 11;
  if (type == kTimeExceeded) return "ttl exceeded";
  if (type == kDestUnreachable) {
    switch (code) {
      case 0:
        return "net unreachable";
      case 1:
        return "host unreachable";
      case 2:
        return "protocol unreachable";
      case 3:
        return "port unreachable";
      case 4:
        return "fragmentation needed";
      case 9:
      case 10:
      case 13:
        return "administratively prohibited";
      default:
        return "destination unreachable code " + std::to_string(code);
    }
  }
  return "type " + std::to_string(type) + " code " + std::to_string(code);
}

// The first error queued on the socket, with the ICMP message and the router that sent it
// when it came from the network.
std::optional<SocketError> read_error_queue(int fd) {
  alignas(cmsghdr) char control[512];
  uint8_t data[512];
  iovec iov{data, sizeof data};
  sockaddr_in from{};
  msghdr msg{};
  msg.msg_name = &from;
  msg.msg_namelen = sizeof from;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (::recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) return std::nullopt;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_IP || c->cmsg_type != IP_RECVERR) continue;
    sock_extended_err ee{};
    std::memcpy(&ee, CMSG_DATA(c), sizeof ee);
    SocketError error{static_cast<int>(ee.ee_errno), error_text(static_cast<int>(ee.ee_errno))};
    if (ee.ee_origin == SO_EE_ORIGIN_ICMP) {
      error.words += " (icmp " + icmp_words(ee.ee_type, ee.ee_code);
      // The offender address follows the extended error in the same control message.
      sockaddr_in offender{};
      size_t offset = sizeof(sock_extended_err);
      if (c->cmsg_len >= CMSG_LEN(offset + sizeof offender)) {
        std::memcpy(&offender, CMSG_DATA(c) + offset, sizeof offender);
        char text[INET_ADDRSTRLEN] = {};
        if (offender.sin_family == AF_INET &&
            ::inet_ntop(AF_INET, &offender.sin_addr, text, sizeof text) != nullptr)
          error.words += std::string(" from ") + text;
      }
      error.words += ")";
    }
    return error;
  }
  return std::nullopt;
}

SocketError failure(int err, const std::string& doing) {
  return {err, doing + ": " + error_text(err)};
}

}  // namespace

bool is_unreachable(int err) {
  switch (err) {
    case ECONNREFUSED:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case EHOSTDOWN:
    case ENETDOWN:
    case ENONET:
    case ENOPROTOOPT:  // ICMP protocol unreachable
      return true;
    default:
      return false;
  }
}

void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  rlim_t wanted = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 20 : limit.rlim_max;
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = wanted;
  ::setrlimit(RLIMIT_NOFILE, &limit);  // best effort: at worst some queries fail with EMFILE
}

UdpNetwork::UdpNetwork(Clock& clock, const std::string& source)
    : clock_(clock), buffer_(kMaxDatagram) {
  if (!source.empty()) {
    source_ = agent::ipv4_socket_address(source, 0);
    if (!source_) throw std::runtime_error("source address '" + source + "' is not IPv4");
  }
  epoll_ = Fd(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) throw std::runtime_error("create epoll set: " + error_text(errno));
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0)
    throw std::runtime_error("create wake-up pipe: " + error_text(errno));
  wake_read_ = Fd(pipe_fds[0]);
  wake_write_ = Fd(pipe_fds[1]);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kWakeKey;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, wake_read_.get(), &event) != 0)
    throw std::runtime_error("add wake-up pipe to epoll set: " + error_text(errno));
}

SocketError UdpNetwork::send(uint64_t query, const std::string& address, uint16_t port,
                             std::span<const uint8_t> packet) {
  auto to = agent::ipv4_socket_address(address, port);
  if (!to) return {EINVAL, "bad server address '" + address + "'"};
  Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return failure(errno, "open socket");
  int on = 1;
  if (::setsockopt(fd.get(), SOL_IP, IP_RECVERR, &on, sizeof on) != 0)
    return failure(errno, "set IP_RECVERR");
  if (source_ &&
      ::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*source_), sizeof *source_) != 0)
    return failure(errno, "bind to source address");
  // Connected, so the kernel drops datagrams from anyone else and hands this socket the
  // ICMP errors about this query alone. With no route at all, connect() fails right here.
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*to), sizeof *to) != 0)
    return failure(errno, "connect");
  ssize_t sent;
  do {
    sent = ::send(fd.get(), packet.data(), packet.size(), 0);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return failure(errno, "send");
  epoll_event event{};
  event.events = EPOLLIN;  // EPOLLERR is always reported
  event.data.u64 = query;
  if (::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd.get(), &event) != 0)
    return failure(errno, "add socket to epoll set");
  sockets_.insert_or_assign(query, std::move(fd));
  return {};
}

std::vector<Arrival> UdpNetwork::wait(Clock::TimePoint deadline) {
  // epoll_pwait2 (Linux 5.11) takes nanoseconds: epoll_wait's whole milliseconds would wake
  // up to 1 ms late at every slot, and at high rates skip slots for it.
  auto left = std::max(deadline - clock_.now(), Clock::duration::zero());
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
  timespec timeout{static_cast<time_t>(seconds.count()),
                   static_cast<long>((left - seconds) / std::chrono::nanoseconds(1))};
  epoll_event events[kMaxEvents];
  int n = ::epoll_pwait2(epoll_.get(), events, kMaxEvents, &timeout, nullptr);
  std::vector<Arrival> arrivals;
  if (n < 0) {
    if (errno == EINTR) return arrivals;  // a signal: the prober looks at its stop request
    throw std::runtime_error("wait on query sockets: " + error_text(errno));
  }
  for (int i = 0; i < n; ++i) {
    uint64_t key = events[i].data.u64;
    if (key == kWakeKey) {
      char drain[64];
      while (::read(wake_read_.get(), drain, sizeof drain) > 0) {
      }
      continue;
    }
    auto it = sockets_.find(key);
    if (it != sockets_.end()) read_socket(key, it->second.get(), events[i].events, arrivals);
  }
  return arrivals;
}

void UdpNetwork::read_socket(uint64_t query, int fd, uint32_t events, std::vector<Arrival>& out) {
  for (int i = 0; i < kMaxReadsPerWake; ++i) {
    ssize_t n = ::recv(fd, buffer_.data(), buffer_.size(), 0);
    if (n >= 0) {
      out.push_back({query, clock_.now(), {buffer_.begin(), buffer_.begin() + n}, false, {}});
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    // The socket's pending error (recv() reports and clears it); the error queue tells
    // which ICMP message it came from.
    int err = errno;
    SocketError error = read_error_queue(fd).value_or(SocketError{err, error_text(err)});
    out.push_back({query, clock_.now(), {}, true, std::move(error)});
    return;
  }
  if (events & EPOLLERR) {
    if (auto error = read_error_queue(fd)) {
      out.push_back({query, clock_.now(), {}, true, std::move(*error)});
      return;
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err != 0)
      out.push_back({query, clock_.now(), {}, true, {err, error_text(err)}});
  }
}

void UdpNetwork::close(uint64_t query) {
  // Closing the last descriptor also takes the socket out of the epoll set.
  sockets_.erase(query);
}

}  // namespace blastlab::dnsprobe
