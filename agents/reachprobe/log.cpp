#include "agents/reachprobe/log.hpp"

#include "agents/common/log.hpp"

namespace blastlab::reachprobe {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = agent::agent_logger("reachprobe");
  return instance;
}

}  // namespace blastlab::reachprobe
