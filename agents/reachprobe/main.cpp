// blastlab-reachprobe: the reachability prober of one source node, started by the
// controller inside the node's network namespace, e.g. `blastlab-reachprobe --node h1
// --events events/reachprobe-h1.jsonl --target icmp:h2=198.18.0.2 --target
// tcp:web=203.0.113.7:80`. It parses the command line, wires the real clock, sockets and
// event file into the prober, and maps errors to exit codes: 0 done or stopped by
// SIGTERM/SIGINT, 2 bad flag, 3 cannot run (event file, sockets). It is the only place that
// prints fatal errors.
#include <algorithm>
#include <iostream>

#include "agents/reachprobe/config.hpp"
#include "agents/reachprobe/log.hpp"
#include "agents/reachprobe/prober.hpp"
#include "agents/reachprobe/socket_network.hpp"

namespace {

blastlab::agent::StopRequest g_stop;

}  // namespace

int main(int argc, char** argv) {
  using namespace blastlab::reachprobe;
  std::optional<Config> config;
  try {
    config = parse_flags(argc, argv, std::cout);
  } catch (const UsageError& e) {
    std::cerr << "blastlab-reachprobe: " << e.what() << "\nRun with --help for the flags.\n";
    return 2;
  }
  if (!config) return 0;  // --help
  if (config->verbose) logger()->set_level(spdlog::level::debug);
  try {
    blastlab::agent::SystemClock clock;
    bool icmp = std::any_of(config->targets.begin(), config->targets.end(),
                            [](const Target& t) { return t.proto == Proto::kIcmp; });
    SocketNetwork network(clock, icmp);
    // The handlers wake the wait on the sockets, so the loop acts on a stop at once.
    blastlab::agent::install_stop_handlers(g_stop, network.wake_fd());
    blastlab::agent::EventLog events(config->events, "reachprobe", config->node);
    Prober prober(*config, clock, network, events);
    prober.run(g_stop);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "blastlab-reachprobe: " << e.what() << "\n";
    return 3;
  }
}
