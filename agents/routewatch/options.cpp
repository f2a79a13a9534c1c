// The command-line rules for blastlab-routewatch and their messages.
#include "agents/routewatch/options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>

#include "agents/common/command_line.hpp"
#include "contracts/limits.hpp"
#include "controller/model/units.hpp"

namespace blastlab::routewatch {

namespace {

constexpr int kMinReceiveBuffer = 4096;
constexpr int kMaxReceiveBuffer = 256 << 20;

model::Ipv4Prefix parse_prefix(const std::string& text) {
  auto prefix = model::Ipv4Prefix::parse(text);
  if (!prefix) {
    throw UsageError("--prefix " + text +
                     ": not an IPv4 prefix; give a network and length, e.g. 198.51.100.0/26");
  }
  // The kernel keeps routes by their network address, so a prefix with host bits set
  // would never match and the watch would silently see nothing.
  if (!prefix->is_network()) {
    throw UsageError("--prefix " + text + ": host bits are set; give the network address " +
                     prefix->network().str());
  }
  return *prefix;
}

int parse_receive_buffer(const std::string& text) {
  int bytes = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), bytes);
  if (ec != std::errc{} || end != text.data() + text.size() || bytes < kMinReceiveBuffer ||
      bytes > kMaxReceiveBuffer) {
    throw UsageError("--receive-buffer " + text + ": give a whole number of bytes from " +
                     std::to_string(kMinReceiveBuffer) + " to " +
                     std::to_string(kMaxReceiveBuffer));
  }
  return bytes;
}

}  // namespace

Options make_options(const Flags& flags) {
  Options options;
  if (flags.node.empty()) throw UsageError("--node: must not be empty");
  if (flags.events.empty()) throw UsageError("--events: must not be empty");
  options.node = flags.node;
  options.events = flags.events;
  if (flags.prefixes.empty()) throw UsageError("--prefix: give at least one prefix to watch");
  for (const std::string& text : flags.prefixes) {
    model::Ipv4Prefix prefix = parse_prefix(text);
    if (std::find(options.prefixes.begin(), options.prefixes.end(), prefix) !=
        options.prefixes.end()) {
      throw UsageError("--prefix " + text + ": given more than once");
    }
    options.prefixes.push_back(prefix);
  }
  auto duration = model::parse_duration(flags.duration);
  if (!duration || !contracts::kAgentDuration.contains(*duration)) {
    throw UsageError("--duration " + flags.duration + ": give a time from " +
                     contracts::range_text(contracts::kAgentDuration) +
                     " with a unit us, ms or s, e.g. 600s");
  }
  options.duration = *duration;
  if (!flags.receive_buffer.empty()) {
    options.receive_buffer = parse_receive_buffer(flags.receive_buffer);
  }
  options.verbose = flags.verbose;
  return options;
}

std::optional<Options> parse_command_line(int argc, const char* const* argv, std::ostream& out) {
  CLI::App app{
      "blastlab-routewatch: report when watched IPv4 prefixes enter or leave the "
      "main routing table",
      "blastlab-routewatch"};
  Flags flags;
  app.add_option("--node", flags.node, "the vantage point's node name, put on every event")
      ->required();
  app.add_option("--events", flags.events, "JSON-lines events file to append to")->required();
  app.add_option("--prefix", flags.prefixes, "an IPv4 prefix to watch, exact match (repeat)")
      ->required();
  app.add_option(
         "--duration", flags.duration,
         "stop after this long (us, ms or s), " + contracts::range_text(contracts::kAgentDuration))
      ->capture_default_str();
  app.add_option("--receive-buffer", flags.receive_buffer,
                 "netlink socket receive buffer in bytes (default 1 MiB)");
  app.add_flag("-v,--verbose", flags.verbose, "log every reported change to stderr");
  if (!agent::read_flags<UsageError>(app, argc, argv, out)) return std::nullopt;
  return make_options(flags);
}

}  // namespace blastlab::routewatch
