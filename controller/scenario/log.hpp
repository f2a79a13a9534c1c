// The scenario module's logger ("scenario", to stderr: stdout carries the report).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace blastlab::scenario {

std::shared_ptr<spdlog::logger> logger();

}  // namespace blastlab::scenario
