#include "agents/healthd/socket_util.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "agents/healthd/probes.hpp"

namespace blastlab::healthd {

short wait_for(int fd, short events, SteadyTime deadline) {
  for (;;) {
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return 0;
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r > 0) return p.revents;
    if (r < 0 && errno != EINTR) return POLLERR;
  }
}

std::optional<std::string> connect_before(int fd, const sockaddr_in& to, SteadyTime deadline) {
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) == 0) return std::nullopt;
  if (errno != EINPROGRESS) return error_text(errno);
  if (wait_for(fd, POLLOUT, deadline) == 0) return "timeout";
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return error_text(errno);
  if (err != 0) return error_text(err);
  return std::nullopt;
}

std::chrono::microseconds since(SteadyTime start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

ProbeResult await_reply(int fd, SteadyTime start, SteadyTime deadline, const ReplyJudge& judge) {
  uint8_t packet[1500];
  for (;;) {
    ssize_t n = ::recv(fd, packet, sizeof packet, 0);
    if (n > 0) {
      if (auto verdict = judge(packet, static_cast<size_t>(n))) {
        verdict->latency = since(start);
        return *verdict;
      }
      if (std::chrono::steady_clock::now() >= deadline) return {false, since(start), "timeout"};
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return {false, since(start), error_text(errno)};
    } else if (wait_for(fd, POLLIN, deadline) == 0) {
      return {false, since(start), "timeout"};
    }
  }
}

}  // namespace blastlab::healthd
