// The individual health probes, each a blocking call bounded by its timeout that never
// throws: a probe's failure is a result ("timeout", "connection refused"), not an error of
// healthd. They go through the kernel's own sockets, so what they see is what the DNS host's
// routing table lets through.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace blastlab::healthd {

struct ProbeResult {
  bool ok = false;
  std::chrono::microseconds latency{0};  // until success or failure was known
  std::string error;                     // when not ok
};

// Reads datagrams from the non-blocking socket fd until `judge` gives a verdict on one (other
// traffic on the socket, such as someone else's ICMP, gets nullopt and is skipped) or the
// deadline passes. The verdict's latency is measured from start.
using ReplyJudge = std::function<std::optional<ProbeResult>(const uint8_t* data, size_t size)>;
ProbeResult await_reply(int fd, std::chrono::steady_clock::time_point start,
                        std::chrono::steady_clock::time_point deadline, const ReplyJudge& judge);

// Passes when a TCP connection to address:port is established.
ProbeResult probe_tcp(const std::string& address, uint16_t port, std::chrono::milliseconds timeout);
// Passes when `GET /health` over HTTP/1.0 is answered with status 200.
ProbeResult probe_http(const std::string& address, uint16_t port,
                       std::chrono::milliseconds timeout);
// Passes when our own ICMP echo request (matched by id and sequence) is answered. Needs a raw
// socket, so root or CAP_NET_RAW.
ProbeResult probe_icmp(const std::string& address, std::chrono::milliseconds timeout);
// Passes when a UDP query for `zone` SOA gets NOERROR with the AA bit and at least one answer:
// the name server is up and authoritative for its zone.
ProbeResult probe_dns(const std::string& server, uint16_t port, const std::string& zone,
                      std::chrono::milliseconds timeout);

}  // namespace blastlab::healthd
