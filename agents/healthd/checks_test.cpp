// The real probes, against servers the tests open on 127.0.0.1 ephemeral ports only.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "agents/healthd/checker.hpp"
#include "agents/healthd/probes.hpp"
#include "agents/healthd/socket_util.hpp"
#include "agents/healthd/test_fakes.hpp"

namespace blastlab::healthd {
namespace {

using namespace std::chrono_literals;

// A socket bound to 127.0.0.1 on a port the kernel picks; listening when backlog >= 0.
struct LocalSocket {
  LocalSocket(int type, int backlog) : fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0)) {
    sockaddr_in sa = *ipv4_socket_address("127.0.0.1", 0);
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    if (backlog >= 0) {
      EXPECT_EQ(::listen(fd.get(), backlog), 0);
    }
    socklen_t len = sizeof sa;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &len);
    port = ntohs(sa.sin_port);
  }
  Fd fd;
  uint16_t port = 0;
};

// Waits (with a deadline, so a broken probe fails the test instead of hanging it) until `fd`
// is readable.
bool readable(int fd) {
  return wait_for(fd, POLLIN, std::chrono::steady_clock::now() + 5s) & POLLIN;
}

// Serves one HTTP request with `response` and remembers the request.
class OneShotHttpServer {
 public:
  explicit OneShotHttpServer(std::string response) : listener_(SOCK_STREAM, 16) {
    thread_ = std::thread([this, response] {
      if (!readable(listener_.fd.get())) return;
      Fd client(::accept(listener_.fd.get(), nullptr, nullptr));
      char buffer[1024];
      while (request.find("\r\n\r\n") == std::string::npos && readable(client.get())) {
        ssize_t n = ::recv(client.get(), buffer, sizeof buffer, 0);
        if (n <= 0) break;
        request.append(buffer, static_cast<size_t>(n));
      }
      ::send(client.get(), response.data(), response.size(), MSG_NOSIGNAL);
    });
  }
  ~OneShotHttpServer() { thread_.join(); }
  uint16_t port() const { return listener_.port; }
  std::string request;

 private:
  LocalSocket listener_;
  std::thread thread_;
};

TEST(TcpProbeTest, ConnectsToAListener) {
  LocalSocket listener(SOCK_STREAM, 16);
  ProbeResult r = probe_tcp("127.0.0.1", listener.port, 500ms);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_LT(r.latency, 500ms);
}

TEST(TcpProbeTest, ClosedPortIsRefused) {
  LocalSocket bound(SOCK_STREAM, -1);  // holds the port so nobody else listens on it
  ProbeResult r = probe_tcp("127.0.0.1", bound.port, 500ms);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "connection refused");
}

TEST(TcpProbeTest, TimesOutWhenTheHandshakeIsNeverAnswered) {
  // Backlog 0 admits one connection; the kernel then drops further SYNs unanswered.
  LocalSocket listener(SOCK_STREAM, 0);
  ProbeResult first = probe_tcp("127.0.0.1", listener.port, 500ms);
  ASSERT_TRUE(first.ok) << first.error;
  ProbeResult r = probe_tcp("127.0.0.1", listener.port, 200ms);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "timeout");
  EXPECT_GE(r.latency, 200ms);
  EXPECT_LT(r.latency, 1s);
}

TEST(HttpProbeTest, Status200Passes) {
  OneShotHttpServer server("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
  ProbeResult r = probe_http("127.0.0.1", server.port(), 1s);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(server.request, "GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
}

TEST(HttpProbeTest, OtherStatusFails) {
  OneShotHttpServer server("HTTP/1.1 503 Service Unavailable\r\n\r\n");
  ProbeResult r = probe_http("127.0.0.1", server.port(), 1s);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "status 503");
}

TEST(HttpProbeTest, StatusThatOnlyStartsWith200Fails) {
  OneShotHttpServer server("HTTP/1.1 2000 Odd\r\n\r\n");
  EXPECT_EQ(probe_http("127.0.0.1", server.port(), 1s).error, "status 2000");
}

TEST(HttpProbeTest, SilentServerTimesOut) {
  LocalSocket listener(SOCK_STREAM, 16);  // the kernel accepts; nobody answers
  ProbeResult r = probe_http("127.0.0.1", listener.port, 200ms);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "timeout");
  EXPECT_GE(r.latency, 200ms);
}

TEST(IcmpProbeTest, LoopbackAnswersOurEcho) {
  if (::geteuid() != 0) GTEST_SKIP() << "the icmp probe needs a raw socket: run as root";
  ProbeResult r = probe_icmp("127.0.0.1", 500ms);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_LT(r.latency, 500ms);
}

TEST(IcmpProbeTest, ConcurrentEchoesEachMatchTheirOwnReply) {
  if (::geteuid() != 0) GTEST_SKIP() << "the icmp probe needs a raw socket: run as root";
  auto checker = make_socket_checker();
  std::vector<CheckSpec> checks(8, CheckSpec{"lo", CheckKind::kIcmp, "127.0.0.1", 0, {}});
  for (const CheckResult& r : checker->run(checks, 500ms)) EXPECT_TRUE(r.ok) << r.error;
}

TEST(HealthdCheckerTest, ChecksOfARoundRunAtTheSameTime) {
  LocalSocket silent(SOCK_STREAM, 16);
  auto checker = make_socket_checker();
  std::vector<CheckSpec> checks(4, CheckSpec{"dc1", CheckKind::kHttp, "127.0.0.1", silent.port});
  auto start = std::chrono::steady_clock::now();
  auto results = checker->run(checks, 300ms);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms) << "four 300 ms timeouts in a row";
  ASSERT_EQ(results.size(), 4u);
  for (const CheckResult& r : results) EXPECT_EQ(r.error, "timeout");
}

TEST(HealthdCheckerTest, RoundChecksEveryRemoteKindPerTargetThenLocal) {
  Config config = testing::make_config();
  config.checks = {CheckKind::kDns, CheckKind::kTcp, CheckKind::kIcmp};
  config.dns = DnsCheck{"198.51.100.12", "example.net"};
  auto checks = round_checks(config);
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[0].target, "dc1");
  EXPECT_EQ(checks[0].kind, CheckKind::kTcp);
  EXPECT_EQ(checks[0].port, 80);
  EXPECT_EQ(checks[1].kind, CheckKind::kIcmp);
  EXPECT_EQ(checks[3].address, "198.18.0.2");
  EXPECT_EQ(checks[4].target, "local");
  EXPECT_EQ(checks[4].port, 53);
  EXPECT_EQ(checks[4].zone, "example.net");
}

}  // namespace
}  // namespace blastlab::healthd
