// blastlab-dnsprobe: the DNS prober of one client, started by the controller inside the
// client's network namespace, e.g. `blastlab-dnsprobe --node c1 --events events/dnsprobe-c1.jsonl
// --target resolver=127.0.0.1 --target anycast=198.51.100.12 --nsid`. It parses the command
// line, wires the real clock, sockets and event file into the prober, and maps errors to
// exit codes: 0 done or stopped by SIGTERM/SIGINT, 2 bad flag, 3 cannot run (event file,
// sockets). It is the only place that prints fatal errors.
#include <signal.h>
#include <unistd.h>

#include <iostream>

#include "agents/dnsprobe/config.hpp"
#include "agents/dnsprobe/event_log.hpp"
#include "agents/dnsprobe/log.hpp"
#include "agents/dnsprobe/prober.hpp"
#include "agents/dnsprobe/udp_network.hpp"

namespace {

blastlab::dnsprobe::StopRequest g_stop;
int g_wake_fd = -1;

void on_signal(int sig) {
  g_stop.signal.store(sig);
  g_stop.count.fetch_add(1);
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(g_wake_fd, &byte, 1);
}

// No SA_RESTART: the handler records the request and wakes the wait on the sockets, so the
// loop acts on it at once.
void install_stop_handlers(int wake_fd) {
  g_wake_fd = wake_fd;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM}) sigaction(sig, &action, nullptr);
}

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
    install_stop_handlers(network.wake_fd());
    EventLog events(config->events, config->node);
    Prober prober(*config, clock, network, events);
    prober.run(g_stop);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "blastlab-dnsprobe: " << e.what() << "\n";
    return 3;
  }
}
