// How an agent learns it should stop: SIGINT and SIGTERM are recorded in a StopRequest and
// wake whatever the agent is blocked in (a sleep, an epoll wait) by writing one byte to a
// pipe the agent watches, so a stop is acted on at once rather than at the next deadline.
// Handlers are installed without SA_RESTART, so an interrupted system call returns EINTR and
// the agent's loop gets to look at the request.
#pragma once

#include <atomic>

namespace blastlab::agent {

struct StopRequest {
  std::atomic<int> count{0};   // signals received so far
  std::atomic<int> signal{0};  // the last signal received, 0 before any
};

// Installs SIGINT and SIGTERM handlers that record into `stop` and write a byte to
// `wake_fd` (non-blocking, so the handler never blocks on a full pipe). `stop` must outlive
// the process's use of the handlers; one pair of handlers per process.
void install_stop_handlers(StopRequest& stop, int wake_fd);

// For an agent with nothing of its own to wake: makes a non-blocking pipe, installs the
// handlers on its write end and returns the read end, for the agent to watch. Throws
// std::runtime_error when the pipe cannot be made.
int open_stop_pipe(StopRequest& stop);

}  // namespace blastlab::agent
