// The "routewatch" spdlog logger, created once and shared.
#include "agents/routewatch/log.hpp"

#include "agents/common/log.hpp"

namespace blastlab::routewatch {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = agent::agent_logger("routewatch");
  return instance;
}

}  // namespace blastlab::routewatch
