// What the CLI tests share: paths into the source tree, and the built `blastlab` run to
// completion with its output captured.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "controller/proc/process.hpp"

namespace blastlab::testing {

inline std::string source(const std::string& relative) {
  return std::string(BLASTLAB_SOURCE_DIR) + "/" + relative;
}

// `blastlab ARGS...`, with env added to the inherited environment.
inline proc::RunResult blastlab(const std::vector<std::string>& args,
                                std::vector<std::pair<std::string, std::string>> env = {}) {
  std::vector<std::string> argv = {BLASTLAB_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return proc::make_process_runner()->run({.argv = argv, .env = std::move(env)},
                                          std::chrono::seconds(20));
}

}  // namespace blastlab::testing
