// Reading a change script's `probes`: DNS probes, the routes watched and the reachability
// probes, with their defaults. A drill's probes are read with the same code.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "contracts/limits.hpp"
#include "controller/model/draft.hpp"
#include "controller/model/units.hpp"
#include "controller/scenario/reach_targets.hpp"
#include "controller/scenario/script_reader.hpp"

namespace blastlab::scenario {

using model::Diagnostics;
using model::MapReader;
using model::Value;

void ScriptReader::read_probes(const Value& value, Script& script) {
  auto all_of = [&](model::Role role) {
    Selector s;
    s.terms.push_back(fmt::format("role:{}", model::to_string(role)));
    for (const auto& n : topology_.nodes)
      if (n.acts_as(role)) s.nodes.push_back(n.name);
    return s;
  };
  script.dns.clients = all_of(model::Role::kClient);
  script.routes.at = all_of(model::Role::kPeer);
  std::optional<Value> prefixes_value;
  if (value.node.IsDefined() && !value.node.IsNull()) {
    MapReader probes(value, {"dns", "routes", "reach"}, diagnostics_);
    if (const Value* v = probes.find("reach")) read_reach(*v, script);
    if (const Value* v = probes.find("dns")) {
      if (v->node.IsScalar() && v->node.Scalar() == "false") {
        script.dns.enabled = false;
      } else {
        MapReader dns(*v, {"rate", "timeout", "query", "targets", "clients"}, diagnostics_);
        if (const Value* r = dns.find("rate")) {
          if (auto rate = read_rate(*r, contracts::kProbeRate, contracts::probe_rate_text()))
            script.dns.rate = *rate;
        }
        if (const Value* t = dns.find("timeout")) {
          if (auto d = model::read_agent_millis(*t, contracts::kProbeTimeout, diagnostics_))
            script.dns.timeout = *d;
        }
        if (const Value* q = dns.find("query")) read_query(*q, script);
        if (const Value* t = dns.find("targets")) {
          if (auto items = model::read_list(*t, diagnostics_)) {
            script.dns.targets.clear();
            if (items->empty()) {
              diagnostics_.error(t->mark, t->field,
                                 "no targets; give resolver, anycast or both (`dns: false` "
                                 "runs no DNS probe)");
            }
            for (const Value& item : *items) {
              auto name = model::read_string(item, diagnostics_);
              if (!name) continue;
              if (std::find(script.dns.targets.begin(), script.dns.targets.end(), *name) !=
                  script.dns.targets.end()) {
                diagnostics_.error(
                    item.mark, item.field,
                    fmt::format("target '{}' is listed twice; list each once", *name));
                continue;
              }
              if (*name != "resolver" && *name != "anycast") {
                diagnostics_.error(item.mark, item.field,
                                   fmt::format("unknown DNS probe target '{}'; targets are "
                                               "resolver (the client's unbound) and anycast (the "
                                               "first name server address)",
                                               *name));
                continue;
              }
              script.dns.targets.push_back(*name);
            }
            if (script.dns.targets.empty() && !items->empty()) script.dns.targets = {"resolver"};
          }
        }
        if (const Value* c = dns.find("clients")) {
          if (auto s = read_selector(*c)) {
            if (require_roles(*s, *c, {model::Role::kClient}, "client nodes probe DNS"))
              script.dns.clients = *s;
          }
        }
      }
    }
    if (const Value* v = probes.find("routes")) {
      if (v->node.IsScalar() && v->node.Scalar() == "false") {
        script.routes.enabled = false;
      } else {
        MapReader routes(*v, {"at", "prefixes"}, diagnostics_);
        // Any node has a routing table: routers, DNS hosts and clients (whose default route
        // is all they hold) alike.
        if (const Value* a = routes.find("at")) {
          if (auto s = read_selector(*a)) script.routes.at = *s;
        }
        if (const Value* p = routes.find("prefixes")) prefixes_value = *p;
      }
    }
  }
  // Which prefixes to watch: kinds (anycast, covering, operator) or prefixes.
  auto add_prefix = [&](const std::string& prefix, const std::string& kind) {
    if (std::find(script.routes.prefixes.begin(), script.routes.prefixes.end(), prefix) !=
        script.routes.prefixes.end())
      return;
    script.routes.prefixes.push_back(prefix);
    script.routes.kinds.push_back(kind);
  };
  auto add_kind = [&](const std::string& kind) {
    if (kind == "anycast" && topology_.services.dns) {
      for (const auto& a : topology_.services.dns->anycast) add_prefix(a.prefix.str(), "anycast");
    }
    for (const auto& p : topology_.services.prefixes) {
      std::string k = p.covering ? "covering" : "operator";
      if (kind == k || (kind == "operator" && p.covering)) add_prefix(p.prefix.str(), k);
    }
  };
  if (!prefixes_value) {
    add_kind("anycast");
    add_kind("operator");
    return;
  }
  auto items = model::read_list(*prefixes_value, diagnostics_);
  if (!items) return;
  for (const Value& item : *items) {
    auto text = model::read_string(item, diagnostics_);
    if (!text) continue;
    if (*text == "anycast" || *text == "covering" || *text == "operator") {
      add_kind(*text);
      continue;
    }
    auto prefix = model::read_prefix(item, false, diagnostics_);
    if (!prefix) continue;
    if (!model::require_network(*prefix, item, diagnostics_)) continue;
    if (!require_announced(*prefix, item, "routewatch would report it absent from the start"))
      continue;
    std::string kind = "other";
    if (topology_.services.dns) {
      for (const auto& a : topology_.services.dns->anycast)
        if (a.prefix.network() == *prefix) kind = "anycast";
    }
    for (const auto& p : topology_.services.prefixes)
      if (p.prefix.network() == *prefix) kind = p.covering ? "covering" : "operator";
    add_prefix(prefix->str(), kind);
  }
}

std::optional<double> ScriptReader::read_rate(const Value& value, contracts::Range<double> allowed,
                                              const std::string& allowed_text) {
  auto text = model::read_string(value, diagnostics_);
  if (!text) return std::nullopt;
  std::string t = *text;
  if (t.ends_with("/s")) t.resize(t.size() - 2);
  double rate = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), rate);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !allowed.contains(rate)) {
    diagnostics_.error(
        value.mark, value.field,
        fmt::format("expected a rate like 10 or 10/s, {}; got '{}'", allowed_text, *text));
    return std::nullopt;
  }
  return rate;
}

// `probes.reach`: a list of probes, each from a selection of nodes to nodes or addresses.
// One reachprobe runs on each source node, so the entries that share a source must agree on
// its rate and timeout, and a source has at most the agent's number of targets.
void ScriptReader::read_reach(const Value& value, Script& script) {
  if (value.node.IsScalar() && value.node.Scalar() == "false") return;
  auto items = model::read_list(value, diagnostics_);
  if (!items) return;
  struct Source {
    double rate;
    Millis timeout;
    std::set<std::string> targets;
  };
  std::map<std::string, Source> sources;
  for (const Value& item : *items) {
    auto probe = read_reach_probe(item);
    if (!probe) continue;
    bool ok = true;
    for (const auto& node : probe->from.nodes) {
      auto [it, added] = sources.try_emplace(node, Source{probe->rate, probe->timeout, {}});
      if (!added && (it->second.rate != probe->rate || it->second.timeout != probe->timeout)) {
        diagnostics_.error(
            item.mark, item.field,
            fmt::format("{} already probes at {}/s with timeout {} in an earlier entry; one "
                        "reachprobe runs per source node: give its entries the same rate and "
                        "timeout",
                        node, it->second.rate, contracts::duration_text(it->second.timeout)));
        ok = false;
        break;
      }
      for (const auto& target : probe->to) {
        if (target.name == node) continue;
        it->second.targets.insert(probe->proto + ":" + std::to_string(probe->port) + ":" +
                                  target.name);
      }
      if (it->second.targets.size() > contracts::kMaxReachTargets) {
        diagnostics_.error(
            item.mark, item.field,
            fmt::format("{} would probe {} targets; a source node probes at most "
                        "{}",
                        node, it->second.targets.size(), contracts::kMaxReachTargets));
        ok = false;
        break;
      }
    }
    if (ok) script.reach.push_back(std::move(*probe));
  }
}

std::optional<ReachProbe> ScriptReader::read_reach_probe(const Value& value) {
  MapReader map(value, {"from", "to", "proto", "port", "rate", "timeout"}, diagnostics_);
  if (!map.is_map()) return std::nullopt;
  ReachProbe probe;
  probe.mark = value.mark;
  bool ok = true;
  if (const Value* v = map.find("from")) {
    if (auto s = read_selector(*v)) {
      probe.from = *s;
    } else {
      ok = false;
    }
  } else {
    diagnostics_.error(value.mark, value.field + ".from",
                       "a reach probe needs `from`: the nodes it probes from");
    ok = false;
  }
  if (const Value* v = map.find("proto")) {
    auto proto = model::read_string(*v, diagnostics_);
    if (proto && (*proto == "icmp" || *proto == "tcp")) {
      probe.proto = *proto;
    } else {
      if (proto)
        diagnostics_.error(v->mark, v->field,
                           fmt::format("unknown protocol '{}'; give icmp (echo) or tcp (a "
                                       "connection to `port`)",
                                       *proto));
      ok = false;
    }
  }
  if (const Value* v = map.find("port")) {
    if (probe.proto != "tcp") {
      diagnostics_.error(v->mark, v->field, "`port` belongs to tcp probes (`proto: tcp`)");
      ok = false;
    } else if (auto port = model::read_int(*v, 1, 65535, diagnostics_)) {
      probe.port = static_cast<uint16_t>(*port);
    } else {
      ok = false;
    }
  } else if (probe.proto == "tcp") {
    diagnostics_.error(value.mark, value.field + ".port",
                       "a tcp probe needs `port`: the port it connects to");
    ok = false;
  }
  if (const Value* v = map.find("rate")) {
    if (auto rate = read_rate(*v, contracts::kReachRate, contracts::reach_rate_text())) {
      probe.rate = *rate;
    } else {
      ok = false;
    }
  }
  if (const Value* v = map.find("timeout")) {
    if (auto d = model::read_agent_millis(*v, contracts::kReachTimeout, diagnostics_)) {
      probe.timeout = *d;
    } else {
      ok = false;
    }
  }
  const Value* to = map.find("to");
  if (!to) {
    diagnostics_.error(value.mark, value.field + ".to",
                       "a reach probe needs `to`: nodes (names, globs, role:, tag:) or "
                       "addresses of the lab");
    return std::nullopt;
  }
  std::vector<Value> items;
  if (to->node.IsSequence()) {
    auto list = model::read_list(*to, diagnostics_);
    if (!list) return std::nullopt;
    items = *list;
  } else {
    items.push_back(*to);
  }
  if (items.empty()) {
    diagnostics_.error(to->mark, to->field, "an empty selection; name at least one target");
    return std::nullopt;
  }
  auto add = [&](ReachTarget target) {
    for (const auto& t : probe.to)
      if (t.name == target.name) return;
    probe.to.push_back(std::move(target));
  };
  for (const Value& item : items) {
    auto text = model::read_string(item, diagnostics_);
    if (!text) {
      ok = false;
      continue;
    }
    if (auto address = model::Ipv4Address::parse(*text)) {
      if (!model::is_lab_range({*address, 32})) {
        diagnostics_.error(item.mark, item.field,
                           fmt::format("{} is outside the lab; probes go only to the lab's "
                                       "ranges 198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24 and "
                                       "203.0.113.0/24",
                                       *text));
        ok = false;
        continue;
      }
      if (holders_of(topology_, *address).empty()) {
        diagnostics_.error(item.mark, item.field,
                           fmt::format("no node of {} has {} (as a loopback, client network, "
                                       "link or name-server address), so nothing would answer "
                                       "it; give an address of the lab or a node",
                                       topology_.file, address->str()));
        ok = false;
        continue;
      }
      add({address->str(), false, address->str()});
      continue;
    }
    auto selected = read_selector(item);
    if (!selected) {
      ok = false;
      continue;
    }
    for (const auto& name : selected->nodes) {
      auto address = model_probe_address(*topology_.find_node(name));
      add({name, true, address ? address->str() : std::string()});
    }
  }
  if (ok && !probe.from.nodes.empty()) {
    bool some_pair =
        std::any_of(probe.from.nodes.begin(), probe.from.nodes.end(), [&](const std::string& from) {
          return std::any_of(probe.to.begin(), probe.to.end(),
                             [&](const ReachTarget& t) { return t.name != from; });
        });
    if (!some_pair) {
      diagnostics_.error(to->mark, to->field,
                         "every target is its own source; a node does not probe itself");
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return probe;
}

// dnsprobe asks `unique` names or this one under the zone, which must make a DNS name. One
// with a trailing dot would be asked as it is, outside the zone the lab serves.
void ScriptReader::read_query(const Value& value, Script& script) {
  auto text = model::read_string(value, diagnostics_);
  if (!text) return;
  if (*text == "unique") {
    script.dns.query = *text;
    return;
  }
  if (!model::is_dns_name(*text) || text->back() == '.') {
    diagnostics_.error(value.mark, value.field,
                       fmt::format("expected `unique` (a new name per query, which no cache "
                                   "answers) or a name in the zone like www, without a trailing "
                                   "dot; got '{}'",
                                   *text));
    return;
  }
  if (topology_.services.dns) {
    std::string name = contracts::probe_query_name(*text, topology_.services.dns->zone);
    if (name.size() > contracts::kMaxDnsNameLength) {
      diagnostics_.error(value.mark, value.field,
                         fmt::format("'{}' in the zone makes {}, {} characters; a DNS name has "
                                     "at most {}",
                                     *text, name, name.size(), contracts::kMaxDnsNameLength));
      return;
    }
  }
  script.dns.query = *text;
}

}  // namespace blastlab::scenario
