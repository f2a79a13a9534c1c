#include "controller/frr/vty_socket.hpp"

#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "controller/files/unique_fd.hpp"

namespace blastlab::frr {
namespace {

using Clock = std::chrono::steady_clock;

// Waits until fd is ready for `events` or the deadline passes; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline, std::string& why) {
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      why = "timed out";
      return false;
    }
    pollfd p{.fd = fd, .events = events, .revents = 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) {
      why = std::string("poll: ") + std::strerror(errno);
      return false;
    }
  }
}

bool connect_to(int fd, const std::string& path, Clock::time_point deadline, std::string& why) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    why = "path too long for a unix socket";
    return false;
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  for (;;) {
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0)
      return true;
    // A unix socket whose listen backlog is full says EAGAIN; the daemon is busy, not gone.
    if (errno != EAGAIN && errno != EINTR) {
      why = std::string("connect: ") + std::strerror(errno);
      return false;
    }
    if (Clock::now() >= deadline) {
      why = "timed out connecting";
      return false;
    }
    ::usleep(2000);
  }
}

bool send_all(int fd, const std::string& data, Clock::time_point deadline, std::string& why) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) {
      why = std::string("write: ") + std::strerror(errno);
      return false;
    }
    if (!wait_for(fd, POLLOUT, deadline, why)) return false;
  }
  return true;
}

// Reads one answer: everything up to the first NUL, then three NULs in all and the code.
// Bytes past it (none, as one command is sent at a time) stay in `pending`.
std::optional<VtyAnswer> read_answer(int fd, std::string& pending, Clock::time_point deadline,
                                     std::string& why) {
  char buffer[65536];
  for (;;) {
    size_t end = pending.find('\0');
    if (end != std::string::npos && pending.size() >= end + 4) {
      if (pending[end + 1] != '\0' || pending[end + 2] != '\0') {
        why = "malformed answer (a NUL inside the output)";
        return std::nullopt;
      }
      VtyAnswer answer{pending.substr(0, end), static_cast<unsigned char>(pending[end + 3])};
      pending.erase(0, end + 4);
      return answer;
    }
    ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
    if (n > 0) {
      pending.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) {
      why = "the daemon closed the connection before answering";
      return std::nullopt;
    }
    if (errno != EAGAIN && errno != EINTR) {
      why = std::string("read: ") + std::strerror(errno);
      return std::nullopt;
    }
    if (!wait_for(fd, POLLIN, deadline, why)) return std::nullopt;
  }
}

}  // namespace

std::optional<std::vector<VtyAnswer>> vty_socket_run(const std::string& socket_path,
                                                     const std::vector<std::string>& commands,
                                                     std::chrono::milliseconds timeout,
                                                     std::string* error) {
  auto deadline = Clock::now() + timeout;
  std::string why;
  auto fail = [&](const std::string& command) -> std::optional<std::vector<VtyAnswer>> {
    if (error) {
      *error = command.empty() ? fmt::format("{}: {}", socket_path, why)
                               : fmt::format("{} `{}`: {}", socket_path, command, why);
    }
    return std::nullopt;
  };
  files::UniqueFd socket(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (socket.get() < 0) {
    why = std::string("socket: ") + std::strerror(errno);
    return fail("");
  }
  if (!connect_to(socket.get(), socket_path, deadline, why)) return fail("");
  std::vector<VtyAnswer> answers;
  std::string pending;
  for (const auto& command : commands) {
    if (command.find('\0') != std::string::npos || command.find('\n') != std::string::npos) {
      why = "a command is one line";
      return fail(command);
    }
    if (!send_all(socket.get(), command + std::string(1, '\0'), deadline, why))
      return fail(command);
    auto answer = read_answer(socket.get(), pending, deadline, why);
    if (!answer) return fail(command);
    answers.push_back(std::move(*answer));
  }
  return answers;
}

}  // namespace blastlab::frr
