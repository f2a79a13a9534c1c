// Reading a change script's steps: the actions, their selections and the checks across
// steps (rollbacks name an earlier change, audits a later vtysh step). A drill's faults are
// read with the same code.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "controller/model/comparison.hpp"
#include "controller/model/draft.hpp"
#include "controller/model/units.hpp"
#include "controller/scenario/script_reader.hpp"
#include "controller/scenario/selector.hpp"

namespace blastlab::scenario {

using model::Diagnostics;
using model::MapReader;
using model::Value;

namespace {

constexpr std::string_view kMaxCutMeaning = "the largest share of backbone links a change may cut";

const std::vector<std::string> kStepKinds = {"vtysh", "link",     "netem", "stop", "start",
                                             "wait",  "rollback", "audit", "gate"};
const std::vector<std::string> kWaitConditions = {"converged", "prefix-gone", "prefix-back",
                                                  "dns-failing", "dns-answering"};

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

}  // namespace

void ScriptReader::read_steps(const Value& value, Script& script, std::string_view empty_message) {
  step_values_.clear();
  if (auto items = model::read_list(value, diagnostics_)) {
    if (items->empty()) diagnostics_.error(value.mark, value.field, std::string(empty_message));
    for (size_t i = 0; i < items->size(); ++i) read_step((*items)[i], int(i), script);
  }
  check_rollbacks(script);
  check_audits(script);
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

}  // namespace blastlab::scenario
