// The agents' loggers: one spdlog logger per agent, named after it, on stderr. Each agent's
// own logger() returns agent_logger("<name>"), so shared code logs under the agent it runs in.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace blastlab::agent {

// The logger called `name`, created on stderr the first time it is asked for.
std::shared_ptr<spdlog::logger> agent_logger(const std::string& name);

}  // namespace blastlab::agent
