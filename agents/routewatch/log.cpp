// The "routewatch" spdlog logger, created once and shared.
#include "agents/routewatch/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace blastlab::routewatch {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = [] {
    auto existing = spdlog::get("routewatch");
    return existing ? existing : spdlog::stderr_color_mt("routewatch");
  }();
  return instance;
}

}  // namespace blastlab::routewatch
