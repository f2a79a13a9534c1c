// The AF_PACKET implementation of PacketSource. Only an ETH_P_ALL tap sees what the host
// sends (the kernel hands outgoing packets to "all protocols" taps alone), so the socket is
// bound to ETH_P_ALL and a classic BPF filter keeps outgoing IPv4 packets to port 53 on
// interfaces other than loopback, cut to their headers. Everything else is dropped in the
// kernel: it never wakes the agent and never takes room in the receive buffer, so a busy
// link does not push the packets that matter out of it.
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include "agents/common/socket_util.hpp"
#include "agents/querywatch/packet.hpp"
#include "agents/querywatch/packet_source.hpp"

namespace blastlab::querywatch {

namespace {

using agent::error_text;
using agent::Fd;

// Room for up to 8 MiB of queued packets: at a few hundred bytes of accounting each, tens of
// thousands of queries can wait while the agent writes an event or the host is busy.
constexpr int kReceiveBuffer = 8 << 20;
// The longest IPv4 header (60 bytes) and the TCP header up to its flags (14): all the
// agent reads. The filter cuts packets to this many bytes.
constexpr uint32_t kSnapLength = 128;

// The filter, in classic BPF. Offsets are from the IPv4 header: on a SOCK_DGRAM packet
// socket the kernel strips the link-layer header before the filter runs. Ancillary loads
// (SKF_AD_*) read the packet's direction, EtherType and interface.
std::vector<sock_filter> dns_query_filter(int loopback_ifindex) {
  constexpr uint32_t kAd = static_cast<uint32_t>(SKF_AD_OFF);
  constexpr uint8_t kKeep = 17, kDrop = 18;  // the last two instructions
  // A conditional jump at `at` to `yes` or `no`; BPF counts jumps from the next instruction.
  auto jump = [](uint16_t code, uint32_t k, uint8_t at, uint8_t yes, uint8_t no) {
    return sock_filter{code, static_cast<uint8_t>(yes - at - 1), static_cast<uint8_t>(no - at - 1),
                       k};
  };
  constexpr uint16_t kJeq = BPF_JMP | BPF_JEQ | BPF_K;
  std::vector<sock_filter> program = {
      /* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kAd + SKF_AD_PKTTYPE),
      /* 1 */ jump(kJeq, PACKET_OUTGOING, 1, 2, kDrop),
      /* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kAd + SKF_AD_PROTOCOL),
      /* 3 */ jump(kJeq, ETH_P_IP, 3, 4, kDrop),
      /* 4 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kAd + SKF_AD_IFINDEX),
      /* 5 */ jump(kJeq, static_cast<uint32_t>(loopback_ifindex), 5, kDrop, 6),
      /* 6 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),  // version and header length
      /* 7 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf0),
      /* 8 */ jump(kJeq, 0x40, 8, 9, kDrop),
      /* 9 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),  // protocol
      /* 10 */ jump(kJeq, IPPROTO_UDP, 10, 12, 11),
      /* 11 */ jump(kJeq, IPPROTO_TCP, 11, 12, kDrop),
      /* 12 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),  // flags and fragment offset
      /* 13 */ jump(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 13, kDrop, 14),
      /* 14 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),  // X = header length in bytes
      /* 15 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),   // destination port
      /* 16 */ jump(kJeq, kDnsPort, 16, kKeep, kDrop),
      /* 17 */ BPF_STMT(BPF_RET | BPF_K, kSnapLength),
      /* 18 */ BPF_STMT(BPF_RET | BPF_K, 0),
  };
  return program;
}

class PacketSocket final : public PacketSource {
 public:
  PacketSocket(Fd socket, int wake_fd, int loopback_ifindex)
      : socket_(std::move(socket)), wake_fd_(wake_fd), loopback_ifindex_(loopback_ifindex) {}

  std::optional<std::span<const uint8_t>> next(agent::Clock::TimePoint deadline) override {
    for (;;) {
      sockaddr_ll from{};
      socklen_t from_len = sizeof from;
      ssize_t n = ::recvfrom(socket_.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT,
                             reinterpret_cast<sockaddr*>(&from), &from_len);
      if (n >= 0) {
        if (ntohs(from.sll_protocol) == ETH_P_IP &&
            is_outgoing_non_loopback(from.sll_pkttype, from.sll_ifindex, loopback_ifindex_)) {
          return std::span<const uint8_t>(buffer_.data(), static_cast<size_t>(n));
        }
        continue;
      }
      if (errno == EINTR) return std::nullopt;  // a signal: the agent looks at its stop request
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        throw std::runtime_error("read from the packet socket: " + error_text(errno));
      }
      if (!wait(deadline)) return std::nullopt;
    }
  }

  uint64_t take_drops() override {
    // The kernel resets both counters on every read, so each call reports what is new.
    tpacket_stats stats{};
    socklen_t len = sizeof stats;
    if (::getsockopt(socket_.get(), SOL_PACKET, PACKET_STATISTICS, &stats, &len) != 0) {
      throw std::runtime_error("read the packet socket's statistics: " + error_text(errno));
    }
    return stats.tp_drops;
  }

 private:
  // Waits for a packet until the deadline; false when the deadline passed or a stop
  // request (a byte on the wake pipe, or the signal itself) ended the wait.
  bool wait(agent::Clock::TimePoint deadline) {
    auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return false;
    auto whole = std::chrono::duration_cast<std::chrono::seconds>(left);
    timespec timeout{static_cast<time_t>(whole.count()),
                     static_cast<long>((left - whole) / std::chrono::nanoseconds(1))};
    std::array<pollfd, 2> fds = {pollfd{.fd = socket_.get(), .events = POLLIN},
                                 pollfd{.fd = wake_fd_, .events = POLLIN}};
    int ready = ::ppoll(fds.data(), wake_fd_ >= 0 ? 2 : 1, &timeout, nullptr);
    if (ready < 0) {
      if (errno == EINTR) return false;
      throw std::runtime_error("wait on the packet socket: " + error_text(errno));
    }
    if (ready == 0) return false;
    if (wake_fd_ >= 0 && (fds[1].revents & POLLIN)) {
      char drain[64];
      while (::read(wake_fd_, drain, sizeof drain) > 0) {
      }
      return false;
    }
    if (fds[0].revents & (POLLERR | POLLNVAL)) {
      throw std::runtime_error("wait on the packet socket: the socket reported an error");
    }
    return true;
  }

  Fd socket_;
  int wake_fd_;
  int loopback_ifindex_;
  std::array<uint8_t, 256> buffer_{};
};

}  // namespace

bool is_outgoing_non_loopback(int packet_type, int ifindex, int loopback_ifindex) {
  return packet_type == PACKET_OUTGOING && ifindex != loopback_ifindex;
}

std::unique_ptr<PacketSource> open_packet_socket(int wake_fd) {
  // Protocol 0 until bind(): the socket receives nothing before its filter is in place.
  Fd socket(::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!socket) {
    throw std::runtime_error("open a packet socket: " + error_text(errno) +
                             " (querywatch needs root or CAP_NET_RAW)");
  }
  int bytes = kReceiveBuffer;
  // SO_RCVBUFFORCE passes net.core.rmem_max (root only); SO_RCVBUF is capped by it.
  if (::setsockopt(socket.get(), SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) != 0 &&
      ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) != 0) {
    throw std::runtime_error("set the packet socket's receive buffer to " + std::to_string(bytes) +
                             " bytes: " + error_text(errno));
  }
  // Every namespace has its own lo; 0 (no lo at all) matches no interface.
  int loopback = static_cast<int>(::if_nametoindex("lo"));
  std::vector<sock_filter> program = dns_query_filter(loopback);
  sock_fprog filter{.len = static_cast<unsigned short>(program.size()), .filter = program.data()};
  if (::setsockopt(socket.get(), SOL_SOCKET, SO_ATTACH_FILTER, &filter, sizeof filter) != 0) {
    throw std::runtime_error("attach the port-53 filter to the packet socket: " +
                             error_text(errno));
  }
  sockaddr_ll address{};
  address.sll_family = AF_PACKET;
  address.sll_protocol = htons(ETH_P_ALL);
  address.sll_ifindex = 0;  // every interface
  if (::bind(socket.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    throw std::runtime_error("bind the packet socket to every interface: " + error_text(errno));
  }
  return std::make_unique<PacketSocket>(std::move(socket), wake_fd, loopback);
}

}  // namespace blastlab::querywatch
