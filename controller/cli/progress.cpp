#include "controller/cli/progress.hpp"

#include <fmt/format.h>

#include <iostream>

namespace blastlab::cli {

void ProgressLine::progress(const std::string& what, const experiment::LiveView& live,
                            double elapsed_s, int64_t now_us) {
  auto now = std::chrono::steady_clock::now();
  bool changed = what != last_what_;
  if (!tty_ && !changed && now - last_print_ < std::chrono::seconds(5)) return;
  if (tty_ && !changed && now - last_print_ < std::chrono::milliseconds(200)) return;
  auto rate = live.dns_success_since(now_us - 3'000'000);
  std::string line = fmt::format(
      "[{:6.1f}s] {:<36} DNS {:>4}  prefixes {}/{}  sites announcing {}/{}", elapsed_s,
      what.substr(0, 36), rate ? fmt::format("{:.0f}%", *rate * 100) : "-", live.prefixes_present(),
      live.prefixes_watched(), live.sites_announcing(), live.sites_seen());
  if (tty_) {
    // A new step keeps the last line of the one before as history.
    if (changed && !last_what_.empty()) std::cerr << "\n";
    std::cerr << "\r\033[K" << line << std::flush;
  } else {
    std::cerr << line << "\n";
  }
  last_what_ = what;
  last_print_ = now;
}

void ProgressLine::done() {
  if (tty_) std::cerr << "\n" << std::flush;
}

}  // namespace blastlab::cli
