#include "controller/experiment/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace blastlab::experiment {

std::shared_ptr<spdlog::logger> logger() {
  static const auto instance = [] {
    auto existing = spdlog::get("experiment");
    return existing ? existing : spdlog::stderr_color_mt("experiment");
  }();
  return instance;
}

}  // namespace blastlab::experiment
