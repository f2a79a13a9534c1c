#include "agents/reachprobe/socket_network.hpp"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

#include "agents/reachprobe/icmp_wire.hpp"

namespace blastlab::reachprobe {
namespace {

constexpr uint64_t kWakeKey = UINT64_MAX;
constexpr uint64_t kIcmpKey = UINT64_MAX - 1;
constexpr int kMaxEvents = 256;

void add_to(int epoll, int fd, uint32_t events, uint64_t key, const char* what) {
  epoll_event event{};
  event.events = events;
  event.data.u64 = key;
  if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0)
    throw std::runtime_error(std::string("add ") + what +
                             " to epoll set: " + agent::error_text(errno));
}

Failure failure(int err, const std::string& doing) {
  return {result_of_errno(err), doing + ": " + agent::error_text(err)};
}

}  // namespace

SocketNetwork::SocketNetwork(Clock& clock, bool icmp)
    : clock_(clock), id_(static_cast<uint16_t>(::getpid())) {
  epoll_ = agent::Fd(::epoll_create1(EPOLL_CLOEXEC));
  if (!epoll_) throw std::runtime_error("create epoll set: " + agent::error_text(errno));
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0)
    throw std::runtime_error("create wake-up pipe: " + agent::error_text(errno));
  wake_read_ = agent::Fd(pipe_fds[0]);
  wake_write_ = agent::Fd(pipe_fds[1]);
  add_to(epoll_.get(), wake_read_.get(), EPOLLIN, kWakeKey, "wake-up pipe");
  if (icmp) {
    icmp_ = agent::Fd(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP));
    if (!icmp_) throw std::runtime_error("open raw icmp socket: " + agent::error_text(errno));
    add_to(epoll_.get(), icmp_.get(), EPOLLIN, kIcmpKey, "icmp socket");
  }
}

std::optional<Failure> SocketNetwork::start(uint64_t probe, const Target& target) {
  auto to = agent::ipv4_socket_address(target.address, target.port);
  if (!to) return Failure{Result::kError, "bad address '" + target.address + "'"};
  if (target.proto == Proto::kIcmp) {
    if (!icmp_) return Failure{Result::kError, "no icmp socket"};
    auto sequence = static_cast<uint16_t>(probe);
    std::vector<uint8_t> request = echo_request(id_, sequence);
    ssize_t sent;
    do {
      sent = ::sendto(icmp_.get(), request.data(), request.size(), 0,
                      reinterpret_cast<const sockaddr*>(&*to), sizeof *to);
    } while (sent < 0 && errno == EINTR);
    if (sent < 0) return failure(errno, "send echo request");
    echoes_[sequence] = {probe, target.address};
    return std::nullopt;
  }
  agent::Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return failure(errno, "open socket");
  linger reset{1, 0};
  ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&*to), sizeof *to) == 0) {
    ready_.push_back({probe, clock_.now(), Result::kOk, ""});
    return std::nullopt;
  }
  if (errno != EINPROGRESS) return failure(errno, "connect");
  try {
    add_to(epoll_.get(), fd.get(), EPOLLOUT, probe, "socket");
  } catch (const std::runtime_error& e) {
    return Failure{Result::kError, e.what()};
  }
  connects_.insert_or_assign(probe, std::move(fd));
  return std::nullopt;
}

std::vector<Arrival> SocketNetwork::wait(Clock::TimePoint deadline) {
  std::vector<Arrival> arrivals = std::move(ready_);
  ready_.clear();
  auto left = arrivals.empty() ? std::max(deadline - clock_.now(), Clock::duration::zero())
                               : Clock::duration::zero();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(left);
  timespec timeout{static_cast<time_t>(seconds.count()),
                   static_cast<long>((left - seconds) / std::chrono::nanoseconds(1))};
  epoll_event events[kMaxEvents];
  int n = ::epoll_pwait2(epoll_.get(), events, kMaxEvents, &timeout, nullptr);
  if (n < 0) {
    if (errno == EINTR) return arrivals;  // a signal: the prober looks at its stop request
    throw std::runtime_error("wait on probe sockets: " + agent::error_text(errno));
  }
  for (int i = 0; i < n; ++i) {
    uint64_t key = events[i].data.u64;
    if (key == kWakeKey) {
      char drain[64];
      while (::read(wake_read_.get(), drain, sizeof drain) > 0) {
      }
    } else if (key == kIcmpKey) {
      read_icmp_socket(arrivals);
    } else {
      finish_connect(key, arrivals);
    }
  }
  return arrivals;
}

void SocketNetwork::read_icmp_socket(std::vector<Arrival>& out) {
  uint8_t buffer[2048];
  for (;;) {
    ssize_t n = ::recv(icmp_.get(), buffer, sizeof buffer, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // EAGAIN: drained
    }
    auto news = read_icmp({buffer, static_cast<size_t>(n)});
    if (!news || news->id != id_) continue;
    auto it = echoes_.find(news->sequence);
    if (it == echoes_.end()) continue;
    if (news->kind == IcmpNews::Kind::kReply) {
      // Anyone could answer with our id and sequence; only the address probed counts.
      if (news->from != it->second.address) continue;
      out.push_back({it->second.probe, clock_.now(), Result::kOk, ""});
    } else {
      if (news->quoted_to != it->second.address) continue;
      out.push_back({it->second.probe, clock_.now(), Result::kUnreachable, news->words});
    }
    echoes_.erase(it);
  }
}

void SocketNetwork::finish_connect(uint64_t probe, std::vector<Arrival>& out) {
  auto it = connects_.find(probe);
  if (it == connects_.end()) return;
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(it->second.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err == 0) {
    out.push_back({probe, clock_.now(), Result::kOk, ""});
  } else {
    out.push_back(
        {probe, clock_.now(), result_of_errno(err), "connect: " + agent::error_text(err)});
  }
  connects_.erase(it);  // closing takes it out of the epoll set, with a reset
}

void SocketNetwork::close(uint64_t probe) {
  connects_.erase(probe);
  auto sequence = static_cast<uint16_t>(probe);
  if (auto it = echoes_.find(sequence); it != echoes_.end() && it->second.probe == probe)
    echoes_.erase(it);
}

}  // namespace blastlab::reachprobe
