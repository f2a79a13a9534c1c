// Runs the real blastlab-backendd on loopback and talks to it the way healthd does: an
// HTTP GET, a bare TCP connect-and-close, and a client that never says anything.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include "controller/proc/process.hpp"

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kOk[] =
    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";

// Owns one socket descriptor.
class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Socket& operator=(Socket&&) = delete;
  int fd() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// A socket bound to an ephemeral loopback port; listening when asked, to occupy the port.
Socket bound_socket(bool listening) {
  Socket s(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in addr = loopback(0);
  EXPECT_EQ(bind(s.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  if (listening) {
    EXPECT_EQ(listen(s.fd(), 1), 0);
  }
  return s;
}

uint16_t port_of(const Socket& s) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  getsockname(s.fd(), reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

// A port nobody listens on right now: bound to learn it, then released for the backend.
uint16_t free_port() {
  return port_of(bound_socket(false));
}

Socket connect_to(uint16_t port) {
  Socket s(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  timeval timeout{.tv_sec = 5, .tv_usec = 0};
  setsockopt(s.fd(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr = loopback(port);
  if (connect(s.fd(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return Socket(-1);
  return s;
}

// Everything the server sends until it closes (or 5 s pass).
std::string read_all(const Socket& s) {
  std::string out;
  char buffer[512];
  ssize_t n;
  while ((n = recv(s.fd(), buffer, sizeof buffer, 0)) > 0) out.append(buffer, n);
  return out;
}

std::string get(uint16_t port) {
  Socket s = connect_to(port);
  if (!s.ok()) return "connect failed";
  std::string request = "GET / HTTP/1.0\r\nHost: backend\r\n\r\n";
  send(s.fd(), request.data(), request.size(), MSG_NOSIGNAL);
  return read_all(s);
}

class BackenddTest : public ::testing::Test {
 protected:
  // Starts the backend on a free loopback port and waits, with a deadline, until it
  // accepts connections.
  void start() {
    port_ = free_port();
    address_ = "127.0.0.1:" + std::to_string(port_);
    backend_ = runner_->start({.argv = {BLASTLAB_BACKENDD, "--listen", address_}});
    auto deadline = std::chrono::steady_clock::now() + seconds(5);
    while (!connect_to(port_).ok()) {
      ASSERT_LT(std::chrono::steady_clock::now(), deadline)
          << "blastlab-backendd did not accept on " << address_ << " within 5 s";
      ASSERT_TRUE(backend_->running()) << "blastlab-backendd exited before listening";
      std::this_thread::sleep_for(milliseconds(20));
    }
  }

  blastlab::proc::RunResult run(std::vector<std::string> args) {
    args.insert(args.begin(), BLASTLAB_BACKENDD);
    return runner_->run({.argv = args}, seconds(10));
  }

  std::unique_ptr<blastlab::proc::ProcessRunner> runner_ = blastlab::proc::make_process_runner();
  std::unique_ptr<blastlab::proc::Process> backend_;
  uint16_t port_ = 0;
  std::string address_;
};

TEST_F(BackenddTest, AnswersAGetWith200) {
  ASSERT_NO_FATAL_FAILURE(start());
  EXPECT_EQ(get(port_), kOk);
}

TEST_F(BackenddTest, ClientsThatLeaveEarlyDoNotHurtIt) {
  ASSERT_NO_FATAL_FAILURE(start());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(connect_to(port_).ok());
  // A client that sends half a request and leaves: the answer goes to a closed peer, which
  // must not raise SIGPIPE in the server.
  for (int i = 0; i < 5; ++i) {
    Socket s = connect_to(port_);
    send(s.fd(), "GET / HTTP/1.0\r\n", 16, MSG_NOSIGNAL);
  }
  EXPECT_EQ(get(port_), kOk);
  EXPECT_TRUE(backend_->running());
}

TEST_F(BackenddTest, ASilentClientIsDroppedAfterTheDeadlineWithoutBlockingOthers) {
  ASSERT_NO_FATAL_FAILURE(start());
  Socket silent = connect_to(port_);
  ASSERT_TRUE(silent.ok());
  EXPECT_EQ(get(port_), kOk);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(read_all(silent), "");  // closed by the server, not by our 5 s receive timeout
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(4000));
}

TEST_F(BackenddTest, SigtermEndsItWithExitCode0) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_EQ(kill(backend_->pid(), SIGTERM), 0);
  EXPECT_EQ(backend_->wait_for(seconds(5)), 0);
}

TEST_F(BackenddTest, BadArgumentsExit2NamingTheFlag) {
  auto result = run({"--listen", "localhost"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--listen 'localhost'"), std::string::npos) << result.err;
  result = run({"--listen", "127.0.0.1:70000"});
  EXPECT_EQ(result.exit_code, 2);
  result = run({"--port", "80"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--port"), std::string::npos) << result.err;
  result = run({});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--listen"), std::string::npos) << result.err;
}

TEST_F(BackenddTest, ABindFailureExits3NamingTheAddressAndTheReason) {
  Socket occupied = bound_socket(true);
  std::string address = "127.0.0.1:" + std::to_string(port_of(occupied));
  auto result = run({"--listen", address});
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_NE(result.err.find("bind " + address + ": Address already in use"), std::string::npos)
      << result.err;
}

}  // namespace
