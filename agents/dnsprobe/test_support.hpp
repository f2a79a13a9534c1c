// What dnsprobe's tests share: a temporary directory and an event reader; a fake clock and a
// scripted fake network for the prober in simulated time; DNS replies built with ldns; and a
// real UDP DNS responder on 127.0.0.1 for the tests that go through the kernel.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <ldns/ldns.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "agents/common/test_support.hpp"
#include "agents/dnsprobe/clock.hpp"
#include "agents/dnsprobe/network.hpp"
#include "agents/dnsprobe/udp_network.hpp"

namespace blastlab::dnsprobe::testing {

using namespace std::chrono_literals;

using agent::testing::read_events;
using agent::testing::TempDir;

inline std::vector<nlohmann::json> of_kind(const std::vector<nlohmann::json>& events,
                                           const std::string& kind) {
  std::vector<nlohmann::json> out;
  for (const auto& e : events)
    if (e["event"] == kind) out.push_back(e);
  return out;
}

// dnsprobe's seam has no sleep of its own (the fake network moves time), so the shared
// simulated clock is all it needs.
class FakeClock final : public agent::testing::FakeClockOf<Clock> {};

// A query as the fake network saw it.
struct SentQuery {
  uint64_t query = 0;
  std::string address;
  uint16_t port = 0;
  std::vector<uint8_t> packet;
  Clock::TimePoint at;
};

// What the fake server does with one query: nothing (a timeout), a datagram after `delay`,
// an error on the socket after `delay` (an ICMP error), or a failed send.
struct Behaviour {
  std::chrono::microseconds delay = 2ms;
  std::vector<std::vector<uint8_t>> datagrams;  // sent in order, all after `delay`
  SocketError later_error;
  SocketError send_error;
};

// Every wait jumps the fake clock to the deadline or the next scheduled arrival, whichever
// is first, so a run of minutes takes microseconds.
class FakeNetwork final : public Network {
 public:
  explicit FakeNetwork(FakeClock& clock) : clock_(clock) {}

  SocketError send(uint64_t query, const std::string& address, uint16_t port,
                   std::span<const uint8_t> packet) override {
    sent.push_back({query, address, port, {packet.begin(), packet.end()}, clock_.now()});
    Behaviour b = behaviour(sent.back());
    if (b.send_error.err != 0) return b.send_error;
    open.insert(query);
    max_open = std::max(max_open, open.size());
    for (auto& datagram : b.datagrams)
      scheduled_.insert(
          {clock_.now() + b.delay, Arrival{query, {}, std::move(datagram), false, {}}});
    if (b.later_error.err != 0)
      scheduled_.insert({clock_.now() + b.delay, Arrival{query, {}, {}, true, b.later_error}});
    return {};
  }

  std::vector<Arrival> wait(Clock::TimePoint deadline) override {
    ++waits;
    if (on_wait) on_wait();
    Clock::TimePoint until = deadline;
    if (!scheduled_.empty()) until = std::min(until, scheduled_.begin()->first);
    clock_.set(until + stall);
    std::vector<Arrival> out;
    while (!scheduled_.empty() && scheduled_.begin()->first <= clock_.now()) {
      auto node = scheduled_.extract(scheduled_.begin());
      if (!open.contains(node.mapped().query)) continue;  // closed: the kernel drops it
      node.mapped().at = node.key();
      out.push_back(std::move(node.mapped()));
    }
    return out;
  }

  void close(uint64_t query) override { open.erase(query); }

  std::function<Behaviour(const SentQuery&)> behaviour = [](const SentQuery&) {
    return Behaviour{};
  };
  std::function<void()> on_wait;
  Clock::duration stall{0};  // added to every wait: a host too busy to wake on time
  std::vector<SentQuery> sent;
  std::set<uint64_t> open;
  size_t max_open = 0;
  size_t waits = 0;

 private:
  FakeClock& clock_;
  std::multimap<Clock::TimePoint, Arrival> scheduled_;
};

// The reply a server would give to `query`: its id and question, `rcode`, an A record for
// the name when `answer`, and the NSID `nsid` when the query asked for it.
inline std::vector<uint8_t> make_reply(std::span<const uint8_t> query, int rcode, bool answer,
                                       const std::string& nsid = "") {
  ldns_pkt* q = nullptr;
  if (ldns_wire2pkt(&q, query.data(), query.size()) != LDNS_STATUS_OK) return {};
  ldns_pkt* r = ldns_pkt_new();
  ldns_pkt_set_id(r, ldns_pkt_id(q));
  ldns_pkt_set_qr(r, true);
  ldns_pkt_set_rd(r, ldns_pkt_rd(q));
  ldns_pkt_set_rcode(r, static_cast<uint8_t>(rcode));
  ldns_rr* question = ldns_rr_list_rr(ldns_pkt_question(q), 0);
  ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, ldns_rr_clone(question));
  if (answer) {
    char* owner = ldns_rdf2str(ldns_rr_owner(question));
    ldns_rr* a = nullptr;
    std::string text = std::string(owner) + " 60 IN A 192.0.2.53";
    free(owner);
    if (ldns_rr_new_frm_str(&a, text.c_str(), 0, nullptr, nullptr) == LDNS_STATUS_OK)
      ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, a);
  }
  bool asked_nsid = false;
  if (ldns_edns_option_list* options = ldns_pkt_edns_get_option_list(q)) {
    for (size_t i = 0; i < ldns_edns_option_list_get_count(options); ++i)
      asked_nsid = asked_nsid || ldns_edns_get_code(ldns_edns_option_list_get_option(options, i)) ==
                                     LDNS_EDNS_NSID;
  }
  if (asked_nsid && !nsid.empty()) {
    ldns_pkt_set_edns_udp_size(r, 1232);
    ldns_edns_option_list* list = ldns_edns_option_list_new();
    ldns_edns_option_list_push(list,
                               ldns_edns_new_from_data(LDNS_EDNS_NSID, nsid.size(), nsid.data()));
    ldns_pkt_set_edns_option_list(r, list);
  }
  uint8_t* wire = nullptr;
  size_t size = 0;
  std::vector<uint8_t> bytes;
  if (ldns_pkt2wire(&wire, r, &size) == LDNS_STATUS_OK) bytes.assign(wire, wire + size);
  free(wire);
  ldns_pkt_free(r);
  ldns_pkt_free(q);
  return bytes;
}

// The question name of a query, without the trailing dot.
inline std::string qname_of(std::span<const uint8_t> query) {
  ldns_pkt* q = nullptr;
  if (ldns_wire2pkt(&q, query.data(), query.size()) != LDNS_STATUS_OK) return {};
  char* text = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
  std::string name = text;
  free(text);
  ldns_pkt_free(q);
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

// A DNS server on 127.0.0.1 (an ephemeral port) run by a thread: it answers as `mode` says,
// with NSID "dns1" when asked, and remembers the names it was asked.
class Responder {
 public:
  enum class Mode { kAnswer, kServfail, kNxdomain, kRefused, kNoData, kDrop, kStrayFirst };

  Responder() : socket_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(socket_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) return;
    socklen_t len = sizeof sa;
    ::getsockname(socket_.get(), reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    quit_read_ = Fd(fds[0]);
    quit_write_ = Fd(fds[1]);
    thread_ = std::thread([this] { serve(); });
  }
  ~Responder() {
    char byte = 1;
    [[maybe_unused]] ssize_t n = ::write(quit_write_.get(), &byte, 1);
    if (thread_.joinable()) thread_.join();
  }
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  uint16_t port() const { return port_; }
  std::vector<std::string> names() {
    std::lock_guard lock(mutex_);
    return names_;
  }
  std::atomic<Mode> mode{Mode::kAnswer};

 private:
  void serve() {
    std::vector<uint8_t> buffer(65535);
    for (;;) {
      pollfd fds[2] = {{socket_.get(), POLLIN, 0}, {quit_read_.get(), POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) continue;
      if (fds[1].revents) return;
      sockaddr_in from{};
      socklen_t len = sizeof from;
      ssize_t n = ::recvfrom(socket_.get(), buffer.data(), buffer.size(), 0,
                             reinterpret_cast<sockaddr*>(&from), &len);
      if (n <= 0) continue;
      std::span<const uint8_t> query(buffer.data(), static_cast<size_t>(n));
      {
        std::lock_guard lock(mutex_);
        names_.push_back(qname_of(query));
      }
      std::vector<uint8_t> reply;
      switch (mode.load()) {
        case Mode::kAnswer:
          reply = make_reply(query, LDNS_RCODE_NOERROR, true, "dns1");
          break;
        case Mode::kServfail:
          reply = make_reply(query, LDNS_RCODE_SERVFAIL, false);
          break;
        case Mode::kNxdomain:
          reply = make_reply(query, LDNS_RCODE_NXDOMAIN, false);
          break;
        case Mode::kRefused:
          reply = make_reply(query, LDNS_RCODE_REFUSED, false);
          break;
        case Mode::kNoData:
          reply = make_reply(query, LDNS_RCODE_NOERROR, false);
          break;
        case Mode::kDrop:
          continue;
        case Mode::kStrayFirst: {
          reply = make_reply(query, LDNS_RCODE_SERVFAIL, false);
          reply[0] ^= 0xff;  // another id: the prober must ignore it
          send_to(reply, from);
          reply = make_reply(query, LDNS_RCODE_NOERROR, true, "dns1");
          break;
        }
      }
      send_to(reply, from);
    }
  }
  void send_to(const std::vector<uint8_t>& bytes, const sockaddr_in& to) {
    ::sendto(socket_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<const sockaddr*>(&to),
             sizeof to);
  }

  Fd socket_;
  Fd quit_read_;
  Fd quit_write_;
  uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> names_;
};

// A 127.0.0.1 UDP port nobody listens on: bound to find a free one, then closed, so a query
// there draws an ICMP port unreachable.
inline uint16_t closed_port() {
  Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  socklen_t len = sizeof sa;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&sa), &len);
  return ntohs(sa.sin_port);
}

}  // namespace blastlab::dnsprobe::testing
