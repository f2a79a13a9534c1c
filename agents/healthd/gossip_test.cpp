// The guard's gossip: the datagram format, and the real UDP transport between two sockets on
// loopback addresses (127.0.0.1 and 127.0.0.2, the same port, as two sites would use), with
// malformed, oversized and impostor datagrams dropped and counted. No root needed.
#include "agents/healthd/gossip.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "agents/healthd/log.hpp"

namespace blastlab::healthd {
namespace {

using namespace std::chrono_literals;

TEST(GossipDatagramTest, RoundTrips) {
  PeerMessage m{"dns1", true, false, 42};
  EXPECT_EQ(encode_datagram(m), R"({"node":"dns1","announcing":true,"guarded":false,"seq":42})");
  EXPECT_EQ(parse_datagram(encode_datagram(m)), m);
  PeerMessage held{"dns3", true, true, 7};
  EXPECT_EQ(parse_datagram(encode_datagram(held)), held);
  PeerMessage off{"dns2", false, false, 0};
  EXPECT_EQ(parse_datagram(encode_datagram(off)), off);
}

TEST(GossipDatagramTest, IgnoresFieldsItDoesNotKnow) {
  auto m =
      parse_datagram(R"({"seq":1,"announcing":false,"node":"dns3","guarded":true,"load":0.5})");
  ASSERT_TRUE(m);
  EXPECT_EQ(*m, (PeerMessage{"dns3", false, true, 1}));
}

TEST(GossipDatagramTest, RejectsMalformedDatagrams) {
  for (const char* bad :
       {"", "not json", "[1,2]", R"({"node":"dns1","announcing":true,"guarded":false})",
        R"({"node":"dns1","announcing":true,"seq":1})",
        R"({"node":"","announcing":true,"guarded":false,"seq":1})",
        R"({"node":7,"announcing":true,"guarded":false,"seq":1})",
        R"({"node":"dns1","announcing":"yes","guarded":false,"seq":1})",
        R"({"node":"dns1","announcing":true,"guarded":0,"seq":1})",
        R"({"node":"dns1","announcing":true,"guarded":false,"seq":-1})",
        R"({"node":"dns1","announcing":true,"guarded":false,"seq":1.5})",
        R"({"node":"dns1","announcing":true,"guarded":false,"seq":1)"}) {
    EXPECT_FALSE(parse_datagram(bad)) << bad;
  }
}

// Two sites' sockets on loopback, the second bound to the port the kernel gave the first.
class UdpGossipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    logger()->set_level(spdlog::level::warn);
    // The port is free on 127.0.0.1 but might not be on 127.0.0.2: try a few.
    for (int attempt = 0; attempt < 5 && !dns2_; ++attempt) {
      dns1_ = std::make_unique<UdpGossip>(Guard{1, 0, "127.0.0.1", {{"dns2", "127.0.0.2"}}});
      try {
        dns2_ = std::make_unique<UdpGossip>(
            Guard{1, dns1_->port(), "127.0.0.2", {{"dns1", "127.0.0.1"}}});
      } catch (const std::runtime_error&) {
      }
    }
    ASSERT_TRUE(dns2_) << "no port free on both 127.0.0.1 and 127.0.0.2 in 5 attempts";
  }
  void TearDown() override { logger()->set_level(spdlog::level::info); }

  // Receives on `gossip` until `count` messages came or 2 s passed; returns what came.
  static std::vector<PeerMessage> receive(UdpGossip& gossip, size_t count) {
    std::vector<PeerMessage> got;
    auto deadline = std::chrono::steady_clock::now() + 2s;
    while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
      for (PeerMessage& m : gossip.receive()) got.push_back(std::move(m));
      if (got.size() < count) std::this_thread::sleep_for(1ms);
    }
    return got;
  }
  // Sends `payload` to dns2's socket from a plain socket bound to `from`.
  void send_raw(const std::string& from, const std::string& payload) {
    Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(fd);
    auto local = ipv4_socket_address(from, 0);
    ASSERT_EQ(::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*local), sizeof *local), 0)
        << error_text(errno);
    auto to = ipv4_socket_address("127.0.0.2", dns2_->port());
    ASSERT_EQ(::sendto(fd.get(), payload.data(), payload.size(), 0,
                       reinterpret_cast<const sockaddr*>(&*to), sizeof *to),
              ssize_t(payload.size()))
        << error_text(errno);
  }

  std::unique_ptr<UdpGossip> dns1_;
  std::unique_ptr<UdpGossip> dns2_;
};

TEST_F(UdpGossipTest, SitesHearEachOther) {
  dns1_->send({"dns1", true, false, 1});
  dns1_->send({"dns1", false, false, 2});
  dns2_->send({"dns2", true, true, 9});
  EXPECT_EQ(receive(*dns2_, 2),
            (std::vector<PeerMessage>{{"dns1", true, false, 1}, {"dns1", false, false, 2}}));
  EXPECT_EQ(receive(*dns1_, 1), (std::vector<PeerMessage>{{"dns2", true, true, 9}}));
  EXPECT_TRUE(dns2_->receive().empty()) << "drained";
  EXPECT_EQ(dns1_->send_errors(), 0u);
}

TEST_F(UdpGossipTest, DropsAndCountsWhatIsNotFromAKnownPeer) {
  send_raw("127.0.0.1", "garbage");
  send_raw("127.0.0.1", std::string(600, '{'));  // longer than any datagram of ours
  // From the wrong address, naming an unknown node, and finally the real one.
  send_raw("127.0.0.3", R"({"node":"dns1","announcing":true,"guarded":false,"seq":5})");
  send_raw("127.0.0.1", R"({"node":"dns9","announcing":true,"guarded":false,"seq":5})");
  send_raw("127.0.0.1", R"({"node":"dns1","announcing":true,"guarded":false,"seq":6})");
  EXPECT_EQ(receive(*dns2_, 1), (std::vector<PeerMessage>{{"dns1", true, false, 6}}));
  EXPECT_EQ(dns2_->malformed(), 2u);
  EXPECT_EQ(dns2_->unknown(), 2u);
}

TEST_F(UdpGossipTest, ADrainIsBounded) {
  size_t sent = UdpGossip::kMaxPerReceive + 10;
  for (size_t i = 0; i < sent; ++i) dns1_->send({"dns1", true, false, i});
  // Loopback delivers synchronously; wait until the whole burst is readable, then drain.
  std::vector<PeerMessage> first;
  auto deadline = std::chrono::steady_clock::now() + 2s;
  while (first.empty() && std::chrono::steady_clock::now() < deadline) first = dns2_->receive();
  EXPECT_EQ(first.size(), UdpGossip::kMaxPerReceive);
  EXPECT_EQ(receive(*dns2_, sent - first.size()).size(), sent - first.size());
}

TEST(UdpGossipBindTest, AnAddressThisHostDoesNotHaveIsNamed) {
  try {
    UdpGossip gossip(Guard{1, 5301, "192.0.2.1", {{"dns2", "192.0.2.2"}}});
    FAIL() << "bound to 192.0.2.1, which this host should not have";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "bind the guard's UDP socket to 192.0.2.1:5301: cannot assign requested address");
  }
}

}  // namespace
}  // namespace blastlab::healthd
