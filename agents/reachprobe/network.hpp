// The seam between the prober and the sockets: a probe is started under the prober's key for
// it, and whatever becomes of it (an echo reply, a connection, an ICMP error, a refusal)
// comes back from wait() under that key. SocketNetwork is the real one; tests script a fake
// that answers, stays silent or refuses in simulated time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agents/common/clock.hpp"
#include "agents/reachprobe/config.hpp"

namespace blastlab::reachprobe {

using agent::Clock;

// How a probe ended. `unreachable`: the network said no (no route here, an ICMP
// destination unreachable or time exceeded from a router); `refused`: the target answered a
// connection with a reset; `error`: a local failure.
enum class Result { kOk, kTimeout, kUnreachable, kRefused, kError };
const char* result_name(Result result);  // "ok", "timeout", ... as in the events

struct Failure {
  Result result = Result::kError;
  std::string words;  // "connect: no route to host"
};

// What became of a started probe.
struct Arrival {
  uint64_t probe = 0;
  Clock::TimePoint at;
  Result result = Result::kOk;
  std::string words;  // for a failure
};

class Network {
 public:
  virtual ~Network() = default;
  // Sends the echo request or begins the connection. A failure that is known at once (no
  // route, a refused socket) is returned; the probe is then over and holds nothing.
  virtual std::optional<Failure> start(uint64_t probe, const Target& target) = 0;
  // Waits until something becomes of a started probe, `deadline` passes, or the wait is
  // interrupted (a stop request); returns what arrived, possibly nothing.
  virtual std::vector<Arrival> wait(Clock::TimePoint deadline) = 0;
  // Forgets a probe that is over (answered, failed or timed out); a late answer is ignored.
  virtual void close(uint64_t probe) = 0;
};

// The kind of failure an errno from connect() or sendto() means.
Result result_of_errno(int err);

}  // namespace blastlab::reachprobe
