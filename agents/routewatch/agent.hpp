// The routewatch agent: the loop that turns a RouteSource's datagrams into the events of
// docs/events.md (start, dump, route, resync, alive, stop). It requests the first dump itself,
// after the source has subscribed, and requests another whenever the kernel dropped
// messages, the table changed under a dump, or a link or address went down (which flushes
// routes silently), so the events always end up describing the real table.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "agents/common/event_log.hpp"
#include "agents/routewatch/options.hpp"
#include "agents/routewatch/route_source.hpp"
#include "agents/routewatch/watcher.hpp"

namespace blastlab::routewatch {

class Agent {
 public:
  // How often the agent says it still runs (an `alive` event) when routes do not change.
  static constexpr std::chrono::milliseconds kAliveEvery{1000};

  using RealtimeClock = std::function<int64_t()>;  // microseconds of CLOCK_REALTIME

  Agent(const Options& options, RouteSource& source, agent::EventLog& events,
        RealtimeClock realtime);

  // Watches until `stop_signal` is nonzero (set from a signal handler) or the options'
  // duration passes, then writes `stop`. Throws std::runtime_error when the source fails or
  // the kernel refuses the dump.
  void run(const std::atomic<int>& stop_signal);

 private:
  enum class DumpPurpose { kInitial, kResync };

  void start_dump(DumpPurpose purpose);
  void on_datagram(std::span<const uint8_t> datagram, int64_t ts);
  // Dumps again, or marks the running dump to be repeated, because the kernel's table may
  // have changed without a message to say so. `why` is "overflow" or "link".
  void resync(const char* why);
  void finish_dump(int64_t ts);
  void report(const RouteChange& change, int64_t ts, bool from_resync);

  const Options& options_;
  RouteSource& source_;
  agent::EventLog& events_;
  RealtimeClock realtime_;
  Watcher watcher_;
  uint32_t seq_ = 0;
  DumpPurpose purpose_ = DumpPurpose::kInitial;
  bool dump_again_ = false;  // the running dump is already stale; repeat it when it ends
  const char* resync_reason_ = "";
};

// The name of the interface with this index in the namespace the agent runs in, or "ifN"
// when there is none (any more).
std::string interface_name(uint32_t index);

// "SIGTERM" for 15; the number for a signal without a name.
std::string signal_name(int sig);

}  // namespace blastlab::routewatch
