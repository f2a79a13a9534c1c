#include "agents/healthd/config_fields.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "contracts/limits.hpp"
#include "controller/model/ip.hpp"

namespace blastlab::healthd {
namespace {

using json = nlohmann::json;

// A zone the dns check can put in a query: dot-separated labels of 1 to 63 letters, digits,
// hyphens or underscores, at most 253 characters.
bool is_zone(const std::string& zone) {
  if (zone.empty() || zone.size() > contracts::kMaxDnsNameLength) return false;
  std::stringstream labels(zone);
  std::string label;
  size_t count = 0;
  while (std::getline(labels, label, '.')) {
    ++count;
    if (label.empty() || label.size() > contracts::kMaxDnsLabelLength || !is_name_word(label))
      return false;
  }
  return count > 0 && zone.back() != '.';
}

std::optional<std::string> address(JsonReader& r, const json& object, const std::string& key,
                                   const std::string& field) {
  auto text = r.string(object, key, field);
  if (text && !model::Ipv4Address::parse(*text)) {
    r.problem(field,
              fmt::format("'{}' is not an IPv4 address; give dotted quad like 198.18.0.1", *text));
    return std::nullopt;
  }
  return text;
}

// Each item of a list of {"name", "address"} objects (targets, guard peers): an item that is
// not an object or has other keys is reported here; `use` gets the item's field path and
// what could be read of it, and applies the checks of its own list.
template <typename Use>
void each_name_address(JsonReader& r, const json& list, const std::string& list_field, Use&& use) {
  for (size_t i = 0; i < list.size(); ++i) {
    std::string field = fmt::format("{}[{}]", list_field, i);
    const json& item = list[i];
    if (!item.is_object()) {
      r.problem(field,
                fmt::format("is {}; give {{\"name\": ..., \"address\": ...}}", item.type_name()));
      continue;
    }
    r.reject_unknown(item, field + ".", {"name", "address"});
    auto name = r.string(item, "name", field + ".name");
    auto addr = address(r, item, "address", field + ".address");
    use(field, name, addr);
  }
}

}  // namespace

bool is_name_word(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

void read_prefixes(JsonReader& r, const json& root, Config& config) {
  const json* list = r.require(root, "prefixes", "prefixes", json::value_t::array,
                               "a non-empty list of IPv4 prefixes");
  if (!list) return;
  if (list->empty()) r.problem("prefixes", "is empty; give at least one anycast prefix");
  for (size_t i = 0; i < list->size(); ++i) {
    std::string field = fmt::format("prefixes[{}]", i);
    const json& item = (*list)[i];
    auto prefix = item.is_string() ? model::Ipv4Prefix::parse(item.get<std::string>())
                                   : std::optional<model::Ipv4Prefix>();
    if (!prefix) {
      r.problem(field, fmt::format("{} is not an IPv4 prefix; give one like 198.51.100.0/26",
                                   item.dump()));
    } else if (!prefix->is_network()) {
      r.problem(field, fmt::format("'{}' has host bits set; give the network, {}", prefix->str(),
                                   prefix->network().str()));
    } else if (std::find(config.prefixes.begin(), config.prefixes.end(), prefix->str()) !=
               config.prefixes.end()) {
      r.problem(field, fmt::format("'{}' is listed twice; list each once", prefix->str()));
    } else {
      config.prefixes.push_back(prefix->str());
    }
  }
}

void read_targets(JsonReader& r, const json& root, Config& config) {
  const json* list = r.require(root, "targets", "targets", json::value_t::array,
                               "a non-empty list of {\"name\", \"address\"} objects");
  if (!list) return;
  if (list->empty()) r.problem("targets", "is empty; give at least one datacenter target");
  std::set<std::string> names;
  each_name_address(
      r, *list, "targets", [&](const std::string& field, const auto& name, const auto& addr) {
        if (name && *name == contracts::kReservedTargetName) {
          r.problem(field + ".name", fmt::format("'{}' is reserved for the dns check; give "
                                                 "another name",
                                                 contracts::kReservedTargetName));
        } else if (name && !names.insert(*name).second) {
          r.problem(field + ".name",
                    fmt::format("'{}' is used twice; name each target once", *name));
        } else if (name && addr) {
          config.targets.push_back({*name, *addr});
        }
      });
}

void read_checks(JsonReader& r, const json& root, Config& config) {
  const json* list = r.require(root, "checks", "checks", json::value_t::array,
                               "a non-empty list of tcp, icmp, http, dns");
  if (!list) return;
  if (list->empty()) r.problem("checks", "is empty; give at least one of tcp, icmp, http, dns");
  for (size_t i = 0; i < list->size(); ++i) {
    std::string field = fmt::format("checks[{}]", i);
    std::string text = (*list)[i].is_string() ? (*list)[i].get<std::string>() : "";
    std::optional<CheckKind> kind;
    for (CheckKind k : {CheckKind::kTcp, CheckKind::kIcmp, CheckKind::kHttp, CheckKind::kDns}) {
      if (text == to_string(k)) kind = k;
    }
    if (!kind) {
      r.problem(field,
                fmt::format("unknown check {}; allowed: tcp, icmp, http, dns", (*list)[i].dump()));
    } else if (config.has_check(*kind)) {
      r.problem(field, fmt::format("check '{}' is listed twice; list each once", text));
    } else {
      config.checks.push_back(*kind);
    }
  }
}

void read_dns(JsonReader& r, const json& root, Config& config) {
  if (!root.contains("dns")) {
    if (config.has_check(CheckKind::kDns))
      r.problem("dns", "missing; checks has dns, so give {\"server\": ..., \"zone\": ...}");
    return;
  }
  const json* dns = r.require(root, "dns", "dns", json::value_t::object,
                              "an object {\"server\": ..., \"zone\": ...}");
  if (!dns) return;
  r.reject_unknown(*dns, "dns.", {"server", "zone"});
  auto server = address(r, *dns, "server", "dns.server");
  auto zone = r.string(*dns, "zone", "dns.zone");
  if (zone && !zone->empty() && zone->back() == '.') zone->pop_back();
  if (zone && !is_zone(*zone)) {
    r.problem("dns.zone",
              fmt::format("'{}' is not a domain name; give one like example.net", *zone));
  } else if (server && zone) {
    config.dns = DnsCheck{*server, *zone};
  }
}

namespace {

void read_guard_peers(JsonReader& r, const json& guard, const Config& config, Guard& out) {
  const json* list = r.require(guard, "peers", "guard.peers", json::value_t::array,
                               "a non-empty list of {\"name\", \"address\"} objects, one per "
                               "other DNS site");
  if (!list) return;
  if (list->empty()) r.problem("guard.peers", "is empty; give every other DNS site");
  std::set<std::string> names;
  std::set<std::string> addresses;
  if (!out.address.empty()) addresses.insert(out.address);
  each_name_address(
      r, *list, "guard.peers", [&](const std::string& field, const auto& name, const auto& addr) {
        if (name && !is_name_word(*name)) {
          r.problem(
              field + ".name",
              fmt::format("'{}' is not a node name; use letters, digits, '_', '-', '.'", *name));
        } else if (name && *name == config.node) {
          r.problem(field + ".name",
                    fmt::format("'{}' is this node; list only the other sites", *name));
        } else if (name && !names.insert(*name).second) {
          r.problem(field + ".name",
                    fmt::format("'{}' is listed twice; list each peer once", *name));
        } else if (addr && !addresses.insert(*addr).second) {
          // Datagrams are checked against their sender's address: two sites sharing one could
          // speak for each other.
          r.problem(field + ".address",
                    fmt::format("'{}' is used twice (by this node or another peer); give each site "
                                "its own address",
                                *addr));
        } else if (name && addr) {
          out.peers.push_back({*name, *addr});
        }
      });
}

}  // namespace

void read_guard(JsonReader& r, const json& root, Config& config) {
  if (!root.contains("guard")) return;
  const json* guard = r.require(root, "guard", "guard", json::value_t::object,
                                "an object {\"min_sites\", \"port\", \"address\", \"peers\"}");
  if (!guard) return;
  r.reject_unknown(*guard, "guard.", {"min_sites", "port", "address", "peers"});
  size_t problems = r.problems().size();
  Guard out;
  auto min_sites = r.integer(*guard, "min_sites", "guard.min_sites", contracts::kGuardMinSites.min,
                             contracts::kGuardMinSites.max);
  if (auto port = r.integer(*guard, "port", "guard.port", 1, 65535))
    out.port = static_cast<uint16_t>(*port);
  if (auto addr = address(r, *guard, "address", "guard.address")) out.address = *addr;
  read_guard_peers(r, *guard, config, out);
  if (min_sites && guard->contains("peers") && size_t(*min_sites) > out.peers.size() &&
      r.problems().size() == problems) {
    r.problem("guard.min_sites",
              fmt::format("{} is more than the {} peer(s) listed; a site can see at most every "
                          "other site announcing, so give 1 to {}",
                          *min_sites, out.peers.size(), out.peers.size()));
  }
  if (min_sites) out.min_sites = static_cast<int>(*min_sites);
  if (r.problems().size() == problems) config.guard = std::move(out);
}

}  // namespace blastlab::healthd
