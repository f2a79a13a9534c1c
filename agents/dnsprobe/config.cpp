#include "agents/dnsprobe/config.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>

#include "agents/common/command_line.hpp"
#include "agents/dnsprobe/wire.hpp"
#include "contracts/limits.hpp"
#include "controller/model/ip.hpp"
#include "controller/model/units.hpp"

namespace blastlab::dnsprobe {
namespace {

[[noreturn]] void bad(const std::string& flag, const std::string& message) {
  throw UsageError(flag + ": " + message);
}

// The lab's safety net: dnsprobe talks only to the lab's own ranges and to loopback, never
// to a network outside the lab, whatever it is told.
bool allowed_address(model::Ipv4Address address) {
  static const model::Ipv4Prefix kLoopback = *model::Ipv4Prefix::parse("127.0.0.0/8");
  return kLoopback.contains(address) || model::is_lab_range({address, 32});
}

constexpr const char* kAllowedRanges =
    "127.0.0.0/8, 198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24 or 203.0.113.0/24";

std::string lab_address(const std::string& flag, const std::string& text) {
  auto address = model::Ipv4Address::parse(text);
  if (!address) bad(flag, fmt::format("'{}' is not an IPv4 address; give a dotted quad", text));
  if (!allowed_address(*address))
    bad(flag, fmt::format("{} is outside the lab; give an address in {}", text, kAllowedRanges));
  return address->str();
}

std::optional<uint64_t> whole_number(std::string_view text) {
  auto digit = [](unsigned char c) { return std::isdigit(c) != 0; };
  if (text.empty() || !std::all_of(text.begin(), text.end(), digit)) return std::nullopt;
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool valid_target_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '-' || c == '_';
  });
}

Target parse_target(const std::string& text) {
  const std::string flag = "--target";
  const std::string usage = "give NAME=ADDRESS[:PORT], e.g. anycast=198.51.100.12";
  size_t equals = text.find('=');
  if (equals == std::string::npos) bad(flag, fmt::format("'{}' has no '='; {}", text, usage));
  Target target;
  target.name = text.substr(0, equals);
  if (!valid_target_name(target.name))
    bad(flag, fmt::format("'{}': the name must be lower-case letters, digits, '-' or '_'; {}", text,
                          usage));
  std::string rest = text.substr(equals + 1);
  size_t colon = rest.find(':');
  if (colon != std::string::npos) {
    auto port = whole_number(rest.substr(colon + 1));
    if (!port || *port == 0 || *port > 65535)
      bad(flag, fmt::format("'{}': the port must be a number from 1 to 65535", text));
    target.port = static_cast<uint16_t>(*port);
    rest = rest.substr(0, colon);
  }
  target.address = lab_address(flag, rest);
  return target;
}

// A duration as topology files write it ("500ms", "2s"), and for long runs also minutes and
// hours ("30m", "2h").
std::optional<std::chrono::microseconds> parse_span(std::string_view text) {
  int64_t scale = text.ends_with("h") ? 3600 : text.ends_with("m") ? 60 : 0;
  if (scale == 0) return model::parse_duration(text);
  auto seconds = model::parse_duration(std::string(text.substr(0, text.size() - 1)) + "s");
  if (!seconds || seconds->count() > INT64_MAX / scale) return std::nullopt;
  return *seconds * scale;
}

std::chrono::microseconds span_in_range(const std::string& flag, const std::string& text,
                                        contracts::Range<std::chrono::microseconds> allowed) {
  std::string range = contracts::range_text(allowed);
  auto span = parse_span(text);
  if (!span)
    bad(flag, fmt::format("'{}' is not a duration; give a number and a unit (us, ms, s, m, h), "
                          "from {}",
                          text, range));
  if (!allowed.contains(*span)) bad(flag, fmt::format("{} is out of range; give {}", text, range));
  return *span;
}

std::string strip_trailing_dot(std::string name) {
  if (name.size() > 1 && name.back() == '.') name.pop_back();
  return name;
}

}  // namespace

std::string Target::server() const {
  return port == 53 ? address : address + ":" + std::to_string(port);
}

std::string Config::fixed_name() const {
  return contracts::probe_query_name(qname, zone);
}

std::optional<Config> parse_flags(int argc, const char* const* argv, std::ostream& out) {
  CLI::App app{"blastlab-dnsprobe: DNS queries at a fixed rate, one event per answer or timeout",
               "blastlab-dnsprobe"};
  Config config;
  std::vector<std::string> target_texts;
  std::string rate = "10", timeout = "1s", duration = "3600s", count;
  app.add_option("--node", config.node, "the node this runs on (the events' node)")->required();
  app.add_option("--events", config.events, "JSON-lines file the events are appended to")
      ->required();
  app.add_option("--target", target_texts,
                 "NAME=ADDRESS[:PORT] to query, repeatable (e.g. resolver=127.0.0.1)")
      ->required();
  app.add_option("--rate", rate, contracts::probe_rate_text() + " (10)");
  app.add_option("--timeout", timeout,
                 "how long to wait for an answer, " +
                     contracts::range_text(contracts::kProbeTimeout) + " (1s)");
  app.add_option("--zone", config.zone, "the zone asked about (example.net)");
  app.add_option("--qname", config.qname,
                 "'unique' (a new name under probe.ZONE for every query) or a name relative to "
                 "the zone (unique)");
  app.add_option("--qtype", config.qtype, "the record type asked for (A)");
  app.add_flag("--nsid", config.nsid, "ask for the server's NSID and record it");
  app.add_option("--source", config.source, "IPv4 address to send from");
  app.add_option(
      "--duration", duration,
      "how long to send queries, " + contracts::range_text(contracts::kAgentDuration) + " (3600s)");
  app.add_option("--count", count, "queries per target; stop sending after that many");
  app.add_flag("-v,--verbose", config.verbose, "log every query to stderr");
  if (!agent::read_flags<UsageError>(app, argc, argv, out)) return std::nullopt;

  if (config.node.empty()) bad("--node", "must not be empty");
  if (config.events.empty()) bad("--events", "must not be empty");
  for (const std::string& text : target_texts) {
    Target target = parse_target(text);
    for (const Target& other : config.targets) {
      if (other.name == target.name)
        bad("--target",
            fmt::format("'{}' is given twice; every target needs its own name", target.name));
    }
    config.targets.push_back(std::move(target));
  }

  const std::string rate_range = contracts::probe_rate_text();
  if (!model::is_plain_number(rate))
    bad("--rate", fmt::format("'{}' is not a number; give {}", rate, rate_range));
  config.rate = std::stod(rate);
  if (!contracts::kProbeRate.contains(config.rate))
    bad("--rate", fmt::format("{} is out of range; give {}", rate, rate_range));
  config.timeout = span_in_range("--timeout", timeout, contracts::kProbeTimeout);
  config.duration = span_in_range("--duration", duration, contracts::kAgentDuration);
  if (!count.empty()) {
    auto n = whole_number(count);
    if (!n || *n == 0 || *n > kMaxCount)
      bad("--count", fmt::format("'{}' is not a whole number from 1 to {}", count, kMaxCount));
    config.count = *n;
  }

  config.zone = strip_trailing_dot(config.zone);
  if (!valid_domain_name(config.zone) || config.zone.size() > contracts::kMaxProbeZoneLength)
    bad("--zone", fmt::format("'{}' is not a domain name of at most {} characters", config.zone,
                              contracts::kMaxProbeZoneLength));
  if (!config.unique_names() && !valid_domain_name(config.fixed_name()))
    bad("--qname", fmt::format("'{}' does not make a domain name with zone {}; give 'unique' or "
                               "a name like www",
                               config.qname, config.zone));
  std::transform(config.qtype.begin(), config.qtype.end(), config.qtype.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  auto qtype = rr_type_from_name(config.qtype);
  if (!qtype)
    bad("--qtype",
        fmt::format("unknown record type '{}'; give A, AAAA, TXT, SOA, ...", config.qtype));
  config.qtype_code = *qtype;
  if (!config.source.empty()) config.source = lab_address("--source", config.source);
  return config;
}

}  // namespace blastlab::dnsprobe
