// Reading a change script and checking it against its topology. Like the topology reader it
// never stops at the first problem: every value is read, every reference resolved, and all
// diagnostics come back together, sorted by position.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "contracts/limits.hpp"
#include "controller/measure/metrics.hpp"
#include "controller/model/comparison.hpp"
#include "controller/model/draft.hpp"
#include "controller/model/units.hpp"
#include "controller/model/yaml_reader.hpp"
#include "controller/scenario/agent_commands.hpp"
#include "controller/scenario/reach_targets.hpp"
#include "controller/scenario/script.hpp"
#include "controller/scenario/selector.hpp"

namespace blastlab::scenario {
namespace {

using model::Diagnostics;
using model::MapReader;
using model::Value;

constexpr std::string_view kMaxCutMeaning = "the largest share of backbone links a change may cut";

const std::vector<std::string> kStepKinds = {"vtysh", "link",     "netem", "stop", "start",
                                             "wait",  "rollback", "audit", "gate"};
const std::vector<std::string> kWaitConditions = {"converged", "prefix-gone", "prefix-back",
                                                  "dns-failing", "dns-answering"};
class ScriptReader {
 public:
  ScriptReader(const model::Topology& topology, Diagnostics& diagnostics)
      : topology_(topology), diagnostics_(diagnostics) {}

  Script read(const Value& root);

 private:
  void read_probes(const Value& value, Script& script);
  void read_query(const Value& value, Script& script);
  void read_reach(const Value& value, Script& script);
  std::optional<ReachProbe> read_reach_probe(const Value& value);
  // A rate like 10 or 10/s within `allowed`; `what` says what is counted per second.
  std::optional<double> read_rate(const Value& value, contracts::Range<double> allowed,
                                  const std::string& allowed_text);
  void read_step(const Value& value, int index, Script& script);
  void read_vtysh(const Value& value, Step& step);
  void read_link(const Value& value, Step& step);
  void read_netem(const Value& value, Step& step);
  void read_wait(const Value& value, Step& step, const RouteProbes& routes);
  void read_audit(const Value& value, Step& step);
  void read_gate(const Value& value, Step& step);
  void check_rollbacks(Script& script);
  void check_audits(Script& script);
  void check_run_bound(const Script& script, const MapReader& top);
  // A prefix some node of the topology originates; otherwise reports it at `value`, with
  // what that means for the field (`consequence`), and returns false.
  bool require_announced(const model::Ipv4Prefix& prefix, const Value& value,
                         std::string_view consequence);
  // A prefix the routes probes watch, when they run; otherwise reports it and returns false.
  bool require_watched(const model::Ipv4Prefix& prefix, const Value& value,
                       const RouteProbes& routes);
  std::optional<Expectation> read_expectation(const Value& value);

  std::optional<Selector> read_selector(const Value& value);
  // A selection that may only name nodes of some roles ("routers", for vtysh).
  bool require_roles(const Selector& selector, const Value& value,
                     const std::vector<model::Role>& roles, std::string_view what);
  std::optional<Millis> read_millis(const Value& value);
  std::optional<std::pair<std::string, std::string>> read_between(const Value& value);
  bool check_endpoint(const std::string& end, const Value& value);

  const model::Topology& topology_;
  Diagnostics& diagnostics_;
  std::vector<Value> step_values_;
};

Script ScriptReader::read(const Value& root) {
  Script script;
  MapReader top(root, {"name", "description", "probes", "baseline", "observe", "steps", "expect"},
                diagnostics_);
  if (!top.is_map()) return script;
  if (const Value* v = top.find("name")) {
    if (auto name = model::read_name(*v, 63, "script names are kept short", diagnostics_))
      script.name = *name;
  } else {
    diagnostics_.error(root.mark, "name", "a script needs a `name`");
  }
  if (const Value* v = top.find("description")) {
    if (auto text = model::read_string(*v, diagnostics_)) script.description = *text;
  }
  if (const Value* v = top.find("baseline")) {
    if (auto d = read_millis(*v)) script.baseline = *d;
  }
  if (const Value* v = top.find("observe")) {
    if (auto d = read_millis(*v)) script.observe = *d;
  }
  read_probes(top.find("probes") ? *top.find("probes") : Value{YAML::Node(), root.mark, "probes"},
              script);
  if (const Value* v = top.find("steps")) {
    if (auto items = model::read_list(*v, diagnostics_)) {
      if (items->empty()) diagnostics_.error(v->mark, v->field, "a script needs at least one step");
      for (size_t i = 0; i < items->size(); ++i) read_step((*items)[i], int(i), script);
    }
  } else {
    diagnostics_.error(root.mark, "steps", "a script needs `steps`");
  }
  check_rollbacks(script);
  check_audits(script);
  check_run_bound(script, top);
  if (const Value* v = top.find("expect")) {
    if (auto items = model::read_list(*v, diagnostics_)) {
      for (const Value& item : *items) {
        if (auto e = read_expectation(item)) script.expect.push_back(std::move(*e));
      }
    }
  }
  return script;
}

std::optional<Millis> ScriptReader::read_millis(const Value& value) {
  auto d = model::read_duration(value, diagnostics_);
  if (!d) return std::nullopt;
  return std::chrono::duration_cast<Millis>(*d);
}

std::optional<Selector> ScriptReader::read_selector(const Value& value) {
  std::vector<Value> items;
  if (value.node.IsSequence()) {
    auto list = model::read_list(value, diagnostics_);
    if (!list) return std::nullopt;
    items = *list;
  } else {
    items.push_back(value);
  }
  if (items.empty()) {
    diagnostics_.error(value.mark, value.field, "an empty selection; name at least one node");
    return std::nullopt;
  }
  Selector selector;
  bool ok = true;
  for (const Value& item : items) {
    auto term = model::read_string(item, diagnostics_);
    if (!term) {
      ok = false;
      continue;
    }
    std::string error;
    auto nodes = resolve_term(topology_, *term, &error);
    if (!nodes) {
      diagnostics_.error(item.mark, item.field, error);
      ok = false;
      continue;
    }
    selector.terms.push_back(*term);
    for (auto& n : *nodes) {
      if (std::find(selector.nodes.begin(), selector.nodes.end(), n) == selector.nodes.end())
        selector.nodes.push_back(n);
    }
  }
  if (!ok) return std::nullopt;
  // Keep topology order whatever the order of the terms.
  std::vector<std::string> ordered;
  for (const auto& node : topology_.nodes) {
    if (std::find(selector.nodes.begin(), selector.nodes.end(), node.name) != selector.nodes.end())
      ordered.push_back(node.name);
  }
  selector.nodes = std::move(ordered);
  return selector;
}

bool ScriptReader::require_roles(const Selector& selector, const Value& value,
                                 const std::vector<model::Role>& roles, std::string_view what) {
  for (const auto& name : selector.nodes) {
    const model::Node* node = topology_.find_node(name);
    bool acts = std::any_of(roles.begin(), roles.end(),
                            [&](model::Role role) { return node->acts_as(role); });
    if (!acts) {
      diagnostics_.error(value.mark, value.field,
                         fmt::format("'{}' selects {}, which is {}; {} only", selector.text(), name,
                                     model::role_phrase(node->role), what));
      return false;
    }
  }
  return true;
}

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

void ScriptReader::read_step(const Value& value, int index, Script& script) {
  Step step;
  step.mark = value.mark;
  step.name = fmt::format("step-{}", index + 1);
  std::vector<std::string> allowed = {"name", "at", "after"};
  allowed.insert(allowed.end(), kStepKinds.begin(), kStepKinds.end());
  MapReader map(value, allowed, diagnostics_);
  if (!map.is_map()) return;
  if (const Value* v = map.find("name")) {
    if (auto name = model::read_name(*v, 63, "step names are kept short", diagnostics_)) {
      if (script.find_step(*name)) {
        diagnostics_.error(v->mark, v->field, fmt::format("duplicate step name '{}'", *name));
      }
      step.name = *name;
      step.named = true;
    }
  }
  if (const Value* v = map.find("at")) step.at = read_millis(*v);
  if (const Value* v = map.find("after")) {
    if (auto d = read_millis(*v)) step.after = *d;
  }
  if (map.find("at") && map.find("after")) {
    diagnostics_.error(map.find("after")->mark, map.find("after")->field,
                       "give `at` (from the start of the steps) or `after` (the previous "
                       "step), not both");
  }
  std::vector<const MapReader::Entry*> kinds;
  for (const auto& kind : kStepKinds) {
    if (const auto* e = map.find_entry(kind)) kinds.push_back(e);
  }
  std::string field = value.field;
  if (kinds.size() != 1) {
    diagnostics_.error(
        value.mark, field,
        kinds.empty()
            ? fmt::format("a step needs one action: {}", model::join_alternatives(kStepKinds))
            : fmt::format("a step does one thing; this one has both `{}` and `{}`", kinds[0]->key,
                          kinds[1]->key));
    script.steps.push_back(std::move(step));
    step_values_.push_back(value);
    return;
  }
  const auto& entry = *kinds.front();
  const Value& v = entry.value;
  if (entry.key == "vtysh") {
    step.kind = StepKind::kVtysh;
    read_vtysh(v, step);
  } else if (entry.key == "link") {
    step.kind = StepKind::kLink;
    read_link(v, step);
  } else if (entry.key == "netem") {
    step.kind = StepKind::kNetem;
    read_netem(v, step);
  } else if (entry.key == "stop" || entry.key == "start") {
    step.kind = entry.key == "stop" ? StepKind::kStop : StepKind::kStart;
    if (auto s = read_selector(v)) step.nodes = *s;
  } else if (entry.key == "wait") {
    step.kind = StepKind::kWait;
    read_wait(v, step, script.routes);
  } else if (entry.key == "audit") {
    step.kind = StepKind::kAudit;
    read_audit(v, step);
  } else if (entry.key == "gate") {
    step.kind = StepKind::kGate;
    read_gate(v, step);
  } else {
    step.kind = StepKind::kRollback;
    if (auto name = model::read_string(v, diagnostics_)) step.rollback = *name;
  }
  script.steps.push_back(std::move(step));
  step_values_.push_back(value);
}

void ScriptReader::read_vtysh(const Value& value, Step& step) {
  MapReader map(value, {"on", "config", "each-link"}, diagnostics_);
  if (!map.is_map()) return;
  const std::vector<model::Role> routers = {model::Role::kDatacenter, model::Role::kBackbone,
                                            model::Role::kEdge,       model::Role::kDns,
                                            model::Role::kPeer,       model::Role::kRouter};
  if (const Value* v = map.find("on")) {
    if (auto s = read_selector(*v)) {
      if (require_roles(*s, *v, routers, "nodes that run FRR take vtysh")) step.vtysh.on = *s;
    }
  } else {
    diagnostics_.error(value.mark, value.field + ".on",
                       "a vtysh step needs `on`: the routers to configure");
  }
  if (const Value* v = map.find("each-link")) step.vtysh.each_link = read_selector(*v);
  const Value* config = map.find("config");
  if (!config) {
    diagnostics_.error(value.mark, value.field + ".config",
                       "a vtysh step needs `config`: the configuration lines to apply");
    return;
  }
  std::vector<std::string> lines;
  if (config->node.IsSequence()) {
    if (auto items = model::read_list(*config, diagnostics_)) {
      for (const Value& item : *items) {
        if (auto line = model::read_string(item, diagnostics_)) lines.push_back(*line);
      }
    }
  } else if (auto text = model::read_string(*config, diagnostics_)) {
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  std::erase_if(
      lines, [](const std::string& l) { return l.find_first_not_of(" \t") == std::string::npos; });
  if (lines.empty()) {
    diagnostics_.error(config->mark, config->field, "no configuration lines");
    return;
  }
  // Names the template may use; anything else is a typo caught now, not on the router.
  std::vector<std::string> known = {"node", "asn", "router_id", "region"};
  if (step.vtysh.each_link) {
    for (const char* name : {"interface", "address", "peer", "peer_interface", "peer_address"})
      known.push_back(name);
  }
  for (const auto& line : lines) {
    for (size_t open = line.find("{{"); open != std::string::npos;
         open = line.find("{{", open + 2)) {
      size_t close = line.find("}}", open);
      std::string name = close == std::string::npos ? "" : line.substr(open + 2, close - open - 2);
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(' ') + 1);
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        diagnostics_.error(
            config->mark, config->field,
            close == std::string::npos
                ? fmt::format("'{}': `{{{{` without `}}}}`", line)
                : fmt::format("'{}': unknown template name '{}'{}; known: {}", line, name,
                              model::did_you_mean(name, known), model::join_alternatives(known)));
      }
    }
  }
  step.vtysh.config = std::move(lines);
}

std::optional<std::pair<std::string, std::string>> ScriptReader::read_between(const Value& value) {
  auto items = model::read_list(value, diagnostics_);
  if (!items) return std::nullopt;
  if (items->size() != 2) {
    diagnostics_.error(value.mark, value.field,
                       fmt::format("expected two ends [a, b], got {} item(s)", items->size()));
    return std::nullopt;
  }
  auto a = model::read_string((*items)[0], diagnostics_);
  auto b = model::read_string((*items)[1], diagnostics_);
  if (!a || !b) return std::nullopt;
  if (!check_endpoint(*a, (*items)[0]) || !check_endpoint(*b, (*items)[1])) return std::nullopt;
  auto node_of = [](const std::string& end) { return end.substr(0, end.find(':')); };
  auto ifname_of = [](const std::string& end) {
    auto colon = end.find(':');
    return colon == std::string::npos ? std::string() : end.substr(colon + 1);
  };
  for (const auto& link : topology_.links) {
    for (int flip = 0; flip < 2; ++flip) {
      const auto& x = flip ? link.b : link.a;
      const auto& y = flip ? link.a : link.b;
      if (x.node == node_of(*a) && y.node == node_of(*b) &&
          (ifname_of(*a).empty() || ifname_of(*a) == x.ifname) &&
          (ifname_of(*b).empty() || ifname_of(*b) == y.ifname))
        return std::pair(*a, *b);
    }
  }
  diagnostics_.error(value.mark, value.field,
                     fmt::format("no link between {} and {} in {}", *a, *b, topology_.file));
  return std::nullopt;
}

bool ScriptReader::check_endpoint(const std::string& end, const Value& value) {
  std::string node = end.substr(0, end.find(':'));
  if (!topology_.find_node(node)) {
    diagnostics_.error(value.mark, value.field,
                       fmt::format("no node named '{}' in {}", node, topology_.file));
    return false;
  }
  return true;
}

void ScriptReader::read_link(const Value& value, Step& step) {
  MapReader map(value, {"between", "state"}, diagnostics_);
  if (!map.is_map()) return;
  if (const Value* v = map.find("between")) {
    if (auto ends = read_between(*v)) std::tie(step.link.a, step.link.b) = *ends;
  } else {
    diagnostics_.error(value.mark, value.field + ".between", "a link step needs `between: [a, b]`");
  }
  if (const Value* v = map.find("state")) {
    if (auto s = model::read_string(*v, diagnostics_)) {
      if (*s != "up" && *s != "down")
        diagnostics_.error(v->mark, v->field, fmt::format("expected up or down, got '{}'", *s));
      step.link.up = *s == "up";
    }
  } else {
    diagnostics_.error(value.mark, value.field + ".state", "a link step needs `state: up|down`");
  }
}

void ScriptReader::read_netem(const Value& value, Step& step) {
  MapReader map(value, {"between", "delay", "jitter", "loss", "rate", "clear"}, diagnostics_);
  if (!map.is_map()) return;
  if (const Value* v = map.find("between")) {
    if (auto ends = read_between(*v)) std::tie(step.netem.a, step.netem.b) = *ends;
  } else {
    diagnostics_.error(value.mark, value.field + ".between",
                       "a netem step needs `between: [a, b]`");
  }
  auto& spec = step.netem.spec;
  if (const Value* v = map.find("delay")) {
    if (auto d = model::read_duration(*v, diagnostics_)) spec.delay = *d;
  }
  if (const Value* v = map.find("jitter")) {
    if (auto d = model::read_duration(*v, diagnostics_)) spec.jitter = *d;
  }
  if (const Value* v = map.find("loss")) {
    if (auto l = model::read_loss(*v, diagnostics_)) spec.loss_percent = *l;
  }
  if (const Value* v = map.find("rate")) {
    if (auto r = model::read_rate(*v, diagnostics_)) spec.rate_bits_per_second = *r;
  }
  bool clear = false;
  if (const Value* v = map.find("clear"))
    clear = model::read_bool(*v, diagnostics_).value_or(false);
  if (clear && !spec.empty()) {
    diagnostics_.error(map.find("clear")->mark, map.find("clear")->field,
                       "`clear: true` removes every impairment; give no other");
  } else if (!clear && spec.empty() && map.is_map()) {
    diagnostics_.error(value.mark, value.field,
                       "a netem step needs an impairment (delay, jitter, loss, rate) or "
                       "`clear: true`");
  }
  if (spec.jitter.count() && !spec.delay.count()) {
    diagnostics_.error(map.find("jitter")->mark, map.find("jitter")->field,
                       "jitter without delay; jitter varies a delay, so give `delay` too");
  }
}

void ScriptReader::read_wait(const Value& value, Step& step, const RouteProbes& routes) {
  MapReader map(value, {"until", "prefix", "at", "timeout", "queries"}, diagnostics_);
  if (!map.is_map()) return;
  auto& wait = step.wait;
  const Value* until = map.find("until");
  if (!until) {
    diagnostics_.error(
        value.mark, value.field + ".until",
        fmt::format("a wait needs `until`: {}", model::join_alternatives(kWaitConditions)));
    return;
  }
  auto text = model::read_string(*until, diagnostics_);
  if (!text) return;
  auto it = std::find(kWaitConditions.begin(), kWaitConditions.end(), *text);
  if (it == kWaitConditions.end()) {
    diagnostics_.error(until->mark, until->field,
                       fmt::format("unknown condition '{}'{}; conditions: {}", *text,
                                   model::did_you_mean(*text, kWaitConditions),
                                   model::join_alternatives(kWaitConditions)));
    return;
  }
  wait.until = static_cast<WaitUntil>(it - kWaitConditions.begin());
  if (const Value* v = map.find("timeout")) {
    if (auto d = read_millis(*v)) wait.timeout = *d;
  }
  bool on_prefix = wait.until == WaitUntil::kPrefixGone || wait.until == WaitUntil::kPrefixBack;
  bool on_dns = wait.until == WaitUntil::kDnsFailing || wait.until == WaitUntil::kDnsAnswering;
  const Value* prefix = map.find("prefix");
  if (on_prefix) {
    if (!prefix) {
      diagnostics_.error(value.mark, value.field + ".prefix",
                         fmt::format("`until: {}` needs `prefix`", *text));
    } else if (auto p = model::read_prefix(*prefix, false, diagnostics_)) {
      if (model::require_network(*p, *prefix, diagnostics_) &&
          require_announced(*p, *prefix, "prefix-gone would hold at once and prefix-back never") &&
          require_watched(*p, *prefix, routes))
        wait.prefix = p->str();
    }
  } else if (prefix) {
    diagnostics_.error(
        prefix->mark, prefix->field,
        fmt::format("`prefix` belongs to prefix-gone and prefix-back, not {}", *text));
  }
  const Value* at = map.find("at");
  if (on_prefix || on_dns) {
    if (at) {
      if (auto s = read_selector(*at)) {
        // Every node has a routing table to watch; only clients run the DNS probes.
        bool ok =
            !on_dns || require_roles(*s, *at, {model::Role::kClient}, "clients run the DNS probes");
        if (ok) wait.at = *s;
      }
    } else {
      model::Role role = on_dns ? model::Role::kClient : model::Role::kPeer;
      wait.at.terms.push_back(fmt::format("role:{}", model::to_string(role)));
      for (const auto& n : topology_.nodes)
        if (n.acts_as(role)) wait.at.nodes.push_back(n.name);
      if (wait.at.nodes.empty())
        diagnostics_.error(value.mark, value.field + ".at",
                           fmt::format("the topology has no {} node to wait at; give `at`",
                                       model::to_string(role)));
    }
  } else if (at) {
    diagnostics_.error(at->mark, at->field, "`at` belongs to prefix and dns conditions");
  }
  if (const Value* v = map.find("queries")) {
    if (!on_dns) {
      diagnostics_.error(v->mark, v->field, "`queries` belongs to dns-failing and dns-answering");
    } else if (auto n = model::read_int(*v, 1, 100, diagnostics_)) {
      wait.queries = int(*n);
    }
  }
}

// Every prefix a node of the topology originates, and so the only ones a router of the lab
// can hold: the anycast and operator prefixes, the nodes' loopbacks, the clients' networks
// and the links' prefixes.
std::vector<model::Ipv4Prefix> originated_prefixes(const model::Topology& topology) {
  std::vector<model::Ipv4Prefix> prefixes;
  if (topology.services.dns) {
    for (const auto& a : topology.services.dns->anycast) prefixes.push_back(a.prefix.network());
  }
  for (const auto& p : topology.services.prefixes) prefixes.push_back(p.prefix.network());
  for (const auto& node : topology.nodes) {
    if (node.loopback) prefixes.push_back(node.loopback->network());
    if (node.network) prefixes.push_back(node.network->network());
  }
  for (const auto& link : topology.links)
    if (link.a.address) prefixes.push_back(link.a.address->network());
  return prefixes;
}

bool ScriptReader::require_announced(const model::Ipv4Prefix& prefix, const Value& value,
                                     std::string_view consequence) {
  // The user's own routers announce what their configs say, which only FRR knows: there
  // the prefix is taken on trust, and a watched prefix absent when the run starts is
  // reported so by the run (routewatch's first dump), not refused here.
  bool user_routing = std::any_of(topology_.nodes.begin(), topology_.nodes.end(),
                                  [](const model::Node& n) { return n.frr || !n.exec.empty(); });
  if (user_routing) return true;
  auto lab = originated_prefixes(topology_);
  if (std::find(lab.begin(), lab.end(), prefix) != lab.end()) return true;
  std::vector<std::string> services;
  if (topology_.services.dns) {
    for (const auto& a : topology_.services.dns->anycast) services.push_back(a.prefix.str());
  }
  for (const auto& p : topology_.services.prefixes) services.push_back(p.prefix.str());
  diagnostics_.error(
      value.mark, value.field,
      fmt::format("no node of {} originates {}, so no router of the lab holds it: {}; give a "
                  "prefix the lab announces ({}a node's loopback, a client network or a link "
                  "prefix)",
                  topology_.file, prefix.str(), consequence,
                  services.empty() ? "" : fmt::format("{}, ", fmt::join(services, ", "))));
  return false;
}

bool ScriptReader::require_watched(const model::Ipv4Prefix& prefix, const Value& value,
                                   const RouteProbes& routes) {
  if (!routes.enabled || std::find(routes.prefixes.begin(), routes.prefixes.end(), prefix.str()) !=
                             routes.prefixes.end())
    return true;
  // The wait polls the routers itself, but the report sees routes only through the routes
  // probes: what the wait waits for would be missing from the run's metrics.
  diagnostics_.error(
      value.mark, value.field,
      fmt::format("the routes probes do not watch {} (they watch {}); add it to "
                  "probes.routes.prefixes so that the report measures what the "
                  "wait waits for",
                  prefix.str(),
                  routes.prefixes.empty() ? std::string("nothing")
                                          : fmt::format("{}", fmt::join(routes.prefixes, ", "))));
  return false;
}

// The agents a run starts stop on their own after the run's bound (agent_commands), which
// must be a --duration they take.
void ScriptReader::check_run_bound(const Script& script, const MapReader& top) {
  const Millis most = std::chrono::duration_cast<Millis>(contracts::kAgentDuration.max);
  auto report = [&](const Value& value, Millis bound, std::string_view what) {
    diagnostics_.error(
        value.mark, value.field,
        fmt::format("{} may last up to {} (baseline, observe and 60 s, each step's delay, wait "
                    "timeout and 30 s), more than the {} its probes may run; shorten it",
                    what, contracts::duration_text(bound), contracts::duration_text(most)));
  };
  Millis bound = run_bound_outside_steps(script);
  if (bound > most) {
    const Value* baseline = top.find("baseline");
    const Value* observe = top.find("observe");
    const Value* longer =
        !observe || (baseline && script.baseline > script.observe) ? baseline : observe;
    if (longer) report(*longer, bound, "the run");
    return;
  }
  for (size_t i = 0; i < script.steps.size(); ++i) {
    bound += run_bound_of_step(script.steps[i]);
    if (bound > most) {
      report(step_values_[i], bound, "with this step the run");
      return;
    }
  }
}

void ScriptReader::check_rollbacks(Script& script) {
  std::set<std::string> rolled_back;
  for (size_t i = 0; i < script.steps.size(); ++i) {
    Step& step = script.steps[i];
    if (step.kind != StepKind::kRollback || step.rollback.empty()) continue;
    Value field = step_values_[i];
    field.field += ".rollback";
    auto target = std::find_if(script.steps.begin(), script.steps.begin() + long(i),
                               [&](const Step& s) { return s.named && s.name == step.rollback; });
    if (target == script.steps.begin() + long(i)) {
      std::vector<std::string> names;
      for (size_t j = 0; j < i; ++j)
        if (script.steps[j].named) names.push_back(script.steps[j].name);
      diagnostics_.error(
          field.mark, field.field,
          fmt::format("no earlier step named '{}'{}{}", step.rollback,
                      model::did_you_mean(step.rollback, names),
                      names.empty() ? "; name the step to roll back with `name`" : ""));
      continue;
    }
    if (target->kind == StepKind::kWait || target->kind == StepKind::kRollback ||
        target->kind == StepKind::kStart || target->kind == StepKind::kAudit ||
        target->kind == StepKind::kGate) {
      diagnostics_.error(field.mark, field.field,
                         fmt::format("step '{}' is a {} step, which changes nothing to roll "
                                     "back; vtysh, link, netem and stop steps can be",
                                     step.rollback, to_string(target->kind)));
      continue;
    }
    if (!rolled_back.insert(step.rollback).second) {
      diagnostics_.error(field.mark, field.field,
                         fmt::format("step '{}' is already rolled back", step.rollback));
    }
  }
}

void ScriptReader::read_audit(const Value& value, Step& step) {
  MapReader map(value, {"change", "max-cut", "bug"}, diagnostics_);
  if (!map.is_map()) return;
  if (const Value* v = map.find("change")) {
    if (auto name = model::read_string(*v, diagnostics_)) step.audit.change = *name;
  } else {
    diagnostics_.error(value.mark, value.field + ".change",
                       "an audit needs `change`: the name of the vtysh step it checks");
  }
  if (const Value* v = map.find("max-cut")) {
    if (auto share = model::read_share(*v, kMaxCutMeaning, diagnostics_))
      step.audit.max_cut = *share;
  }
  if (const Value* v = map.find("bug"))
    step.audit.bug = model::read_bool(*v, diagnostics_).value_or(false);
}

void ScriptReader::read_gate(const Value& value, Step& step) {
  MapReader map(value, {"observe", "expect"}, diagnostics_);
  if (!map.is_map()) return;
  if (const Value* v = map.find("observe")) {
    if (auto d = read_millis(*v)) step.gate.observe = *d;
  }
  const Value* expect = map.find("expect");
  if (!expect) {
    diagnostics_.error(value.mark, value.field + ".expect",
                       "a gate needs `expect`: the limits that halt the rollout, like "
                       "`sites.withdrawn == 0`");
    return;
  }
  auto items = model::read_list(*expect, diagnostics_);
  if (!items) return;
  if (items->empty()) diagnostics_.error(expect->mark, expect->field, "a gate needs a limit");
  for (const Value& item : *items) {
    if (auto e = read_expectation(item)) step.gate.expect.push_back(std::move(*e));
  }
}

// An audit checks a later, named vtysh step: the change it stands before.
void ScriptReader::check_audits(Script& script) {
  for (size_t i = 0; i < script.steps.size(); ++i) {
    const Step& step = script.steps[i];
    if (step.kind != StepKind::kAudit || step.audit.change.empty()) continue;
    Value field = step_values_[i];
    field.field += ".audit.change";
    std::vector<std::string> later;
    const Step* target = nullptr;
    for (size_t j = i + 1; j < script.steps.size(); ++j) {
      if (!script.steps[j].named) continue;
      later.push_back(script.steps[j].name);
      if (script.steps[j].name == step.audit.change) target = &script.steps[j];
    }
    if (!target) {
      diagnostics_.error(
          field.mark, field.field,
          fmt::format("no later step named '{}'{}; an audit checks a change "
                      "that comes after it",
                      step.audit.change, model::did_you_mean(step.audit.change, later)));
    } else if (target->kind != StepKind::kVtysh) {
      diagnostics_.error(field.mark, field.field,
                         fmt::format("step '{}' is a {} step; an audit checks vtysh changes",
                                     step.audit.change, to_string(target->kind)));
    }
  }
}

std::optional<Expectation> ScriptReader::read_expectation(const Value& value) {
  auto text = model::read_string(value, diagnostics_);
  if (!text) return std::nullopt;
  std::string error;
  auto e = parse_expectation(*text, &error);
  if (!e) {
    diagnostics_.error(value.mark, value.field, error);
    return std::nullopt;
  }
  e->mark = value.mark;
  return e;
}

}  // namespace

std::string Selector::text() const {
  std::string out;
  for (const auto& t : terms) out += (out.empty() ? "" : ", ") + t;
  return out;
}

std::string_view to_string(StepKind kind) {
  return kStepKinds[static_cast<size_t>(kind)];
}

std::string_view to_string(WaitUntil until) {
  return kWaitConditions[static_cast<size_t>(until)];
}

std::optional<Expectation> parse_expectation(const std::string& text, std::string* error) {
  auto c =
      model::split_comparison(text, measure::scalar_metric_names(), "`METRIC OP NUMBER`", error);
  if (!c) return std::nullopt;
  auto value = model::parse_number(c->operand);
  if (!value) {
    *error = fmt::format("'{}': expected a number after {}, got '{}'", text, c->op, c->operand);
    return std::nullopt;
  }
  return Expectation{.text = text, .metric = c->metric, .op = c->op, .value = *value};
}

bool Expectation::holds(double measured) const {
  return model::compare(op, measured, value);
}

const Step* Script::find_step(std::string_view step_name) const {
  for (const auto& step : steps)
    if (step.named && step.name == step_name) return &step;
  return nullptr;
}

ScriptLoadResult load_script_text(std::string_view text, const std::string& file_name,
                                  const model::Topology& topology) {
  Diagnostics diagnostics(file_name);
  auto root = model::parse_document(
      text, "file is empty; a script needs at least `name` and `steps`", diagnostics);
  if (!root) return {std::nullopt, diagnostics.take_sorted()};
  ScriptReader reader(topology, diagnostics);
  Script script = reader.read({*root, model::mark_of(*root), ""});
  if (!diagnostics.empty()) return {std::nullopt, diagnostics.take_sorted()};
  script.file = file_name;
  return {std::move(script), {}};
}

ScriptLoadResult load_script_file(const std::string& path, const model::Topology& topology) {
  std::vector<model::Diagnostic> errors;
  auto text = model::read_input_file(path, errors);
  if (!text) return {std::nullopt, errors};
  return load_script_text(*text, path, topology);
}

}  // namespace blastlab::scenario
