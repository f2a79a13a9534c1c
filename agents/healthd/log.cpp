#include "agents/healthd/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace blastlab::healthd {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = [] {
    auto existing = spdlog::get("healthd");
    return existing ? existing : spdlog::stderr_color_mt("healthd");
  }();
  return instance;
}

}  // namespace blastlab::healthd
