// blastlab-backendd: the tiny backend every datacenter node runs so that healthd has a
// real service to check. It answers every HTTP request with "200 ok" and closes, and
// accepts a bare connect-and-close as a TCP check. Stopping it, or cutting the path to it,
// is how a scenario makes the health checks fail. One thread, one poll loop: the load is
// a few checks per second, and a slow or silent client cannot block the others because
// every connection has a 2 s deadline.
//
// Exit codes: 0 on SIGTERM/SIGINT, 2 on bad arguments, 3 when a socket cannot be set up.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr char kResponse[] =
    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";
constexpr size_t kMaxRequest = 4096;  // enough for any check; more is answered unread
constexpr auto kDeadline = std::chrono::seconds(2);
constexpr size_t kMaxConnections = 256;  // beyond this, new clients wait in the backlog
constexpr const char* kUsage = "usage: blastlab-backendd --listen ADDR:PORT [--listen ...]";

struct Connection {
  int fd;
  Clock::time_point deadline;
  std::string request;
  short revents = 0;  // from the last poll()
};

bool parse_listen(const std::string& text, sockaddr_in& addr) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  std::string host = text.substr(0, colon);
  unsigned port = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc{} || end != last || first == last || port == 0 || port > 65535) {
    return false;
  }
  addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  return inet_pton(AF_INET, host.c_str(), &addr.sin_addr) == 1;
}

int open_listener(const sockaddr_in& addr, const std::string& text) {
  auto fail = [&](const char* step) {
    std::fprintf(stderr, "blastlab-backendd: %s %s: %s\n", step, text.c_str(),
                 std::strerror(errno));
    return -1;
  };
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("socket");
  // SO_REUSEADDR: a restarted backend must bind again at once, while the previous one's
  // connections still sit in TIME_WAIT.
  int one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) return fail("setsockopt");
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) return fail("bind");
  if (listen(fd, 128) != 0) return fail("listen");
  return fd;
}

void answer(int fd) {
  // The answer is far smaller than any socket buffer, so one non-blocking send suffices;
  // MSG_NOSIGNAL because a client that already left must not kill the server.
  (void)send(fd, kResponse, sizeof kResponse - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

// Reads what the client sent. Returns true while the connection should stay open.
bool serve(Connection& c) {
  char buffer[1024];
  ssize_t n = recv(c.fd, buffer, sizeof buffer, MSG_DONTWAIT);
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  if (n == 0) {
    // A TCP check connects and closes without a word; a client that sent a request and
    // then shut its side down still gets its answer.
    if (!c.request.empty()) answer(c.fd);
    return false;
  }
  c.request.append(buffer, static_cast<size_t>(n));
  if (c.request.find("\r\n\r\n") == std::string::npos && c.request.size() < kMaxRequest) {
    return true;
  }
  answer(c.fd);
  return false;
}

int run(const std::vector<int>& listeners, int signal_fd) {
  std::vector<Connection> connections;
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({signal_fd, POLLIN, 0});
    short accepting = connections.size() < kMaxConnections ? POLLIN : 0;
    for (int fd : listeners) fds.push_back({fd, accepting, 0});
    for (const auto& c : connections) fds.push_back({c.fd, POLLIN, 0});
    // Every connection gets the same deadline and they are kept in accept order, so the
    // first one's deadline is the next to expire.
    int timeout_ms = -1;
    if (!connections.empty()) {
      auto left = connections.front().deadline - Clock::now();
      timeout_ms = static_cast<int>(
          std::max<long long>(std::chrono::ceil<std::chrono::milliseconds>(left).count(), 0));
    }
    if (poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR) {
      std::fprintf(stderr, "blastlab-backendd: poll: %s\n", std::strerror(errno));
      return 3;
    }
    if (fds[0].revents != 0) return 0;  // SIGTERM or SIGINT
    auto now = Clock::now();
    // Connections first, while fds still lines up with them; new ones are appended after.
    for (size_t i = 0; i < connections.size(); ++i) {
      connections[i].revents = fds[1 + listeners.size() + i].revents;
    }
    std::erase_if(connections, [&](Connection& c) {
      if ((c.revents == 0 || serve(c)) && now < c.deadline) return false;
      close(c.fd);
      return true;
    });
    for (size_t i = 0; i < listeners.size(); ++i) {
      if (fds[1 + i].revents == 0) continue;
      while (connections.size() < kMaxConnections) {
        int fd = accept4(listeners[i], nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;  // drained, or the client already left
        connections.push_back({fd, now + kDeadline, {}, 0});
      }
    }
  }
}

// Prints why the command line is wrong; main exits with it.
int usage_error(const std::string& why) {
  std::fprintf(stderr, "blastlab-backendd: %s\n%s\n", why.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::pair<std::string, sockaddr_in>> listens;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    if (arg == "-h" || arg == "--help") {
      std::printf("%s\n", kUsage);
      return 0;
    } else if (arg.starts_with("--listen=")) {
      value = arg.substr(9);
    } else if (arg == "--listen" && i + 1 < argc) {
      value = argv[++i];
    } else if (arg == "--listen") {
      return usage_error("--listen needs ADDR:PORT");
    } else {
      return usage_error("unknown argument '" + arg + "'");
    }
    sockaddr_in addr{};
    if (!parse_listen(value, addr)) {
      return usage_error("--listen '" + value +
                         "': expected IPV4:PORT with PORT 1-65535, e.g. 198.18.0.1:80");
    }
    listens.emplace_back(value, addr);
  }
  if (listens.empty()) return usage_error("--listen is required");
  // Signals arrive as a readable descriptor, so the loop sees them in poll() with no race
  // between checking a flag and going to sleep.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  sigprocmask(SIG_BLOCK, &stop, nullptr);
  int signal_fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd < 0) {
    std::fprintf(stderr, "blastlab-backendd: signalfd: %s\n", std::strerror(errno));
    return 3;
  }
  std::vector<int> listeners;
  for (const auto& [text, addr] : listens) {
    int fd = open_listener(addr, text);
    if (fd < 0) return 3;
    listeners.push_back(fd);
    std::fprintf(stderr, "blastlab-backendd: listening on %s\n", text.c_str());
  }
  return run(listeners, signal_fd);
}
