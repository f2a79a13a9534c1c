#include "agents/healthd/config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "agents/healthd/config_fields.hpp"
#include "agents/healthd/json_reader.hpp"
#include "contracts/limits.hpp"

namespace blastlab::healthd {
namespace {

using json = nlohmann::json;

const std::vector<std::string> kFields = {"node",
                                          "pathspace",
                                          "vtysh",
                                          "vtysh_config_dir",
                                          "asn",
                                          "prefixes",
                                          "degrade_route_map",
                                          "targets",
                                          "checks",
                                          "port",
                                          "dns",
                                          "interval_ms",
                                          "timeout_ms",
                                          "rise",
                                          "fall",
                                          "action",
                                          "events",
                                          "guard",
                                          "announced_at_start"};

// The limits are the controller's too (contracts/limits.hpp): it refuses a topology whose
// health section would make this file fail.
void read_timing(JsonReader& r, const json& root, Config& config) {
  using contracts::kHealthPeriod;
  using contracts::kHealthRounds;
  auto interval = r.integer(root, "interval_ms", "interval_ms", kHealthPeriod.min.count(),
                            kHealthPeriod.max.count());
  auto timeout = r.integer(root, "timeout_ms", "timeout_ms", kHealthPeriod.min.count(),
                           kHealthPeriod.max.count());
  if (interval) config.interval = std::chrono::milliseconds(*interval);
  if (timeout) config.timeout = std::chrono::milliseconds(*timeout);
  if (interval && timeout && !contracts::health_timeout_fits(config.timeout, config.interval)) {
    r.problem("timeout_ms", fmt::format("{} is not shorter than interval_ms {}; give less, or "
                                        "rounds would overlap",
                                        *timeout, *interval));
  }
  if (auto n = r.integer(root, "rise", "rise", kHealthRounds.min, kHealthRounds.max))
    config.rise = static_cast<int>(*n);
  if (auto n = r.integer(root, "fall", "fall", kHealthRounds.min, kHealthRounds.max))
    config.fall = static_cast<int>(*n);
}

void read_action(JsonReader& r, const json& root, Config& config) {
  if (!root.contains("action")) {
    r.problem("action", "missing; give one of withdraw, degrade, fail-static");
    return;
  }
  auto text = r.string(root, "action", "action");
  if (!text) return;
  for (Action a : {Action::kWithdraw, Action::kDegrade, Action::kFailStatic}) {
    if (*text == to_string(a)) {
      config.action = a;
      return;
    }
  }
  r.problem("action",
            fmt::format("unknown action '{}'; allowed: withdraw, degrade, fail-static", *text));
}

Config read_root(JsonReader& r, const json& root) {
  Config config;
  if (!root.is_object()) {
    r.problem("(top level)", fmt::format("is {}; give a JSON object", root.type_name()));
    return config;
  }
  r.reject_unknown(root, "", kFields);
  if (auto v = r.string(root, "node", "node")) config.node = *v;
  if (!root.contains("pathspace")) {
    // No -N: the node's only FRR (an exported lab's container).
  } else if (auto v = r.string(root, "pathspace", "pathspace")) {
    if (!is_name_word(*v))
      r.problem("pathspace", fmt::format("'{}' is not an FRR pathspace; use letters, digits, "
                                         "'_', '-', '.'",
                                         *v));
    config.pathspace = *v;
  }
  if (auto v = r.string(root, "vtysh", "vtysh")) config.vtysh = *v;
  if (root.contains("vtysh_config_dir")) {
    if (auto v = r.string(root, "vtysh_config_dir", "vtysh_config_dir"))
      config.vtysh_config_dir = *v;
  }
  if (auto v = r.integer(root, "asn", "asn", 1, 4'294'967'295)) config.asn = uint32_t(*v);
  read_prefixes(r, root, config);
  if (auto v = r.string(root, "degrade_route_map", "degrade_route_map")) {
    if (!is_name_word(*v))
      r.problem("degrade_route_map", fmt::format("'{}' is not a route-map name; use letters, "
                                                 "digits, '_', '-', '.'",
                                                 *v));
    config.degrade_route_map = *v;
  }
  read_targets(r, root, config);
  read_checks(r, root, config);
  if (auto v = r.integer(root, "port", "port", 1, 65535)) config.port = uint16_t(*v);
  read_dns(r, root, config);
  read_timing(r, root, config);
  read_action(r, root, config);
  if (auto v = r.string(root, "events", "events")) config.events = *v;
  read_guard(r, root, config);
  if (root.contains("announced_at_start")) {
    if (!root["announced_at_start"].is_boolean()) {
      r.problem("announced_at_start",
                fmt::format("is {} {}; give true or false", root["announced_at_start"].type_name(),
                            root["announced_at_start"].dump()));
    } else {
      config.announced_at_start = root["announced_at_start"].get<bool>();
    }
  }
  return config;
}

}  // namespace

const char* to_string(Action action) {
  switch (action) {
    case Action::kWithdraw:
      return "withdraw";
    case Action::kDegrade:
      return "degrade";
    case Action::kFailStatic:
      return "fail-static";
  }
  return "withdraw";
}

const char* to_string(CheckKind kind) {
  switch (kind) {
    case CheckKind::kTcp:
      return "tcp";
    case CheckKind::kIcmp:
      return "icmp";
    case CheckKind::kHttp:
      return "http";
    case CheckKind::kDns:
      return "dns";
  }
  return "tcp";
}

bool Config::has_check(CheckKind kind) const {
  return std::find(checks.begin(), checks.end(), kind) != checks.end();
}

std::vector<CheckKind> Config::remote_checks() const {
  std::vector<CheckKind> remote;
  for (CheckKind kind : checks) {
    if (kind != CheckKind::kDns) remote.push_back(kind);
  }
  return remote;
}

ConfigError::ConfigError(const std::vector<std::string>& problems)
    : std::runtime_error(fmt::format("{}", fmt::join(problems, "\n"))), problems_(problems) {}

Config parse_config(const std::string& text, const std::string& path) {
  JsonReader r(path);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann's what() starts with "[json.exception.parse_error.101] "; the byte is enough.
    std::string what = e.what();
    if (auto end = what.find("] "); end != std::string::npos) what = what.substr(end + 2);
    r.problem("(syntax)", fmt::format("not valid JSON at byte {}: {}", e.byte, what));
    throw ConfigError(r.problems());
  }
  Config config = read_root(r, root);
  if (!r.problems().empty()) throw ConfigError(r.problems());
  return config;
}

Config load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw ConfigError({fmt::format("{}: (file): cannot read: {}, give a readable JSON file", path,
                                   std::strerror(errno))});
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_config(buffer.str(), path);
}

}  // namespace blastlab::healthd
