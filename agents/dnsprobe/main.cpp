// blastlab-dnsprobe: the DNS prober of one client, started by the controller inside the
// client's network namespace, e.g. `blastlab-dnsprobe --node c1 --events events/dnsprobe-c1.jsonl
// --target resolver=127.0.0.1 --target anycast=198.51.100.12 --nsid`. It parses the command
// line, wires the real clock, sockets and event file into the prober, and maps errors to
// exit codes: 0 done or stopped by SIGTERM/SIGINT, 2 bad flag, 3 cannot run (event file,
// sockets). It is the only place that prints fatal errors.
#include <iostream>

#include "agents/dnsprobe/config.hpp"
#include "agents/dnsprobe/log.hpp"
#include "agents/dnsprobe/prober.hpp"
#include "agents/dnsprobe/udp_network.hpp"

namespace {

blastlab::agent::StopRequest g_stop;

}  // namespace

int main(int argc, char** argv) {
  using namespace blastlab::dnsprobe;
  std::optional<Config> config;
  try {
    config = parse_flags(argc, argv, std::cout);
  } catch (const UsageError& e) {
    std::cerr << "blastlab-dnsprobe: " << e.what() << "\nRun with --help for the flags.\n";
    return 2;
  }
  if (!config) return 0;  // --help
  if (config->verbose) logger()->set_level(spdlog::level::debug);
  try {
    raise_open_file_limit();
    SystemClock clock;
    UdpNetwork network(clock, config->source);
    // The handlers wake the wait on the sockets, so the loop acts on a stop at once.
    blastlab::agent::install_stop_handlers(g_stop, network.wake_fd());
    blastlab::agent::EventLog events(config->events, "dnsprobe", config->node);
    Prober prober(*config, clock, network, events);
    prober.run(g_stop);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "blastlab-dnsprobe: " << e.what() << "\n";
    return 3;
  }
}
