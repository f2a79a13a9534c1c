// The dns probe: a hand-built SOA query for the zone over UDP, the smallest question that
// shows the local name server is up *and* serving its zone (an authoritative server that
// lost its zone answers REFUSED or without the AA bit).
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <random>
#include <vector>

#include "agents/healthd/probes.hpp"
#include "agents/healthd/socket_util.hpp"

namespace blastlab::healthd {
namespace {

constexpr uint16_t kTypeSoa = 6;
constexpr uint16_t kClassIn = 1;
constexpr uint16_t kFlagResponse = 0x8000;
constexpr uint16_t kFlagAuthoritative = 0x0400;

void put16(std::vector<uint8_t>& out, uint16_t value) {
  out.push_back(static_cast<uint8_t>(value >> 8));
  out.push_back(static_cast<uint8_t>(value & 0xff));
}

uint16_t get16(const uint8_t* p) {
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// Header (id, no flags: recursion is not wanted from an authoritative server, one question),
// then the question `zone IN SOA`. The zone was validated: labels of 1 to 63 bytes.
std::vector<uint8_t> soa_query(uint16_t id, const std::string& zone) {
  std::vector<uint8_t> q;
  put16(q, id);
  for (uint16_t field : {0, 1, 0, 0, 0}) put16(q, field);  // flags, qd, an, ns, ar counts
  size_t begin = 0;
  while (begin <= zone.size()) {
    size_t end = zone.find('.', begin);
    if (end == std::string::npos) end = zone.size();
    q.push_back(static_cast<uint8_t>(end - begin));
    q.insert(q.end(), zone.begin() + long(begin), zone.begin() + long(end));
    begin = end + 1;
  }
  q.push_back(0);
  put16(q, kTypeSoa);
  put16(q, kClassIn);
  return q;
}

const char* rcode_name(int rcode) {
  static const char* kNames[] = {"NOERROR",  "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                 "YXDOMAIN", "YXRRSET", "NXRRSET",  "NOTAUTH",  "NOTZONE"};
  return rcode >= 0 && rcode < 11 ? kNames[rcode] : "unknown";
}

// The verdict on one datagram: nullopt when it is not the answer to our query.
std::optional<ProbeResult> judge(const uint8_t* p, size_t size, uint16_t id) {
  if (size < 12 || get16(p) != id) return std::nullopt;
  uint16_t flags = get16(p + 2);
  if (!(flags & kFlagResponse)) return std::nullopt;
  int rcode = flags & 0x000f;
  if (rcode != 0) return ProbeResult{false, {}, "rcode " + std::string(rcode_name(rcode))};
  if (!(flags & kFlagAuthoritative))
    return ProbeResult{false, {}, "answer not authoritative (AA bit clear)"};
  if (get16(p + 6) == 0) return ProbeResult{false, {}, "no answer records"};
  return ProbeResult{true, {}, {}};
}

uint16_t random_id() {
  thread_local std::mt19937 engine{std::random_device{}()};
  return static_cast<uint16_t>(engine());
}

}  // namespace

ProbeResult probe_dns(const std::string& server, uint16_t port, const std::string& zone,
                      std::chrono::milliseconds timeout) {
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + timeout;
  auto to = ipv4_socket_address(server, port);
  if (!to) return {false, since(start), "bad address '" + server + "'"};
  Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return {false, since(start), error_text(errno)};
  // Connected, so the kernel drops datagrams from anyone else and reports ICMP port
  // unreachable as "connection refused".
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&*to), sizeof *to) != 0)
    return {false, since(start), error_text(errno)};
  uint16_t id = random_id();
  std::vector<uint8_t> query = soa_query(id, zone);
  if (::send(fd.get(), query.data(), query.size(), 0) < 0)
    return {false, since(start), error_text(errno)};
  return await_reply(fd.get(), start, deadline,
                     [&](const uint8_t* data, size_t size) { return judge(data, size, id); });
}

}  // namespace blastlab::healthd
