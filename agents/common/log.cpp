#include "agents/common/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <mutex>

namespace blastlab::agent {

std::shared_ptr<spdlog::logger> agent_logger(const std::string& name) {
  // Serialised: two threads asking for a new name at once must not both create it, which
  // spdlog would refuse with an exception.
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  auto existing = spdlog::get(name);
  return existing ? existing : spdlog::stderr_color_mt(name);
}

}  // namespace blastlab::agent
