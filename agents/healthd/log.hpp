// healthd's logger, "healthd", on stderr: info for lifecycle and transitions, debug for each
// check.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace blastlab::healthd {

std::shared_ptr<spdlog::logger> logger();

}  // namespace blastlab::healthd
