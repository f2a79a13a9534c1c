// The lab's timers, in one place for what runs and for what is predicted: the routing
// timers the renderer writes into every router's frr.conf, and the health-check timers a
// topology starts from, which healthd runs with. The metrics' predictions (measure::Timers)
// default to the same values, and a run fills them from the topology, so a changed default
// changes the lab and its predictions together.
#pragma once

#include <chrono>

namespace blastlab::contracts {

// FRR's timers in the lab: short, so experiments take seconds (DESIGN.md).
struct RoutingTimers {
  int bgp_keepalive_s = 1;
  int bgp_hold_s = 3;
  int bgp_connect_retry_s = 1;
  int ospf_hello_s = 1;
  int ospf_dead_s = 3;
};

// healthd's rounds when a topology does not say: a check of every target each interval,
// each waiting up to timeout; rise passing rounds to announce, fall failing ones to withdraw.
struct HealthTimers {
  std::chrono::milliseconds interval{1000};
  std::chrono::milliseconds timeout{500};
  int rise = 2;
  int fall = 3;
};

inline constexpr RoutingTimers kLabRoutingTimers{};
inline constexpr HealthTimers kDefaultHealthTimers{};

}  // namespace blastlab::contracts
