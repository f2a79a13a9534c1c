#include "agents/healthd/clock.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace blastlab::healthd {

SystemClock::SystemClock() {
  // Close-on-exec so vtysh does not inherit it; non-blocking so a signal handler never
  // blocks on a full pipe.
  if (::pipe2(pipe_, O_CLOEXEC | O_NONBLOCK) != 0)
    throw std::runtime_error(std::string("create wake-up pipe: ") + std::strerror(errno));
}

SystemClock::~SystemClock() {
  for (int fd : pipe_) {
    if (fd >= 0) ::close(fd);
  }
}

void SystemClock::sleep_until(TimePoint deadline) {
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - now());
    if (left.count() <= 0) return;
    pollfd wake{pipe_[0], POLLIN, 0};
    int r = ::poll(&wake, 1, static_cast<int>(left.count()));
    // The byte is left in the pipe on purpose: once woken, every later sleep returns at once.
    if (r > 0) return;
    if (r < 0 && errno != EINTR) return;
  }
}

}  // namespace blastlab::healthd
