// The dns probe against a tiny authoritative stand-in on a 127.0.0.1 ephemeral UDP port.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <thread>
#include <vector>

#include "agents/healthd/probes.hpp"
#include "agents/healthd/socket_util.hpp"

namespace blastlab::healthd {
namespace {

using namespace std::chrono_literals;

struct Reply {
  bool authoritative = true;
  int rcode = 0;
  bool with_answer = true;
  bool wrong_id_first = false;  // send a stray datagram with another id before the answer
};

// Answers one query as `reply` says and keeps the query for inspection.
class OneShotDnsServer {
 public:
  explicit OneShotDnsServer(Reply reply) : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in sa = *ipv4_socket_address("127.0.0.1", 0);
    EXPECT_EQ(::bind(fd_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    socklen_t len = sizeof sa;
    ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
    thread_ = std::thread([this, reply] { serve(reply); });
  }
  ~OneShotDnsServer() { thread_.join(); }
  uint16_t port() const { return port_; }
  std::vector<uint8_t> query;

 private:
  void serve(Reply reply) {
    if (!(wait_for(fd_.get(), POLLIN, std::chrono::steady_clock::now() + 5s) & POLLIN)) return;
    uint8_t buffer[512];
    sockaddr_in from{};
    socklen_t len = sizeof from;
    ssize_t n =
        ::recvfrom(fd_.get(), buffer, sizeof buffer, 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 12) return;
    query.assign(buffer, buffer + n);
    std::vector<uint8_t> answer = query;
    uint16_t flags = 0x8000 | (reply.authoritative ? 0x0400 : 0) | reply.rcode;
    answer[2] = uint8_t(flags >> 8);
    answer[3] = uint8_t(flags);
    answer[7] = reply.with_answer ? 1 : 0;  // ancount
    if (reply.with_answer) {
      // example.net SOA: name pointer to the question, IN, TTL 300, then MNAME and RNAME as
      // pointers and the five 32-bit counters.
      std::vector<uint8_t> rr = {0xc0, 12, 0, 6, 0, 1, 0, 0, 1, 44, 0, 24, 0xc0, 12, 0xc0, 12};
      rr.resize(rr.size() + 20, 0);
      answer.insert(answer.end(), rr.begin(), rr.end());
    }
    auto* to = reinterpret_cast<sockaddr*>(&from);
    if (reply.wrong_id_first) {
      std::vector<uint8_t> stray = answer;
      stray[0] ^= 0xff;
      ::sendto(fd_.get(), stray.data(), stray.size(), 0, to, len);
    }
    ::sendto(fd_.get(), answer.data(), answer.size(), 0, to, len);
  }

  Fd fd_;
  uint16_t port_ = 0;
  std::thread thread_;
};

TEST(HealthdDnsCheckTest, AuthoritativeAnswerPasses) {
  OneShotDnsServer server({});
  ProbeResult r = probe_dns("127.0.0.1", server.port(), "example.net", 1s);
  EXPECT_TRUE(r.ok) << r.error;
}

TEST(HealthdDnsCheckTest, QueryAsksForTheZoneSoaWithoutRecursion) {
  OneShotDnsServer server({});
  probe_dns("127.0.0.1", server.port(), "example.net", 1s);
  std::vector<uint8_t> question = {7,   'e', 'x', 'a', 'm', 'p', 'l', 'e', 3,
                                   'n', 'e', 't', 0,   0,   6,   0,   1};
  ASSERT_EQ(server.query.size(), 12 + question.size());
  EXPECT_EQ(server.query[2], 0) << "RD must be clear: an authoritative server is asked";
  EXPECT_EQ(server.query[5], 1) << "one question";
  EXPECT_EQ(std::vector<uint8_t>(server.query.begin() + 12, server.query.end()), question);
}

TEST(HealthdDnsCheckTest, AnswerWithAnotherIdIsIgnored) {
  OneShotDnsServer server({.wrong_id_first = true});
  EXPECT_TRUE(probe_dns("127.0.0.1", server.port(), "example.net", 1s).ok);
}

TEST(HealthdDnsCheckTest, ServfailFails) {
  OneShotDnsServer server({.rcode = 2});
  EXPECT_EQ(probe_dns("127.0.0.1", server.port(), "example.net", 1s).error, "rcode SERVFAIL");
}

TEST(HealthdDnsCheckTest, NonAuthoritativeAnswerFails) {
  OneShotDnsServer server({.authoritative = false});
  EXPECT_EQ(probe_dns("127.0.0.1", server.port(), "example.net", 1s).error,
            "answer not authoritative (AA bit clear)");
}

TEST(HealthdDnsCheckTest, EmptyAnswerFails) {
  OneShotDnsServer server({.with_answer = false});
  EXPECT_EQ(probe_dns("127.0.0.1", server.port(), "example.net", 1s).error, "no answer records");
}

TEST(HealthdDnsCheckTest, NoServerIsRefused) {
  Fd bound(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in sa = *ipv4_socket_address("127.0.0.1", 0);
  ::bind(bound.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  socklen_t len = sizeof sa;
  ::getsockname(bound.get(), reinterpret_cast<sockaddr*>(&sa), &len);
  bound = Fd();  // the port is now closed: the kernel answers port unreachable
  ProbeResult r = probe_dns("127.0.0.1", ntohs(sa.sin_port), "example.net", 500ms);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "connection refused");
}

}  // namespace
}  // namespace blastlab::healthd
