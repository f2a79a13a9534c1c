// The icmp probe: one echo request on a raw socket, matched to its reply by id and sequence.
// A raw socket sees every ICMP packet the host receives (other probes' replies, our own
// request on loopback), so anything that is not the answer to this request is skipped.
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>

#include "agents/healthd/probes.hpp"
#include "agents/healthd/socket_util.hpp"

namespace blastlab::healthd {
namespace {

std::atomic<uint16_t> g_sequence{0};

uint16_t checksum(const uint8_t* data, size_t size) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < size; i += 2) sum += uint32_t(data[i]) << 8 | data[i + 1];
  if (size % 2) sum += uint32_t(data[size - 1]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons(static_cast<uint16_t>(~sum));
}

std::array<uint8_t, 24> echo_request(uint16_t id, uint16_t sequence) {
  std::array<uint8_t, 24> packet{};
  icmphdr header{};
  header.type = ICMP_ECHO;
  header.un.echo.id = htons(id);
  header.un.echo.sequence = htons(sequence);
  std::memcpy(packet.data(), &header, sizeof header);
  std::memcpy(packet.data() + sizeof header, "blastlab-healthd", 16);
  uint16_t sum = checksum(packet.data(), packet.size());
  std::memcpy(packet.data() + offsetof(icmphdr, checksum), &sum, sizeof sum);
  return packet;
}

// The ICMP header in an IPv4 packet as a raw socket delivers it, or nullptr if truncated.
const icmphdr* icmp_in(const uint8_t* packet, size_t size) {
  if (size < sizeof(iphdr)) return nullptr;
  size_t header_length = size_t(packet[0] & 0x0f) * 4;
  if (size < header_length + sizeof(icmphdr)) return nullptr;
  return reinterpret_cast<const icmphdr*>(packet + header_length);
}

bool is_ours(const icmphdr& h, uint16_t id, uint16_t sequence) {
  return ntohs(h.un.echo.id) == id && ntohs(h.un.echo.sequence) == sequence;
}

std::string unreachable_text(int code) {
  switch (code) {
    case ICMP_NET_UNREACH:
      return "network unreachable";
    case ICMP_HOST_UNREACH:
      return "no route to host";
    default:
      return "destination unreachable (code " + std::to_string(code) + ")";
  }
}

// The verdict on one received packet: nullopt when it is not about our request.
std::optional<ProbeResult> judge(const uint8_t* packet, size_t size, uint16_t id,
                                 uint16_t sequence) {
  const icmphdr* h = icmp_in(packet, size);
  if (!h) return std::nullopt;
  if (h->type == ICMP_ECHOREPLY) {
    if (!is_ours(*h, id, sequence)) return std::nullopt;
    return ProbeResult{true, {}, {}};
  }
  if (h->type != ICMP_DEST_UNREACH && h->type != ICMP_TIME_EXCEEDED) return std::nullopt;
  // An error quotes the IP header and first 8 bytes of the packet that caused it.
  const uint8_t* quoted = reinterpret_cast<const uint8_t*>(h) + sizeof(icmphdr);
  size_t quoted_size = size - size_t(quoted - packet);
  const icmphdr* request = icmp_in(quoted, quoted_size);
  if (!request || request->type != ICMP_ECHO || !is_ours(*request, id, sequence))
    return std::nullopt;
  if (h->type == ICMP_TIME_EXCEEDED) return ProbeResult{false, {}, "time exceeded"};
  return ProbeResult{false, {}, unreachable_text(h->code)};
}

}  // namespace

ProbeResult probe_icmp(const std::string& address, std::chrono::milliseconds timeout) {
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + timeout;
  auto to = ipv4_socket_address(address, 0);
  if (!to) return {false, since(start), "bad address '" + address + "'"};
  Fd fd(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP));
  if (!fd) return {false, since(start), "open raw icmp socket: " + error_text(errno)};
  uint16_t id = static_cast<uint16_t>(::getpid());
  uint16_t sequence = g_sequence.fetch_add(1);
  auto request = echo_request(id, sequence);
  if (::sendto(fd.get(), request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&*to),
               sizeof *to) < 0)
    return {false, since(start), error_text(errno)};
  return await_reply(fd.get(), start, deadline, [&](const uint8_t* data, size_t size) {
    return judge(data, size, id, sequence);
  });
}

}  // namespace blastlab::healthd
