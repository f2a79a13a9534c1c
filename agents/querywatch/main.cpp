// blastlab-querywatch: the resolver-load counter of one client, started by the controller
// inside the client's network namespace as
//   blastlab-querywatch --node NAME --events PATH --target ADDR [--target ADDR ...]
//                       --duration D [--interval 1s]
// It parses and validates the flags, opens the events file and the packet socket, and runs
// the agent until SIGTERM/SIGINT or --duration. Exit codes: 0 stopped, 2 bad flag, 3 cannot
// run (events file, socket, not root). It is the only place that prints fatal errors.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "agents/common/clock.hpp"
#include "agents/common/stop_signal.hpp"
#include "agents/querywatch/agent.hpp"
#include "agents/querywatch/log.hpp"

namespace {

blastlab::agent::StopRequest g_stop;

}  // namespace

int main(int argc, char** argv) {
  using namespace blastlab::querywatch;
  std::optional<Options> parsed;
  try {
    parsed = parse_command_line(argc, argv, std::cout);
  } catch (const UsageError& e) {
    std::cerr << "blastlab-querywatch: " << e.what() << "\n";
    return 2;
  }
  if (!parsed) return 0;  // --help
  const Options& options = *parsed;
  if (options.verbose) logger()->set_level(spdlog::level::debug);
  try {
    // The handlers wake the agent's wait through the pipe, so a stop is seen at once rather
    // than at the end of the interval.
    int wake = blastlab::agent::open_stop_pipe(g_stop);
    auto source = open_packet_socket(wake);
    blastlab::agent::EventLog events(options.events, "querywatch", options.node);
    blastlab::agent::SystemClock clock;
    Agent agent(options, *source, events, clock);
    agent.run(g_stop.signal);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "blastlab-querywatch: " << e.what() << "\n";
    return 3;
  }
}
