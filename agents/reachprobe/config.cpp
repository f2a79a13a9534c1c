#include "agents/reachprobe/config.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>

#include "agents/common/command_line.hpp"
#include "contracts/limits.hpp"
#include "controller/model/ip.hpp"
#include "controller/model/units.hpp"

namespace blastlab::reachprobe {
namespace {

[[noreturn]] void bad(const std::string& flag, const std::string& message) {
  throw UsageError(flag + ": " + message);
}

constexpr const char* kTargetUsage =
    "give icmp:NAME=ADDRESS or tcp:NAME=ADDRESS:PORT, e.g. icmp:h2=198.18.0.2";

// The lab's safety net: reachprobe sends only to the lab's own ranges, never to a network
// outside the lab, whatever it is told.
std::string lab_address(const std::string& text, const std::string& whole) {
  auto address = model::Ipv4Address::parse(text);
  if (!address)
    bad("--target",
        fmt::format("'{}': '{}' is not an IPv4 address; {}", whole, text, kTargetUsage));
  if (!model::is_lab_range({*address, 32}))
    bad("--target", fmt::format("'{}': {} is outside the lab; give an address in 198.18.0.0/15, "
                                "192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24",
                                whole, text));
  return address->str();
}

bool valid_target_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::islower(c) || std::isdigit(c) || c == '-' || c == '_' || c == '.';
         });
}

Target parse_target(const std::string& text) {
  Target target;
  std::string rest;
  if (text.starts_with("icmp:")) {
    target.proto = Proto::kIcmp;
    rest = text.substr(5);
  } else if (text.starts_with("tcp:")) {
    target.proto = Proto::kTcp;
    rest = text.substr(4);
  } else {
    bad("--target", fmt::format("'{}' names no protocol; {}", text, kTargetUsage));
  }
  size_t equals = rest.find('=');
  if (equals == std::string::npos)
    bad("--target", fmt::format("'{}' has no '='; {}", text, kTargetUsage));
  target.name = rest.substr(0, equals);
  if (!valid_target_name(target.name))
    bad("--target", fmt::format("'{}': the name must be 1 to 64 lower-case letters, digits, '-', "
                                "'_' or '.'; {}",
                                text, kTargetUsage));
  std::string address = rest.substr(equals + 1);
  size_t colon = address.find(':');
  if (target.proto == Proto::kTcp) {
    if (colon == std::string::npos)
      bad("--target", fmt::format("'{}': a tcp target needs a port; {}", text, kTargetUsage));
    std::string port = address.substr(colon + 1);
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value == 0 ||
        value > 65535)
      bad("--target", fmt::format("'{}': the port must be a number from 1 to 65535", text));
    target.port = static_cast<uint16_t>(value);
    address.resize(colon);
  } else if (colon != std::string::npos) {
    bad("--target", fmt::format("'{}': an icmp target has no port; {}", text, kTargetUsage));
  }
  target.address = lab_address(address, text);
  return target;
}

// A duration as the controller writes it ("500ms", "2s").
std::chrono::microseconds span_in_range(const std::string& flag, const std::string& text,
                                        contracts::Range<std::chrono::microseconds> allowed) {
  std::string range = contracts::range_text(allowed);
  auto span = model::parse_duration(text);
  if (!span)
    bad(flag, fmt::format("'{}' is not a duration; give a number and a unit (us, ms, s), from {}",
                          text, range));
  if (!allowed.contains(*span)) bad(flag, fmt::format("{} is out of range; give {}", text, range));
  return *span;
}

}  // namespace

const char* to_string(Proto proto) {
  return proto == Proto::kTcp ? "tcp" : "icmp";
}

std::string Target::text() const {
  if (proto == Proto::kTcp) return fmt::format("tcp:{}={}:{}", name, address, port);
  return fmt::format("icmp:{}={}", name, address);
}

std::optional<Config> parse_flags(int argc, const char* const* argv, std::ostream& out) {
  CLI::App app{
      "blastlab-reachprobe: ICMP echo or TCP connect probes at a fixed rate, one event "
      "per probe",
      "blastlab-reachprobe"};
  Config config;
  std::vector<std::string> target_texts;
  std::string rate = "5", timeout = "500ms", duration = "3600s";
  app.add_option("--node", config.node, "the node this runs on (the events' node)")->required();
  app.add_option("--events", config.events, "JSON-lines file the events are appended to")
      ->required();
  app.add_option("--target", target_texts,
                 "icmp:NAME=ADDRESS or tcp:NAME=ADDRESS:PORT to probe, repeatable, at most " +
                     std::to_string(contracts::kMaxReachTargets))
      ->required();
  app.add_option("--rate", rate, contracts::reach_rate_text() + " (5)");
  app.add_option("--timeout", timeout,
                 "how long a probe waits for its answer, " +
                     contracts::range_text(contracts::kReachTimeout) + " (500ms)");
  app.add_option(
      "--duration", duration,
      "how long to probe, " + contracts::range_text(contracts::kAgentDuration) + " (3600s)");
  app.add_flag("-v,--verbose", config.verbose, "log every probe to stderr");
  if (!agent::read_flags<UsageError>(app, argc, argv, out)) return std::nullopt;

  if (config.node.empty()) bad("--node", "must not be empty");
  if (config.events.empty()) bad("--events", "must not be empty");
  if (target_texts.size() > contracts::kMaxReachTargets)
    bad("--target", fmt::format("{} targets; give at most {}", target_texts.size(),
                                contracts::kMaxReachTargets));
  for (const std::string& text : target_texts) {
    Target target = parse_target(text);
    for (const Target& other : config.targets) {
      if (other.name == target.name && other.proto == target.proto && other.port == target.port)
        bad("--target", fmt::format("'{}' is given twice", text));
    }
    config.targets.push_back(std::move(target));
  }
  const std::string rate_range = contracts::reach_rate_text();
  if (!model::is_plain_number(rate))
    bad("--rate", fmt::format("'{}' is not a number; give {}", rate, rate_range));
  config.rate = std::stod(rate);
  if (!contracts::kReachRate.contains(config.rate))
    bad("--rate", fmt::format("{} is out of range; give {}", rate, rate_range));
  config.timeout = span_in_range("--timeout", timeout, contracts::kReachTimeout);
  config.duration = span_in_range("--duration", duration, contracts::kAgentDuration);
  return config;
}

}  // namespace blastlab::reachprobe
