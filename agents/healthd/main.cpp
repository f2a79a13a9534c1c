// blastlab-healthd: the health-check agent of one DNS host, started by the controller inside
// the host's network namespace as `blastlab-healthd --config FILE`. It parses the command
// line, loads the config, wires the real clock, sockets and vtysh into the agent, and maps
// errors to exit codes: 0 stopped by SIGTERM/SIGINT, 2 bad flag or config, 3 cannot run
// (event file, sockets, the guard's UDP socket). It is the only place that prints fatal errors.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "agents/common/stop_signal.hpp"
#include "agents/healthd/agent.hpp"
#include "agents/healthd/log.hpp"

namespace {

blastlab::agent::StopRequest g_stop;

}  // namespace

int main(int argc, char** argv) {
  using namespace blastlab::healthd;
  CLI::App app{"blastlab-healthd: health checks that announce, degrade or withdraw anycast",
               "blastlab-healthd"};
  std::string config_path;
  bool verbose = false;
  app.add_option("--config", config_path, "healthd config (JSON, written by the controller)")
      ->required();
  app.add_flag("-v,--verbose", verbose, "log every check to stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (verbose) logger()->set_level(spdlog::level::debug);
  try {
    Config config = load_config(config_path);
    SystemClock clock;
    // The handlers wake the sleep between rounds, so healthd stops at once when idle and at
    // the end of the current round otherwise.
    blastlab::agent::install_stop_handlers(g_stop, clock.wake_fd());
    signal(SIGPIPE, SIG_IGN);  // a backend closing early must not kill the agent
    EventLog events(config.events, config.node, clock);
    auto checker = make_socket_checker();
    auto runner = blastlab::proc::make_process_runner();
    VtyshAnnouncer announcer(config, *runner);
    std::unique_ptr<UdpGossip> gossip;
    if (config.guard) gossip = std::make_unique<UdpGossip>(*config.guard);
    Agent agent(config, clock, *checker, announcer, events, gossip.get());
    agent.run(g_stop.signal);
    return 0;
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "blastlab-healthd: " << e.what() << "\n";
    return 3;
  }
}
