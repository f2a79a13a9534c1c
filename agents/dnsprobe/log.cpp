#include "agents/dnsprobe/log.hpp"

#include "agents/common/log.hpp"

namespace blastlab::dnsprobe {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = agent::agent_logger("dnsprobe");
  return instance;
}

}  // namespace blastlab::dnsprobe
