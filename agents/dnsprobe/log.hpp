// dnsprobe's logger, "dnsprobe", on stderr: info for lifecycle, debug for each query.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace blastlab::dnsprobe {

std::shared_ptr<spdlog::logger> logger();

}  // namespace blastlab::dnsprobe
