// reachprobe's logger, "reachprobe", on stderr: info for lifecycle, debug for each probe.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace blastlab::reachprobe {

std::shared_ptr<spdlog::logger> logger();

}  // namespace blastlab::reachprobe
