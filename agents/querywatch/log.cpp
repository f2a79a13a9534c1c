// The "querywatch" spdlog logger, created once and shared.
#include "agents/querywatch/log.hpp"

#include "agents/common/log.hpp"

namespace blastlab::querywatch {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = agent::agent_logger("querywatch");
  return instance;
}

}  // namespace blastlab::querywatch
