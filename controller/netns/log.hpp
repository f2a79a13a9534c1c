// The netns module's logger: info for namespaces made and removed, debug for each request.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace blastlab::netns {

std::shared_ptr<spdlog::logger> logger();

}  // namespace blastlab::netns
