#include "agents/healthd/announcer.hpp"

#include <fmt/format.h>

#include <exception>

namespace blastlab::healthd {
namespace {

// What vtysh printed about a failed run, on one line for the event. FRR prints a command's
// error ("% Can't find static route specified") on stdout; stderr carries vtysh's own notes,
// such as a missing per-pathspace vtysh.conf, even when the run succeeds.
std::string printed(const proc::RunResult& r) {
  std::string text = r.out.find_first_not_of(" \n") != std::string::npos ? r.out : r.err;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (char& c : text) {
    if (c == '\n') c = ';';
  }
  return text;
}

}  // namespace

std::vector<std::string> vtysh_argv(const Config& config, Announcement wanted) {
  std::vector<std::string> argv = {config.vtysh};
  if (!config.vtysh_config_dir.empty())
    argv.insert(argv.end(), {"--config_dir", config.vtysh_config_dir});
  if (!config.pathspace.empty()) argv.insert(argv.end(), {"-N", config.pathspace});
  argv.insert(argv.end(),
              {"-c", "configure terminal", "-c", fmt::format("router bgp {}", config.asn), "-c",
               "address-family ipv4 unicast"});
  for (const std::string& prefix : config.prefixes) {
    argv.push_back("-c");
    switch (wanted) {
      case Announcement::kAnnounced:
        argv.push_back("network " + prefix);
        break;
      case Announcement::kDegraded:
        argv.push_back("network " + prefix + " route-map " + config.degrade_route_map);
        break;
      case Announcement::kWithdrawn:
        argv.push_back("no network " + prefix);
        break;
    }
  }
  return argv;
}

AnnounceResult VtyshAnnouncer::apply(Announcement wanted) {
  proc::Command command{.argv = vtysh_argv(config_, wanted)};
  proc::RunResult r;
  try {
    r = runner_.run(command, kTimeout);
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
  if (r.timed_out) return {false, fmt::format("vtysh timed out after {} ms", kTimeout.count())};
  if (r.exit_code != 0) {
    std::string text = printed(r);
    return {false, fmt::format("vtysh exited with status {}{}{}", r.exit_code,
                               text.empty() ? "" : ": ", text)};
  }
  return {true, {}};
}

}  // namespace blastlab::healthd
