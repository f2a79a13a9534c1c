// querywatch's logger, "querywatch", on stderr: info for lifecycle (start, stop), warn when
// the kernel dropped packets or the agent fell behind, debug for each interval's counts.
// The events file is the record; this is for a person watching the agent.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace blastlab::querywatch {

std::shared_ptr<spdlog::logger> logger();

}  // namespace blastlab::querywatch
