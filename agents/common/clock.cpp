#include "agents/common/clock.hpp"

#include <time.h>

namespace blastlab::agent {

int64_t realtime_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

}  // namespace blastlab::agent
