#include "controller/frr/vtysh.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace blastlab::frr {
namespace {

using nlohmann::json;

std::optional<json> parse(const std::string& text, std::string* error) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    if (error) *error = fmt::format("FRR answered something that is not JSON ({})", e.what());
    return std::nullopt;
  }
}

template <typename T>
T value_or(const json& object, const char* key, T fallback) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    return fallback;
  }
}

}  // namespace

std::string pathspace(const std::string& lab, const std::string& node) {
  return lab + "_" + node;
}

std::string vtysh_config_dir(const std::string& lab_dir) {
  return lab_dir + "/vtysh";
}

std::optional<BgpSummary> parse_bgp_summary(const std::string& text, std::string* error) {
  auto document = parse(text, error);
  if (!document) return std::nullopt;
  BgpSummary summary;
  if (!document->is_object()) {
    if (error) *error = "show bgp summary json: expected an object";
    return std::nullopt;
  }
  // `show bgp summary json` nests per address family; an empty object means no BGP
  // instance (bgpd is up but unconfigured).
  auto family = document->find("ipv4Unicast");
  if (family == document->end()) return summary;
  summary.as = value_or<uint32_t>(*family, "as", 0);
  summary.router_id = value_or<std::string>(*family, "routerId", "");
  auto peers = family->find("peers");
  if (peers != family->end() && peers->is_object()) {
    for (const auto& [address, peer] : peers->items()) {
      BgpPeer p;
      p.address = address;
      p.description = value_or<std::string>(peer, "desc", "");
      p.remote_as = value_or<uint32_t>(peer, "remoteAs", 0);
      p.state = value_or<std::string>(peer, "state", "");
      p.prefixes_received = value_or<uint64_t>(peer, "pfxRcd", 0);
      p.prefixes_sent = value_or<uint64_t>(peer, "pfxSnt", 0);
      p.uptime_ms = value_or<uint64_t>(peer, "peerUptimeMsec", 0);
      summary.peers.push_back(std::move(p));
    }
  }
  std::sort(summary.peers.begin(), summary.peers.end(),
            [](const BgpPeer& x, const BgpPeer& y) { return x.address < y.address; });
  return summary;
}

std::optional<std::vector<RibRoute>> parse_ip_routes(const std::string& text, std::string* error) {
  auto document = parse(text, error);
  if (!document) return std::nullopt;
  if (!document->is_object()) {
    if (error) *error = "show ip route json: expected an object";
    return std::nullopt;
  }
  std::vector<RibRoute> routes;
  // {"PREFIX": [ {route}, ... ]}: one entry per route of that prefix, from any protocol.
  for (const auto& [prefix, entries] : document->items()) {
    if (!entries.is_array()) continue;
    for (const auto& entry : entries) {
      RibRoute r;
      r.prefix = prefix;
      r.protocol = value_or<std::string>(entry, "protocol", "");
      r.selected = value_or<bool>(entry, "selected", false);
      r.installed = value_or<bool>(entry, "installed", false);
      auto hops = entry.find("nexthops");
      if (hops != entry.end() && hops->is_array()) {
        for (const auto& hop : *hops) {
          std::string via = value_or<std::string>(hop, "ip", "");
          if (via.empty()) via = value_or<std::string>(hop, "interfaceName", "");
          if (!via.empty()) r.nexthops.push_back(via);
        }
      }
      routes.push_back(std::move(r));
    }
  }
  return routes;
}

Vtysh::Vtysh(proc::ProcessRunner& runner, const std::string& lab_dir, std::string binary)
    : runner_(runner), config_dir_(vtysh_config_dir(lab_dir)), binary_(std::move(binary)) {}

std::vector<std::string> Vtysh::argv(const std::string& space,
                                     const std::vector<std::string>& commands) const {
  std::vector<std::string> args = {binary_, "--config_dir", config_dir_, "-N", space};
  for (const auto& command : commands) {
    args.push_back("-c");
    args.push_back(command);
  }
  return args;
}

proc::RunResult Vtysh::run(const std::string& space, const std::vector<std::string>& commands,
                           std::chrono::milliseconds timeout) {
  // Its own session: the terminal's Ctrl-C goes to the controller alone, which lets a
  // configuration finish rather than leave a router half-configured.
  return runner_.run({.argv = argv(space, commands), .new_session = true}, timeout);
}

std::optional<std::string> Vtysh::show_json(const std::string& space, const std::string& command,
                                            std::string* error) {
  auto result = run(space, {command});
  if (result.timed_out || result.exit_code != 0) {
    if (error) {
      std::string why = result.timed_out ? "timed out" : result.err;
      while (!why.empty() && (why.back() == '\n' || why.back() == ' ')) why.pop_back();
      *error = fmt::format("vtysh -N {} -c '{}': {}", space, command,
                           why.empty() ? fmt::format("exit {}", result.exit_code) : why);
    }
    return std::nullopt;
  }
  return result.out;
}

std::optional<BgpSummary> Vtysh::bgp_summary(const std::string& space, std::string* error) {
  auto text = show_json(space, "show bgp summary json", error);
  if (!text) return std::nullopt;
  return parse_bgp_summary(*text, error);
}

std::optional<std::vector<RibRoute>> Vtysh::ip_routes(const std::string& space,
                                                      std::string* error) {
  auto text = show_json(space, "show ip route json", error);
  if (!text) return std::nullopt;
  return parse_ip_routes(*text, error);
}

}  // namespace blastlab::frr
