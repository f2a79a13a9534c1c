// blastlab-routewatch: the route monitor of one vantage point, started by the controller
// inside the peer router's network namespace as
//   blastlab-routewatch --node NAME --events PATH --prefix P [--prefix P ...]
// It parses and validates the flags, opens the events file and the netlink socket, and runs
// the agent until SIGTERM/SIGINT or --duration. Exit codes: 0 stopped, 2 bad flag, 3 cannot
// run (events file, socket, kernel). It is the only place that prints fatal errors.
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "agents/routewatch/agent.hpp"
#include "agents/routewatch/log.hpp"

namespace {

std::atomic<int> g_stop_signal{0};
int g_wake_fd = -1;

void on_signal(int sig) {
  g_stop_signal.store(sig);
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(g_wake_fd, &byte, 1);
}

// The handler records the signal and wakes the agent's wait through a pipe, so a stop is
// seen at once rather than at the next route change.
void install_stop_handlers(int wake_fd) {
  g_wake_fd = wake_fd;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM}) sigaction(sig, &action, nullptr);
}

int64_t realtime_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace blastlab::routewatch;
  CLI::App app{
      "blastlab-routewatch: report when watched IPv4 prefixes enter or leave the "
      "main routing table",
      "blastlab-routewatch"};
  Flags flags;
  bool verbose = false;
  app.add_option("--node", flags.node, "the vantage point's node name, put on every event")
      ->required();
  app.add_option("--events", flags.events, "JSON-lines events file to append to")->required();
  app.add_option("--prefix", flags.prefixes, "an IPv4 prefix to watch, exact match (repeat)")
      ->required();
  app.add_option("--duration", flags.duration, "stop after this long (us, ms or s)")
      ->capture_default_str();
  app.add_option("--receive-buffer", flags.receive_buffer,
                 "netlink socket receive buffer in bytes (default 1 MiB)");
  app.add_flag("-v,--verbose", verbose, "log every reported change to stderr");
  Options options;
  try {
    app.parse(argc, argv);
    options = make_options(flags);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const UsageError& e) {
    std::cerr << "blastlab-routewatch: " << e.what() << "\n";
    return 2;
  }
  if (verbose) logger()->set_level(spdlog::level::debug);
  try {
    int wake[2];
    if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
      throw std::runtime_error(std::string("create wake-up pipe: ") + std::strerror(errno));
    }
    install_stop_handlers(wake[1]);
    EventLog events(options.events, options.node);
    auto source = open_netlink_route_source(options.receive_buffer, wake[0]);
    Agent agent(options, *source, events, realtime_us);
    agent.run(g_stop_signal);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "blastlab-routewatch: " << e.what() << "\n";
    return 3;
  }
}
