#include "controller/frr/vtysh.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "controller/frr/vty_socket.hpp"

namespace blastlab::frr {
namespace {

// What a daemon or vtysh said, without its trailing newlines and blanks, for a message.
std::string said(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

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
      p.peer_state = value_or<std::string>(peer, "peerState", "");
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

std::optional<std::vector<OspfInterfaceState>> parse_ospf_interfaces(const std::string& text,
                                                                     std::string* error) {
  auto document = parse(text, error);
  if (!document) return std::nullopt;
  if (!document->is_object()) {
    if (error) *error = "show ip ospf interface json: expected an object";
    return std::nullopt;
  }
  std::vector<OspfInterfaceState> result;
  // {"interfaces": {"eth1": {...}}}; an empty object when ospfd has no instance.
  auto interfaces = document->find("interfaces");
  if (interfaces == document->end() || !interfaces->is_object()) return result;
  for (const auto& [name, entry] : interfaces->items()) {
    OspfInterfaceState i;
    i.ifname = name;
    i.up = value_or<bool>(entry, "ifUp", false);
    i.enabled = value_or<bool>(entry, "ospfEnabled", false);
    i.passive = value_or<bool>(entry, "timerPassiveIface", false);
    i.area = value_or<std::string>(entry, "area", "");
    i.network_type = value_or<std::string>(entry, "networkType", "");
    i.neighbors = value_or<int>(entry, "nbrCount", 0);
    i.adjacent = value_or<int>(entry, "nbrAdjacentCount", 0);
    result.push_back(std::move(i));
  }
  return result;
}

namespace {

// Several answers of one vtysh run, one JSON document after the other. A daemon with no
// instance answers some commands with a line, not JSON ("% OSPF is not enabled in vrf
// default"): that is an empty answer.
std::optional<std::vector<json>> split_documents(const std::string& text, std::string* error) {
  std::vector<json> documents;
  try {
    std::istringstream in(text);
    while (true) {
      in >> std::ws;
      if (in.peek() == std::char_traits<char>::eof()) break;
      if (in.peek() == '%') {
        std::string line;
        std::getline(in, line);
        if (line.find("is not enabled") == std::string::npos) {
          if (error) *error = "FRR answered: " + line;
          return std::nullopt;
        }
        documents.push_back(json::object());
        continue;
      }
      json document;
      in >> document;
      documents.push_back(std::move(document));
    }
  } catch (const json::exception& e) {
    if (error) *error = fmt::format("FRR answered something that is not JSON ({})", e.what());
    return std::nullopt;
  }
  return documents;
}

}  // namespace

std::optional<OspfView> parse_ospf_view(const std::string& text, std::string* error) {
  auto documents = split_documents(text, error);
  if (!documents) return std::nullopt;
  if (documents->size() != 4) {
    if (error) *error = fmt::format("expected 4 answers from ospfd, got {}", documents->size());
    return std::nullopt;
  }
  OspfView view;
  auto interfaces = parse_ospf_interfaces((*documents)[0].dump(), error);
  if (!interfaces) return std::nullopt;
  view.interfaces = std::move(*interfaces);
  // {"neighbors": {"RID": [{"nbrState": "Full/-", ...}]}}
  if (auto n = (*documents)[1].find("neighbors"); n != (*documents)[1].end() && n->is_object()) {
    for (const auto& [rid, list] : n->items()) {
      if (!list.is_array()) continue;
      for (const auto& entry : list) {
        if (value_or<std::string>(entry, "nbrState", "").rfind("Full", 0) == 0)
          view.full_neighbors.push_back(rid);
      }
    }
  }
  // {"Router Link States": {"AREA": {"RID": {"routerLinks": {"link0": {...}}}}}}
  if (auto areas = (*documents)[2].find("Router Link States");
      areas != (*documents)[2].end() && areas->is_object()) {
    for (const auto& [area, lsas] : areas->items()) {
      for (const auto& [rid, lsa] : lsas.items()) {
        auto links = lsa.find("routerLinks");
        if (links == lsa.end() || !links->is_object()) continue;
        for (const auto& [name, link] : links->items()) {
          std::string type = value_or<std::string>(link, "linkType", "");
          if (type.find("point-to-point") != std::string::npos)
            view.lsa_neighbors.push_back(value_or<std::string>(link, "neighborRouterId", ""));
          if (type.find("Transit") != std::string::npos) ++view.lsa_transit_links;
        }
      }
    }
  }
  // {"areas": {"AREA": {"routerLinkStates": [...], "networkLinkStates": [...]}},
  //  "asExternalLinkStates": [...]}
  std::vector<std::string> lines;
  auto add = [&](const std::string& area, const char* kind, const json& list) {
    if (!list.is_array()) return;
    for (const auto& lsa : list) {
      lines.push_back(fmt::format("{} {} {} {} {}", area, kind,
                                  value_or<std::string>(lsa, "lsId", ""),
                                  value_or<std::string>(lsa, "advertisedRouter", ""),
                                  value_or<std::string>(lsa, "sequenceNumber", "")));
    }
  };
  if (auto areas = (*documents)[3].find("areas");
      areas != (*documents)[3].end() && areas->is_object()) {
    for (const auto& [area, kinds] : areas->items()) {
      if (auto r = kinds.find("routerLinkStates"); r != kinds.end()) add(area, "router", *r);
      if (auto n = kinds.find("networkLinkStates"); n != kinds.end()) add(area, "network", *n);
    }
  }
  if (auto e = (*documents)[3].find("asExternalLinkStates"); e != (*documents)[3].end())
    add("-", "external", *e);
  std::sort(lines.begin(), lines.end());
  for (const auto& line : lines) view.database += line + "\n";
  std::sort(view.full_neighbors.begin(), view.full_neighbors.end());
  std::sort(view.lsa_neighbors.begin(), view.lsa_neighbors.end());
  return view;
}

std::optional<IsisView> parse_isis_view(const std::string& text, std::string* error) {
  auto documents = split_documents(text, error);
  if (!documents) return std::nullopt;
  if (documents->size() != 2) {
    if (error) *error = fmt::format("expected 2 answers from isisd, got {}", documents->size());
    return std::nullopt;
  }
  IsisView view;
  // {"areas": [{"area": "core", "circuits": [{"interface": {"name", "is-passive"}}]}]}
  auto circuits_of = [](const json& document, auto&& each) {
    auto areas = document.find("areas");
    if (areas == document.end() || !areas->is_array()) return;
    for (const auto& area : *areas) {
      auto circuits = area.find("circuits");
      if (circuits == area.end() || !circuits->is_array()) continue;
      for (const auto& circuit : *circuits) each(circuit);
    }
  };
  circuits_of((*documents)[0], [&](const json& circuit) {
    auto i = circuit.find("interface");
    if (i == circuit.end() || !i->is_object()) return;
    view.circuits.push_back({value_or<std::string>(*i, "name", ""),
                             value_or<std::string>(*i, "is-passive", "") == "passive"});
  });
  // {"areas": [{"circuits": [{"adj": "r1", "interface": "eth1", "state": "Up"}]}]}
  circuits_of((*documents)[1], [&](const json& circuit) {
    if (!circuit.contains("adj")) return;
    view.adjacencies.push_back({value_or<std::string>(circuit, "interface", ""),
                                value_or<std::string>(circuit, "adj", ""),
                                value_or<std::string>(circuit, "state", "")});
  });
  return view;
}

Vtysh::Vtysh(proc::ProcessRunner& runner, const std::string& lab_dir, ShowPath show_path,
             std::string binary)
    : runner_(runner),
      show_path_(show_path),
      config_dir_(vtysh_config_dir(lab_dir)),
      binary_(std::move(binary)) {}

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

std::optional<std::string> Vtysh::show(const std::string& space, std::string_view daemon,
                                       const std::vector<std::string>& commands,
                                       std::string* error) {
  constexpr auto kTimeout = std::chrono::seconds(10);
  if (show_path_ == ShowPath::kVtySocket) {
    std::string socket = fmt::format("{}/{}/{}.vty", kFrrStateDir, space, daemon);
    auto answers = vty_socket_run(socket, commands, kTimeout, error);
    if (!answers) return std::nullopt;
    std::string out;
    for (size_t i = 0; i < answers->size(); ++i) {
      const auto& answer = (*answers)[i];
      if (answer.code != 0) {
        if (error) {
          std::string words = said(answer.output);
          *error = fmt::format("{} on {} `{}`: {}", daemon, space, commands[i],
                               words.empty() ? fmt::format("code {}", answer.code) : words);
        }
        return std::nullopt;
      }
      out += answer.output;
    }
    return out;
  }
  auto result = run(space, commands);
  if (result.timed_out || result.exit_code != 0) {
    if (error) {
      std::string why = result.timed_out ? "timed out" : said(result.err);
      *error = fmt::format("vtysh -N {} -c '{}': {}", space, fmt::join(commands, "' -c '"),
                           why.empty() ? fmt::format("exit {}", result.exit_code) : why);
    }
    return std::nullopt;
  }
  return result.out;
}

std::optional<BgpSummary> Vtysh::bgp_summary(const std::string& space, std::string* error) {
  auto text = show(space, "bgpd", {"show bgp summary json"}, error);
  if (!text) return std::nullopt;
  return parse_bgp_summary(*text, error);
}

std::optional<std::vector<OspfInterfaceState>> Vtysh::ospf_interfaces(const std::string& space,
                                                                      std::string* error) {
  auto text = show(space, "ospfd", {"show ip ospf interface json"}, error);
  if (!text) return std::nullopt;
  return parse_ospf_interfaces(*text, error);
}

std::optional<OspfView> Vtysh::ospf_view(const std::string& space, std::string* error) {
  auto text =
      show(space, "ospfd",
           {"show ip ospf interface json", "show ip ospf neighbor json",
            "show ip ospf database router self-originate json", "show ip ospf database json"},
           error);
  if (!text) return std::nullopt;
  return parse_ospf_view(*text, error);
}

std::optional<IsisView> Vtysh::isis_view(const std::string& space, std::string* error) {
  auto text =
      show(space, "isisd", {"show isis interface detail json", "show isis neighbor json"}, error);
  if (!text) return std::nullopt;
  return parse_isis_view(*text, error);
}

proc::RunResult Vtysh::apply_file(const std::string& space, const std::string& file,
                                  std::chrono::milliseconds timeout) {
  std::vector<std::string> args = {binary_, "--config_dir", config_dir_, "-N", space, "-f", file};
  return runner_.run({.argv = args, .new_session = true}, timeout);
}

std::optional<std::vector<RibRoute>> Vtysh::ip_routes(const std::string& space,
                                                      std::string* error) {
  auto text = show(space, "zebra", {"show ip route json"}, error);
  if (!text) return std::nullopt;
  return parse_ip_routes(*text, error);
}

}  // namespace blastlab::frr
