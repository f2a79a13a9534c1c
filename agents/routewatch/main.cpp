// blastlab-routewatch: the route monitor of one vantage point, started by the controller
// inside the peer router's network namespace as
//   blastlab-routewatch --node NAME --events PATH --prefix P [--prefix P ...]
// It parses and validates the flags, opens the events file and the netlink socket, and runs
// the agent until SIGTERM/SIGINT or --duration. Exit codes: 0 stopped, 2 bad flag, 3 cannot
// run (events file, socket, kernel). It is the only place that prints fatal errors.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "agents/common/clock.hpp"
#include "agents/common/stop_signal.hpp"
#include "agents/routewatch/agent.hpp"
#include "agents/routewatch/log.hpp"

namespace {

blastlab::agent::StopRequest g_stop;

}  // namespace

int main(int argc, char** argv) {
  using namespace blastlab::routewatch;
  std::optional<Options> parsed;
  try {
    parsed = parse_command_line(argc, argv, std::cout);
  } catch (const UsageError& e) {
    std::cerr << "blastlab-routewatch: " << e.what() << "\n";
    return 2;
  }
  if (!parsed) return 0;  // --help
  const Options& options = *parsed;
  if (options.verbose) logger()->set_level(spdlog::level::debug);
  try {
    // The handlers wake the agent's wait through the pipe, so a stop is seen at once rather
    // than at the next route change.
    int wake = blastlab::agent::open_stop_pipe(g_stop);
    blastlab::agent::EventLog events(options.events, "routewatch", options.node);
    auto source = open_netlink_route_source(options.receive_buffer, wake);
    Agent agent(options, *source, events, blastlab::agent::realtime_us);
    agent.run(g_stop.signal);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "blastlab-routewatch: " << e.what() << "\n";
    return 3;
  }
}
