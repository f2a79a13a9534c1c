// The querywatch agent: counts the DNS queries its node sends to the watched name servers
// and writes one `queries` event per interval (docs/events.md), on a fixed-rate schedule so
// that intervals line up across clients and never drift with the work done in them. The
// counts are of packets on the wire: a resolver that retries a silent server shows every
// retry, which is the load the name servers (or the network in front of them) see.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "agents/common/clock.hpp"
#include "agents/common/event_log.hpp"
#include "agents/querywatch/options.hpp"
#include "agents/querywatch/packet.hpp"
#include "agents/querywatch/packet_source.hpp"

namespace blastlab::querywatch {

// The counts of one interval, per watched address.
class Tally {
 public:
  explicit Tally(const std::vector<model::Ipv4Address>& targets);
  // Counts the query when it goes to a watched address; false when it does not.
  bool add(const OutgoingQuery& query);
  int64_t udp() const { return udp_; }
  int64_t tcp() const { return tcp_; }
  // Queries (UDP and TCP together) per watched address, every address present.
  const std::map<model::Ipv4Address, int64_t>& by_target() const { return by_target_; }
  void reset();

 private:
  int64_t udp_ = 0;
  int64_t tcp_ = 0;
  std::map<model::Ipv4Address, int64_t> by_target_;
};

class Agent {
 public:
  Agent(const Options& options, PacketSource& source, agent::EventLog& events, agent::Clock& clock);

  // Counts until `stop_signal` is nonzero (set from a signal handler) or the options'
  // duration passes; writes `start`, a `queries` event per interval (and one for the part
  // of an interval at the end), then `stop`. Throws std::runtime_error when the source
  // fails, after writing `stop` with the error.
  void run(const std::atomic<int>& stop_signal);

 private:
  // Writes the interval that ends now and starts the next.
  void close_interval(agent::Clock::TimePoint now);

  const Options& options_;
  PacketSource& source_;
  agent::EventLog& events_;
  agent::Clock& clock_;
  Tally tally_;
  agent::Clock::TimePoint interval_start_{};
  int64_t udp_total_ = 0;
  int64_t tcp_total_ = 0;
  uint64_t drops_ = 0;
};

// "SIGTERM" for 15; the number for a signal without a name.
std::string signal_name(int sig);

}  // namespace blastlab::querywatch
