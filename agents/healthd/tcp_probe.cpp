// The TCP-based probes: tcp (the connection alone) and http (a status 200 for /health).
#include <poll.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <string_view>

#include "agents/healthd/probes.hpp"
#include "agents/healthd/socket_util.hpp"

namespace blastlab::healthd {
namespace {

// A connected non-blocking socket, or the reason there is none.
struct Connection {
  Fd fd;
  std::string error;
};

Connection connect_to(const std::string& address, uint16_t port, SteadyTime deadline) {
  auto to = ipv4_socket_address(address, port);
  if (!to) return {Fd(), "bad address '" + address + "'"};
  Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return {Fd(), error_text(errno)};
  if (auto error = connect_before(fd.get(), *to, deadline)) return {Fd(), *error};
  return {std::move(fd), {}};
}

std::optional<std::string> send_all(int fd, std::string_view data, SteadyTime deadline) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      return error_text(errno);
    } else if (wait_for(fd, POLLOUT, deadline) == 0) {
      return "timeout";
    }
  }
  return std::nullopt;
}

// Reads until the end of the first line (or EOF, or 1 KiB): only the status line matters.
std::optional<std::string> read_status_line(int fd, std::string& line, SteadyTime deadline) {
  char buffer[512];
  while (line.find("\r\n") == std::string::npos && line.size() < 1024) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) {
      line.append(buffer, static_cast<size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EAGAIN && errno != EINTR) {
      return error_text(errno);
    } else if (wait_for(fd, POLLIN, deadline) == 0) {
      return "timeout";
    }
  }
  if (auto end = line.find("\r\n"); end != std::string::npos) line.resize(end);
  return std::nullopt;
}

// "HTTP/1.0 200 OK" and "HTTP/1.1 200" pass; anything else is reported as it came.
std::optional<std::string> status_problem(const std::string& line) {
  if (line.empty()) return "connection closed before a status line";
  std::string_view v(line);
  bool http1 = v.size() >= 10 && v.substr(0, 7) == "HTTP/1." &&
               std::isdigit(static_cast<unsigned char>(v[7])) && v[8] == ' ';
  if (!http1) return "not an HTTP/1.x status line: '" + line.substr(0, 64) + "'";
  size_t end = v.find(' ', 9);
  std::string_view status = v.substr(9, end == std::string_view::npos ? end : end - 9);
  if (status == "200") return std::nullopt;
  return "status " + std::string(status);
}

}  // namespace

ProbeResult probe_tcp(const std::string& address, uint16_t port,
                      std::chrono::milliseconds timeout) {
  auto start = std::chrono::steady_clock::now();
  Connection c = connect_to(address, port, start + timeout);
  return {c.error.empty(), since(start), c.error};
}

ProbeResult probe_http(const std::string& address, uint16_t port,
                       std::chrono::milliseconds timeout) {
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + timeout;
  Connection c = connect_to(address, port, deadline);
  if (!c.error.empty()) return {false, since(start), c.error};
  std::string request = "GET /health HTTP/1.0\r\nHost: " + address + "\r\n\r\n";
  if (auto error = send_all(c.fd.get(), request, deadline)) return {false, since(start), *error};
  std::string line;
  if (auto error = read_status_line(c.fd.get(), line, deadline))
    return {false, since(start), *error};
  if (auto problem = status_problem(line)) return {false, since(start), *problem};
  return {true, since(start), {}};
}

}  // namespace blastlab::healthd
