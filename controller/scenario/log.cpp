#include "controller/scenario/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace blastlab::scenario {

std::shared_ptr<spdlog::logger> logger() {
  static const auto instance = [] {
    auto existing = spdlog::get("scenario");
    return existing ? existing : spdlog::stderr_color_mt("scenario");
  }();
  return instance;
}

}  // namespace blastlab::scenario
