// Reading `services`: the anycast DNS service with its health checks, and the operator's
// other prefixes.
#include <fmt/format.h>

#include <algorithm>

#include "contracts/limits.hpp"
#include "controller/model/draft.hpp"

namespace blastlab::model {

namespace {

const std::vector<std::string> kActions = {"withdraw", "degrade", "fail-static"};
const std::vector<std::string> kChecks = {"tcp", "icmp", "dns", "http"};

AnycastPrefix default_anycast() {
  return {
      *Ipv4Prefix::parse("198.51.100.0/26"), {{"ns1", *Ipv4Address::parse("198.51.100.53")}}, {}};
}

bool is_dns_label(std::string_view label) {
  if (label.empty() || label.size() > contracts::kMaxDnsLabelLength || label.front() == '-' ||
      label.back() == '-') {
    return false;
  }
  return std::all_of(label.begin(), label.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

void read_nameservers(const Value& value, AnycastPrefix& anycast, Diagnostics& diagnostics) {
  MapReader map(value, {}, diagnostics, "nameserver");
  if (map.is_map() && map.entries().empty()) {
    diagnostics.error(value.mark, value.field,
                      "no nameservers; give at least one, e.g. `a.ns: 198.51.100.12`");
  }
  for (const auto& entry : map.entries()) {
    if (!is_dns_name(entry.key)) {
      diagnostics.error(entry.key_mark, entry.value.field,
                        fmt::format("nameserver name '{}' is not a valid DNS name (labels of "
                                    "letters, digits and '-', relative to the zone)",
                                    entry.key));
      continue;
    }
    auto text = read_string(entry.value, diagnostics);
    if (!text) continue;
    auto address = Ipv4Address::parse(*text);
    if (!address) {
      diagnostics.error(entry.value.mark, entry.value.field,
                        fmt::format("expected an IPv4 address (a.b.c.d), got '{}'", *text));
      continue;
    }
    if (!anycast.prefix.contains(*address)) {
      diagnostics.error(entry.value.mark, entry.value.field,
                        fmt::format("nameserver {} at {} is outside its anycast prefix {}; the "
                                    "address must be inside it",
                                    entry.key, *text, anycast.prefix.str()));
      continue;
    }
    // Each address is put on the DNS hosts' loopback, served by NSD and counted by querywatch
    // once: a second name on it would fail all three.
    auto same = std::find_if(anycast.nameservers.begin(), anycast.nameservers.end(),
                             [&](const NameServer& ns) { return ns.address == *address; });
    if (same != anycast.nameservers.end()) {
      diagnostics.error(entry.value.mark, entry.value.field,
                        fmt::format("nameserver {} at {} has the address of {}; give each name "
                                    "server an address of its own",
                                    entry.key, *text, same->name));
      continue;
    }
    anycast.nameservers.push_back({entry.key, *address});
  }
}

void read_anycast(const Value& value, Draft& draft, DnsService& dns, Diagnostics& diagnostics) {
  auto items = read_list(value, diagnostics);
  if (!items) return;
  if (items->empty()) {
    diagnostics.error(value.mark, value.field,
                      "no anycast prefixes; give at least one, or leave `anycast` out for the "
                      "default 198.51.100.0/26");
  }
  for (const Value& item : *items) {
    MapReader map(item, {"prefix", "nameservers"}, diagnostics);
    if (!map.is_map()) continue;
    const Value* prefix_value = map.find("prefix");
    if (!prefix_value) {
      diagnostics.error(item.mark, item.field + ".prefix", "an anycast entry needs `prefix`");
      continue;
    }
    auto prefix = read_prefix(*prefix_value, false, diagnostics);
    if (!prefix || !require_network(*prefix, *prefix_value, diagnostics) ||
        !require_lab_range(*prefix, *prefix_value, diagnostics)) {
      continue;
    }
    AnycastPrefix anycast{*prefix, {}, item.mark};
    if (const Value* v = map.find("nameservers")) {
      read_nameservers(*v, anycast, diagnostics);
    } else {
      diagnostics.error(item.mark, item.field + ".nameservers",
                        "an anycast entry needs `nameservers`: a map of name to address");
    }
    dns.anycast.push_back(std::move(anycast));
    draft.anycast.push_back(*prefix_value);
  }
}

// rise, fall, min-sites: counts healthd takes within its limits.
std::optional<int> read_health_count(const Value& value, contracts::Range<int> allowed,
                                     Diagnostics& diagnostics) {
  auto n = read_int(value, allowed.min, allowed.max, diagnostics);
  return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
}

// The checks of a health section, each one of kChecks and each once, in place of `checks`.
void read_checks(const Value& value, std::vector<std::string>& checks, Diagnostics& diagnostics) {
  auto items = read_list(value, diagnostics);
  if (!items) return;
  checks.clear();
  if (items->empty()) {
    diagnostics.error(
        value.mark, value.field,
        fmt::format("no checks; give at least one of {}", join_alternatives(kChecks)));
  }
  for (const Value& item : *items) {
    auto check = read_string(item, diagnostics);
    if (!check) continue;
    if (std::find(kChecks.begin(), kChecks.end(), *check) == kChecks.end()) {
      diagnostics.error(item.mark, item.field,
                        fmt::format("unknown check '{}'{}; allowed: {}", *check,
                                    did_you_mean(*check, kChecks), join_alternatives(kChecks)));
    } else if (std::find(checks.begin(), checks.end(), *check) != checks.end()) {
      diagnostics.error(item.mark, item.field,
                        fmt::format("check '{}' is listed twice; list each once", *check));
    } else {
      checks.push_back(*check);
    }
  }
}

// The target names of a health section, each once, with their items for validate_topology,
// which checks what they name. `empty` is the message for an empty list. Returns whether
// the value was a list.
bool read_targets(const Value& value, std::string_view empty, std::vector<std::string>& targets,
                  std::vector<Value>& items, Diagnostics& diagnostics) {
  auto list = read_list(value, diagnostics);
  if (!list) return false;
  if (list->empty()) diagnostics.error(value.mark, value.field, std::string(empty));
  for (const Value& item : *list) {
    auto target = read_string(item, diagnostics);
    if (!target) continue;
    // healthd keeps one rise/fall machine per target name.
    if (std::find(targets.begin(), targets.end(), *target) != targets.end()) {
      diagnostics.error(item.mark, item.field,
                        fmt::format("target '{}' is listed twice; list each once", *target));
      continue;
    }
    targets.push_back(*target);
    items.push_back(item);
  }
  return true;
}

void read_health(const Value& value, Draft& draft, HealthCheck& health, Diagnostics& diagnostics) {
  MapReader map(
      value,
      {"interval", "timeout", "rise", "fall", "action", "checks", "port", "targets", "min-sites"},
      diagnostics);
  health.mark = value.mark;
  const contracts::Range<std::chrono::microseconds> period{contracts::kHealthPeriod.min,
                                                           contracts::kHealthPeriod.max};
  if (const Value* v = map.find("interval")) {
    if (auto d = read_agent_millis(*v, period, diagnostics)) health.interval = *d;
  }
  if (const Value* v = map.find("timeout")) {
    if (auto d = read_agent_millis(*v, period, diagnostics)) health.timeout = *d;
  }
  if (!contracts::health_timeout_fits(health.timeout, health.interval)) {
    const Value* v = map.find("timeout") ? map.find("timeout") : map.find("interval");
    diagnostics.error(v->mark, v->field,
                      fmt::format("timeout {}ms must be shorter than interval {}ms, or checks "
                                  "would overlap",
                                  health.timeout.count(), health.interval.count()));
  }
  if (const Value* v = map.find("rise")) {
    if (auto n = read_health_count(*v, contracts::kHealthRounds, diagnostics)) health.rise = *n;
  }
  if (const Value* v = map.find("fall")) {
    if (auto n = read_health_count(*v, contracts::kHealthRounds, diagnostics)) health.fall = *n;
  }
  if (const Value* v = map.find("action")) {
    if (auto text = read_string(*v, diagnostics)) {
      if (*text == "withdraw") {
        health.action = HealthAction::kWithdraw;
      } else if (*text == "degrade") {
        health.action = HealthAction::kDegrade;
      } else if (*text == "fail-static") {
        health.action = HealthAction::kFailStatic;
      } else {
        diagnostics.error(v->mark, v->field,
                          fmt::format("unknown action '{}'{}; allowed: {}", *text,
                                      did_you_mean(*text, kActions), join_alternatives(kActions)));
      }
    }
  }
  if (const Value* v = map.find("checks")) read_checks(*v, health.checks, diagnostics);
  if (const Value* v = map.find("port")) {
    if (auto port = read_int(*v, 1, 65535, diagnostics)) health.port = static_cast<uint16_t>(*port);
  }
  // At most the number of dns nodes - 1, checked by validate_services once every node is known.
  if (const Value* v = map.find("min-sites")) {
    // 0 turns the guard off; healthd is then given none.
    if (auto n = read_health_count(*v, {0, contracts::kGuardMinSites.max}, diagnostics))
      health.min_sites = *n;
  }
  if (const Value* v = map.find("targets")) {
    if (read_targets(*v,
                     "no targets; list datacenter nodes, or leave `targets` out to probe "
                     "every datacenter node",
                     health.targets, draft.target_items, diagnostics)) {
      draft.targets = *v;
    }
  }
}

void read_dns(const Value& value, Draft& draft, Diagnostics& diagnostics) {
  MapReader map(value, {"zone", "ttl", "anycast", "health"}, diagnostics);
  DnsService dns;
  dns.mark = value.mark;
  draft.dns = value;
  if (const Value* v = map.find("zone")) {
    if (auto zone = read_string(*v, diagnostics)) {
      if (!is_dns_name(*zone)) {
        diagnostics.error(v->mark, v->field,
                          fmt::format("zone '{}' is not a valid DNS name; expected labels of "
                                      "letters, digits and '-' separated by dots",
                                      *zone));
      } else if (zone->size() > contracts::kMaxProbeZoneLength) {
        diagnostics.error(v->mark, v->field,
                          fmt::format("zone '{}' has {} characters; give at most {}, so that the "
                                      "probes' names under probe.ZONE fit a DNS name",
                                      *zone, zone->size(), contracts::kMaxProbeZoneLength));
      } else {
        dns.zone = *zone;
      }
    }
  }
  if (const Value* v = map.find("ttl")) {
    if (auto ttl = read_int(*v, 0, 2147483647, diagnostics)) dns.ttl = static_cast<uint32_t>(*ttl);
  }
  if (const Value* v = map.find("anycast")) {
    read_anycast(*v, draft, dns, diagnostics);
  } else {
    dns.anycast.push_back(default_anycast());
    draft.anycast.push_back({YAML::Node(), value.mark, value.field + ".anycast"});
  }
  if (const Value* v = map.find("health")) read_health(*v, draft, dns.health, diagnostics);
  draft.topology.services.dns = std::move(dns);
}

void read_prefixes(const Value& value, Draft& draft, Diagnostics& diagnostics) {
  for (const Value& item : read_list(value, diagnostics).value_or(std::vector<Value>{})) {
    MapReader map(item, {"prefix", "covering", "from"}, diagnostics);
    if (!map.is_map()) continue;
    OperatorPrefix prefix;
    prefix.mark = item.mark;
    std::vector<Value> from_items;
    if (const Value* v = map.find("prefix")) {
      auto p = read_prefix(*v, false, diagnostics);
      if (p && require_network(*p, *v, diagnostics) && require_lab_range(*p, *v, diagnostics)) {
        prefix.prefix = *p;
      }
    } else {
      diagnostics.error(item.mark, item.field + ".prefix", "an operator prefix needs `prefix`");
    }
    if (const Value* v = map.find("covering")) {
      prefix.covering = read_bool(*v, diagnostics).value_or(false);
    }
    if (const Value* v = map.find("from")) {
      for (const Value& node : read_list(*v, diagnostics).value_or(std::vector<Value>{})) {
        if (auto name = read_string(node, diagnostics)) {
          prefix.from.push_back(*name);
          from_items.push_back(node);
        }
      }
    }
    draft.topology.services.prefixes.push_back(std::move(prefix));
    draft.prefix_from.push_back(std::move(from_items));
  }
}

}  // namespace

bool is_dns_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty() || name.size() > contracts::kMaxDnsNameLength) return false;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    if (!is_dns_label(name.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

void read_node_health(const Value& value, Node& node, NodeDraft& draft, Diagnostics& diagnostics) {
  MapReader map(value, {"targets", "checks"}, diagnostics);
  if (!map.is_map()) return;
  HealthOverride health;
  health.mark = value.mark;
  if (value.node.size() == 0) {
    diagnostics.error(value.mark, value.field,
                      "empty; give `targets`, `checks` or both, or leave `health` out for "
                      "services.dns.health's");
  }
  if (const Value* v = map.find("targets")) {
    read_targets(*v,
                 "no targets; list the nodes this DNS host probes, or leave `targets` out for "
                 "services.dns.health's",
                 health.targets, draft.health_targets, diagnostics);
  }
  if (const Value* v = map.find("checks")) read_checks(*v, health.checks, diagnostics);
  node.health = std::move(health);
}

void read_services(const Value& value, Draft& draft, Diagnostics& diagnostics) {
  MapReader map(value, {"dns", "prefixes"}, diagnostics);
  if (const Value* v = map.find("dns")) read_dns(*v, draft, diagnostics);
  if (const Value* v = map.find("prefixes")) read_prefixes(*v, draft, diagnostics);
}

void add_implicit_dns(Draft& draft) {
  DnsService dns;
  dns.anycast.push_back(default_anycast());
  draft.anycast.push_back({YAML::Node(), {}, "services.dns.anycast"});
  draft.topology.services.dns = std::move(dns);
}

}  // namespace blastlab::model
