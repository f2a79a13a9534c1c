#include "agents/dnsprobe/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace blastlab::dnsprobe {

std::shared_ptr<spdlog::logger> logger() {
  static auto instance = [] {
    auto existing = spdlog::get("dnsprobe");
    return existing ? existing : spdlog::stderr_color_mt("dnsprobe");
  }();
  return instance;
}

}  // namespace blastlab::dnsprobe
