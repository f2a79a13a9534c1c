// The experiment module's logger ("experiment", to stderr: stdout carries the report).
#pragma once

#include <spdlog/spdlog.h>

#include <memory>

namespace blastlab::experiment {

std::shared_ptr<spdlog::logger> logger();

}  // namespace blastlab::experiment
