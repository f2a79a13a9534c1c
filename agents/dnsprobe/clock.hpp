// Time as dnsprobe sees it: the agents' shared Clock, whose steady time paces the queries
// and measures latencies (in nanoseconds, which the epoll_pwait2 deadlines keep) and whose
// realtime stamps events. Waiting is not here: the network waits, for answers or the next
// deadline, whichever first.
#pragma once

#include "agents/common/clock.hpp"

namespace blastlab::dnsprobe {

using agent::Clock;
using agent::FixedRateSchedule;
using agent::SystemClock;

}  // namespace blastlab::dnsprobe
