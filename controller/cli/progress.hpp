// The run's progress line on stderr: rewritten in place on a terminal, printed every few
// seconds (and whenever the step changes) otherwise, so CI logs stay short.
#pragma once

#include <chrono>
#include <string>

#include "controller/experiment/run.hpp"

namespace blastlab::cli {

class ProgressLine : public experiment::RunObserver {
 public:
  explicit ProgressLine(bool tty) : tty_(tty) {}

  void progress(const std::string& what, const experiment::LiveView& live, double elapsed_s,
                int64_t now_us) override;
  void done() override;

 private:
  bool tty_;
  std::string last_what_;
  std::chrono::steady_clock::time_point last_print_{};
};

}  // namespace blastlab::cli
