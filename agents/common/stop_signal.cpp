#include "agents/common/stop_signal.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace blastlab::agent {
namespace {

// A signal handler takes no context, so the target lives here; std::atomic<int> is
// lock-free, hence async-signal-safe.
StopRequest* g_stop = nullptr;
int g_wake_fd = -1;

void on_signal(int sig) {
  g_stop->signal.store(sig);
  g_stop->count.fetch_add(1);
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(g_wake_fd, &byte, 1);
}

}  // namespace

void install_stop_handlers(StopRequest& stop, int wake_fd) {
  g_stop = &stop;
  g_wake_fd = wake_fd;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM}) sigaction(sig, &action, nullptr);
}

int open_stop_pipe(StopRequest& stop) {
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0)
    throw std::runtime_error(std::string("create wake-up pipe: ") + std::strerror(errno));
  install_stop_handlers(stop, wake[1]);
  return wake[0];
}

}  // namespace blastlab::agent
