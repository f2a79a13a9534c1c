// routewatch's logger, "routewatch", on stderr: info for lifecycle (start, dumps, resyncs,
// stop), debug for each route change it reports. The events file is the record; this is
// for a person watching the agent.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace blastlab::routewatch {

std::shared_ptr<spdlog::logger> logger();

}  // namespace blastlab::routewatch
