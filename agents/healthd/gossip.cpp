#include "agents/healthd/gossip.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "agents/healthd/log.hpp"

namespace blastlab::healthd {
namespace {

// A datagram is about 50 bytes; anything longer than this is not ours.
constexpr size_t kMaxDatagram = 512;

std::string dotted(const sockaddr_in& address) {
  char text[INET_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
  return text;
}

}  // namespace

std::string encode_datagram(const PeerMessage& message) {
  nlohmann::ordered_json j = {{"node", message.node},
                              {"announcing", message.announcing},
                              {"guarded", message.guarded},
                              {"seq", message.seq}};
  return j.dump();
}

std::optional<PeerMessage> parse_datagram(std::string_view payload) {
  auto j = nlohmann::json::parse(payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto node = j.find("node");
  auto announcing = j.find("announcing");
  auto guarded = j.find("guarded");
  auto seq = j.find("seq");
  if (node == j.end() || !node->is_string() || node->get<std::string>().empty()) return {};
  if (announcing == j.end() || !announcing->is_boolean()) return {};
  if (guarded == j.end() || !guarded->is_boolean()) return {};
  if (seq == j.end() || !seq->is_number_unsigned()) return {};
  return PeerMessage{node->get<std::string>(), announcing->get<bool>(), guarded->get<bool>(),
                     seq->get<uint64_t>()};
}

UdpGossip::UdpGossip(const Guard& guard) : guard_(guard) {
  std::string where = fmt::format("{}:{}", guard.address, guard.port);
  auto local = ipv4_socket_address(guard.address, guard.port);
  if (!local) throw std::runtime_error("guard socket: '" + guard.address + "' is not IPv4");
  fd_ = Fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd_) throw std::runtime_error("open the guard's UDP socket: " + error_text(errno));
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&*local), sizeof *local) != 0)
    throw std::runtime_error("bind the guard's UDP socket to " + where + ": " + error_text(errno));
  sockaddr_in bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&bound), &length) != 0)
    throw std::runtime_error("read the guard socket's address " + where + ": " + error_text(errno));
  port_ = ntohs(bound.sin_port);
}

void UdpGossip::send(const PeerMessage& message) {
  std::string payload = encode_datagram(message);
  for (const GuardPeer& peer : guard_.peers) {
    auto to = ipv4_socket_address(peer.address, port_);
    if (!to) continue;  // the config was validated; nothing to send to
    ssize_t n = ::sendto(fd_.get(), payload.data(), payload.size(), MSG_DONTWAIT,
                         reinterpret_cast<const sockaddr*>(&*to), sizeof *to);
    if (n < 0) {
      ++send_errors_;
      logger()->debug("guard: send to {} ({}:{}): {} ({} send errors so far)", peer.name,
                      peer.address, port_, error_text(errno), send_errors_);
    }
  }
}

std::vector<PeerMessage> UdpGossip::receive() {
  std::vector<PeerMessage> messages;
  char buffer[kMaxDatagram];
  for (size_t i = 0; i < kMaxPerReceive; ++i) {
    sockaddr_in from{};
    socklen_t length = sizeof from;
    // MSG_TRUNC: the datagram's real length, so an oversized one is dropped, not half-read.
    ssize_t n = ::recvfrom(fd_.get(), buffer, sizeof buffer, MSG_DONTWAIT | MSG_TRUNC,
                           reinterpret_cast<sockaddr*>(&from), &length);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      // A queued ICMP error for an earlier send (ECONNREFUSED and the like); the next read
      // returns the next datagram.
      logger()->debug("guard: receive: {}", error_text(errno));
      continue;
    }
    std::string sender = dotted(from);
    auto message = size_t(n) <= sizeof buffer ? parse_datagram(std::string_view(buffer, size_t(n)))
                                              : std::nullopt;
    if (!message) {
      ++malformed_;
      logger()->debug("guard: dropped a malformed datagram of {} bytes from {} ({} so far)", n,
                      sender, malformed_);
      continue;
    }
    auto peer = std::find_if(guard_.peers.begin(), guard_.peers.end(), [&](const GuardPeer& p) {
      return p.name == message->node && p.address == sender;
    });
    if (peer == guard_.peers.end()) {
      ++unknown_;
      logger()->debug(
          "guard: dropped a datagram from {} naming '{}': not a configured peer at "
          "that address ({} so far)",
          sender, message->node, unknown_);
      continue;
    }
    logger()->trace("guard: {} says announcing={} guarded={} seq={}", message->node,
                    message->announcing, message->guarded, message->seq);
    messages.push_back(std::move(*message));
  }
  return messages;
}

}  // namespace blastlab::healthd
