// FRR configuration text for one router of the routing plan: one file per daemon (each
// daemon is started with its own `-f`, so it reads only commands it knows) and the same
// content as one integrated frr.conf, which is what people read (`blastlab config`).
#pragma once

#include <map>
#include <string>

#include "contracts/timers.hpp"
#include "controller/frr/plan.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::frr {

struct RenderedConfig {
  std::map<Daemon, std::string> daemons;  // the file each daemon is started with
  std::string integrated;                 // frr.conf: everything, in vtysh's order
};

// The lab's routing timers, the ones the metrics' predictions assume too.
using Timers = contracts::RoutingTimers;

RenderedConfig render_router(const model::Topology& topology, const RouterPlan& router,
                             const Timers& timers = contracts::kLabRoutingTimers);

}  // namespace blastlab::frr
