#include "agents/healthd/log.hpp"

#include "agents/common/log.hpp"

namespace blastlab::healthd {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = agent::agent_logger("healthd");
  return instance;
}

}  // namespace blastlab::healthd
