// The command-line rules for blastlab-querywatch and their messages.
#include "agents/querywatch/options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "agents/common/command_line.hpp"
#include "contracts/limits.hpp"
#include "controller/model/units.hpp"

namespace blastlab::querywatch {

namespace {

constexpr const char* kAllowedRanges =
    "198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 or 127.0.0.0/8";

// The lab's safety net, as in dnsprobe: the agent only ever reports on the lab's own
// addresses, so a mistyped flag cannot turn it into a monitor of real traffic.
bool allowed_address(model::Ipv4Address address) {
  static const model::Ipv4Prefix kLoopback = *model::Ipv4Prefix::parse("127.0.0.0/8");
  return kLoopback.contains(address) || model::is_lab_range({address, 32});
}

model::Ipv4Address parse_target(const std::string& text) {
  auto address = model::Ipv4Address::parse(text);
  if (!address) {
    throw UsageError("--target " + text +
                     ": not an IPv4 address; give a name server's address, e.g. 198.51.100.12");
  }
  if (!allowed_address(*address)) {
    throw UsageError("--target " + text + ": outside the lab; give an address in " +
                     kAllowedRanges);
  }
  return *address;
}

}  // namespace

Options make_options(const Flags& flags) {
  Options options;
  if (flags.node.empty()) throw UsageError("--node: must not be empty");
  if (flags.events.empty()) throw UsageError("--events: must not be empty");
  options.node = flags.node;
  options.events = flags.events;
  if (flags.targets.empty()) {
    throw UsageError("--target: give at least one name-server address to count queries to");
  }
  for (const std::string& text : flags.targets) {
    model::Ipv4Address target = parse_target(text);
    if (std::find(options.targets.begin(), options.targets.end(), target) !=
        options.targets.end()) {
      throw UsageError("--target " + text + ": given more than once");
    }
    options.targets.push_back(target);
  }
  auto interval = model::parse_duration(flags.interval);
  if (!interval || *interval < kMinInterval || *interval > kMaxInterval ||
      *interval % std::chrono::milliseconds(1) != std::chrono::microseconds(0)) {
    throw UsageError("--interval " + flags.interval +
                     ": give a time from 100ms to 60s in whole milliseconds, e.g. 1s");
  }
  options.interval = std::chrono::duration_cast<std::chrono::milliseconds>(*interval);
  if (flags.duration.empty()) {
    throw UsageError("--duration: give how long to run (us, ms or s), e.g. 600s");
  }
  auto duration = model::parse_duration(flags.duration);
  if (!duration || !contracts::kAgentDuration.contains(*duration)) {
    throw UsageError("--duration " + flags.duration + ": give a time from " +
                     contracts::range_text(contracts::kAgentDuration) +
                     " with a unit us, ms or s, e.g. 600s");
  }
  options.duration = *duration;
  options.verbose = flags.verbose;
  return options;
}

std::optional<Options> parse_command_line(int argc, const char* const* argv, std::ostream& out) {
  CLI::App app{
      "blastlab-querywatch: count the DNS queries this node sends to the given name servers "
      "(UDP to port 53, and TCP connections to port 53), per interval",
      "blastlab-querywatch"};
  Flags flags;
  app.add_option("--node", flags.node, "the client's node name, put on every event")->required();
  app.add_option("--events", flags.events, "JSON-lines events file to append to")->required();
  app.add_option("--target", flags.targets,
                 "a name server's IPv4 address whose queries are counted (repeat)")
      ->required();
  app.add_option("--interval", flags.interval, "one count per interval, 100ms to 60s")
      ->capture_default_str();
  app.add_option(
         "--duration", flags.duration,
         "stop after this long (us, ms or s), " + contracts::range_text(contracts::kAgentDuration))
      ->required();
  app.add_flag("-v,--verbose", flags.verbose, "log every interval's counts to stderr");
  if (!agent::read_flags<UsageError>(app, argc, argv, out)) return std::nullopt;
  return make_options(flags);
}

}  // namespace blastlab::querywatch
