// Reading a drill file and checking it against its topology. Like the script reader it
// never stops at the first problem; the probes and the faults' steps are read by the
// script's own reader, so they take the same values and give the same errors as a script.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "contracts/limits.hpp"
#include "controller/drill/drill.hpp"
#include "controller/model/draft.hpp"
#include "controller/model/yaml_reader.hpp"
#include "controller/model/yaml_set.hpp"
#include "controller/scenario/script_reader.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::drill {
namespace {

using model::Diagnostics;
using model::MapReader;
using model::Value;
using scenario::StepKind;

const std::vector<std::string> kKeys = {"name",   "title", "topology", "topology-set", "briefing",
                                        "faults", "hints", "restored", "time-limit",   "probes"};
const std::vector<std::string> kConditions = {"converged", "prefix-back", "dns-answering", "reach",
                                              "route-via"};
// What a fault may do: change the lab, and wait for the change to show. Audits and gates
// judge a change, and a rollback would undo the fault before the trainee sees it.
const std::vector<StepKind> kFaultKinds = {StepKind::kVtysh, StepKind::kLink,  StepKind::kNetem,
                                           StepKind::kStop,  StepKind::kStart, StepKind::kWait};

class DrillReader {
 public:
  DrillReader(const model::Topology& topology, Diagnostics& diagnostics)
      : topology_(topology), diagnostics_(diagnostics), script_(topology, diagnostics) {}

  Drill read(const Value& root);

 private:
  std::optional<std::string> read_text(const MapReader& map, const Value& root,
                                       const std::string& key, std::string_view need);
  void read_faults(const Value& value, Drill& drill);
  std::optional<Fault> read_fault(const Value& value, const Drill& drill);
  void read_hints(const Value& value, Drill& drill);
  void read_restored(const Value& value, Drill& drill);
  std::optional<Condition> read_condition(const Value& value, const Drill& drill);
  bool read_prefix_back(const Value& value, const Drill& drill, Condition& condition);
  bool read_dns_answering(const Value& value, const Drill& drill, Condition& condition);
  bool read_reach(const Value& value, Condition& condition);
  bool read_route_via(const Value& value, Condition& condition);
  // Every node of the role, as the selection `role:ROLE`; reports an empty one at `value`.
  std::optional<scenario::Selector> all_of(model::Role role, const Value& value);

  const model::Topology& topology_;
  Diagnostics& diagnostics_;
  scenario::ScriptReader script_;
};

Drill DrillReader::read(const Value& root) {
  Drill drill;
  MapReader top(root, kKeys, diagnostics_);
  if (!top.is_map()) return drill;
  if (const Value* v = top.find("name")) {
    if (auto name = model::read_name(*v, 63, "drill names are kept short", diagnostics_))
      drill.name = *name;
  } else {
    diagnostics_.error(root.mark, "name", "a drill needs a `name`");
  }
  drill.title = read_text(top, root, "title", "a line saying what the drill is").value_or("");
  drill.topology =
      read_text(top, root, "topology", "the topology file, relative to the drill").value_or("");
  drill.briefing =
      read_text(top, root, "briefing", "what the trainee is told: the symptoms, not the cause")
          .value_or("");
  if (const Value* v = top.find("time-limit")) {
    if (auto d = script_.read_millis(*v)) {
      auto most = std::chrono::duration_cast<Millis>(contracts::kAgentDuration.max);
      if (d->count() <= 0 || *d > most) {
        diagnostics_.error(
            v->mark, v->field,
            fmt::format("expected more than 0 and at most {} (the longest the "
                        "probes run), got {}",
                        contracts::duration_text(most), contracts::duration_text(*d)));
      } else {
        drill.time_limit = *d;
      }
    }
  } else {
    diagnostics_.error(root.mark, "time-limit",
                       "a drill needs `time-limit`: how long the trainee has, like 900s");
  }
  script_.read_probes(
      top.find("probes") ? *top.find("probes") : Value{YAML::Node(), root.mark, "probes"},
      drill.probes);
  drill.probes.name = drill.name;
  if (const Value* v = top.find("faults")) {
    read_faults(*v, drill);
  } else {
    diagnostics_.error(root.mark, "faults", "a drill needs `faults`: one or more to pick from");
  }
  if (const Value* v = top.find("hints")) read_hints(*v, drill);
  if (const Value* v = top.find("restored")) {
    read_restored(*v, drill);
  } else {
    diagnostics_.error(root.mark, "restored",
                       fmt::format("a drill needs `restored`: the conditions that say the "
                                   "network is back ({})",
                                   model::join_alternatives(kConditions)));
  }
  return drill;
}

std::optional<std::string> DrillReader::read_text(const MapReader& map, const Value& root,
                                                  const std::string& key, std::string_view need) {
  const Value* v = map.find(key);
  if (!v) {
    diagnostics_.error(root.mark, key, fmt::format("a drill needs `{}`: {}", key, need));
    return std::nullopt;
  }
  auto text = model::read_string(*v, diagnostics_);
  if (text && text->find_first_not_of(" \t\n") == std::string::npos) {
    diagnostics_.error(v->mark, v->field, fmt::format("empty; give {}", need));
    return std::nullopt;
  }
  return text;
}

void DrillReader::read_faults(const Value& value, Drill& drill) {
  auto items = model::read_list(value, diagnostics_);
  if (!items) return;
  if (items->empty())
    diagnostics_.error(value.mark, value.field, "no faults; a drill needs at least one");
  for (const Value& item : *items) {
    auto fault = read_fault(item, drill);
    if (!fault) continue;
    auto same = std::find_if(drill.faults.begin(), drill.faults.end(),
                             [&](const Fault& f) { return f.name == fault->name; });
    if (same != drill.faults.end()) {
      diagnostics_.error(
          item.mark, item.field + ".name",
          fmt::format("duplicate fault name '{}', first at line {}", fault->name, same->mark.line));
      continue;
    }
    drill.faults.push_back(std::move(*fault));
  }
}

std::optional<Fault> DrillReader::read_fault(const Value& value, const Drill& drill) {
  MapReader map(value, {"name", "steps", "reveal"}, diagnostics_);
  if (!map.is_map()) return std::nullopt;
  Fault fault;
  fault.mark = value.mark;
  bool ok = true;
  if (const Value* v = map.find("name")) {
    auto name = model::read_name(*v, 63, "fault names are kept short", diagnostics_);
    ok = name.has_value();
    fault.name = name.value_or("");
  } else {
    diagnostics_.error(value.mark, value.field + ".name", "a fault needs a `name`");
    ok = false;
  }
  if (const Value* v = map.find("reveal")) {
    if (auto text = model::read_string(*v, diagnostics_)) fault.reveal = *text;
  }
  const Value* steps = map.find("steps");
  if (!steps) {
    diagnostics_.error(value.mark, value.field + ".steps",
                       "a fault needs `steps`: the change-script steps that make it");
    return std::nullopt;
  }
  scenario::Script script = drill.probes;
  script.steps.clear();
  script_.read_steps(*steps, script, "a fault needs at least one step");
  for (size_t i = 0; i < script.steps.size(); ++i) {
    const auto& step = script.steps[i];
    if (std::find(kFaultKinds.begin(), kFaultKinds.end(), step.kind) != kFaultKinds.end()) continue;
    diagnostics_.error(step.mark, fmt::format("{}[{}]", steps->field, i),
                       fmt::format("a fault is made of changes: vtysh, link, netem, stop, start "
                                   "or wait; a {} step belongs to a change script",
                                   scenario::to_string(step.kind)));
    ok = false;
  }
  fault.steps = std::move(script.steps);
  if (!ok) return std::nullopt;
  return fault;
}

void DrillReader::read_hints(const Value& value, Drill& drill) {
  auto items = model::read_list(value, diagnostics_);
  if (!items) return;
  for (const Value& item : *items) {
    MapReader map(item, {"text", "cost"}, diagnostics_);
    if (!map.is_map()) continue;
    Hint hint;
    if (const Value* v = map.find("text")) {
      hint.text = model::read_string(*v, diagnostics_).value_or("");
    } else {
      diagnostics_.error(item.mark, item.field + ".text", "a hint needs `text`");
    }
    if (const Value* v = map.find("cost")) {
      // Points off a score of 100.
      hint.cost = int(model::read_int(*v, 0, 100, diagnostics_).value_or(0));
    } else {
      diagnostics_.error(item.mark, item.field + ".cost",
                         "a hint needs `cost`: the points it takes off the score, 0 to 100");
    }
    drill.hints.push_back(std::move(hint));
  }
}

void DrillReader::read_restored(const Value& value, Drill& drill) {
  auto items = model::read_list(value, diagnostics_);
  if (!items) return;
  if (items->empty()) {
    diagnostics_.error(value.mark, value.field,
                       fmt::format("no conditions; give at least one of {}",
                                   model::join_alternatives(kConditions)));
  }
  for (const Value& item : *items) {
    if (auto condition = read_condition(item, drill)) drill.restored.push_back(*condition);
  }
}

std::optional<Condition> DrillReader::read_condition(const Value& value, const Drill& drill) {
  Condition condition;
  condition.mark = value.mark;
  auto unknown = [&](const std::string& word, const Value& where) {
    diagnostics_.error(
        where.mark, where.field,
        fmt::format("unknown condition '{}'{}; conditions: {}", word,
                    model::did_you_mean(word, kConditions), model::join_alternatives(kConditions)));
  };
  if (value.node.IsScalar()) {
    std::string word = value.node.Scalar();
    if (word == "converged") return condition;
    if (std::find(kConditions.begin(), kConditions.end(), word) != kConditions.end()) {
      diagnostics_.error(value.mark, value.field,
                         fmt::format("`{}` needs its values, like `{}: {{...}}`", word, word));
    } else {
      unknown(word, value);
    }
    return std::nullopt;
  }
  MapReader map(value, kConditions, diagnostics_);
  if (!map.is_map()) return std::nullopt;
  if (map.entries().size() != 1) {
    if (map.entries().size() > 1) {
      diagnostics_.error(value.mark, value.field,
                         fmt::format("a condition is one of {}; this one has both `{}` and `{}`",
                                     model::join_alternatives(kConditions), map.entries()[0].key,
                                     map.entries()[1].key));
    } else {
      unknown("", value);
    }
    return std::nullopt;
  }
  const auto& entry = map.entries().front();
  auto it = std::find(kConditions.begin(), kConditions.end(), entry.key);
  if (it == kConditions.end()) return std::nullopt;  // reported by the MapReader
  condition.kind = static_cast<ConditionKind>(it - kConditions.begin());
  bool ok = true;
  switch (condition.kind) {
    case ConditionKind::kConverged:
      if (!entry.value.node.IsNull()) {
        diagnostics_.error(entry.value.mark, entry.value.field,
                           "`converged` takes no values: every BGP session of the lab is up");
        ok = false;
      }
      break;
    case ConditionKind::kPrefixBack:
      ok = read_prefix_back(entry.value, drill, condition);
      break;
    case ConditionKind::kDnsAnswering:
      ok = read_dns_answering(entry.value, drill, condition);
      break;
    case ConditionKind::kReach:
      ok = read_reach(entry.value, condition);
      break;
    case ConditionKind::kRouteVia:
      ok = read_route_via(entry.value, condition);
      break;
  }
  if (!ok) return std::nullopt;
  return condition;
}

std::optional<scenario::Selector> DrillReader::all_of(model::Role role, const Value& value) {
  scenario::Selector selector;
  selector.terms.push_back(fmt::format("role:{}", model::to_string(role)));
  for (const auto& n : topology_.nodes)
    if (n.acts_as(role)) selector.nodes.push_back(n.name);
  if (selector.nodes.empty()) {
    diagnostics_.error(
        value.mark, value.field + ".at",
        fmt::format("the topology has no {} node to check at; give `at`", model::to_string(role)));
    return std::nullopt;
  }
  return selector;
}

bool DrillReader::read_prefix_back(const Value& value, const Drill& drill, Condition& condition) {
  MapReader map(value, {"prefix", "at"}, diagnostics_);
  if (!map.is_map()) return false;
  bool ok = true;
  if (const Value* v = map.find("prefix")) {
    auto p = model::read_prefix(*v, false, diagnostics_);
    ok = p && model::require_network(*p, *v, diagnostics_) &&
         script_.require_announced(*p, *v, "prefix-back would never hold") &&
         script_.require_watched(*p, *v, drill.probes.routes);
    if (ok) condition.prefix = p->str();
  } else {
    diagnostics_.error(value.mark, value.field + ".prefix", "`prefix-back` needs `prefix`");
    ok = false;
  }
  auto at =
      map.find("at") ? script_.read_selector(*map.find("at")) : all_of(model::Role::kPeer, value);
  if (!at) return false;
  condition.at = *at;
  return ok;
}

bool DrillReader::read_dns_answering(const Value& value, const Drill& drill, Condition& condition) {
  MapReader map(
      value.node.IsNull() ? Value{YAML::Node(YAML::NodeType::Map), value.mark, value.field} : value,
      {"at", "queries"}, diagnostics_);
  if (!map.is_map()) return false;
  bool ok = true;
  if (!drill.probes.dns.enabled) {
    diagnostics_.error(value.mark, value.field,
                       "dns-answering reads the DNS probes' answers, and `probes.dns: false` "
                       "runs none");
    ok = false;
  }
  std::optional<scenario::Selector> at;
  if (const Value* v = map.find("at")) {
    at = script_.read_selector(*v);
    if (at && !script_.require_roles(*at, *v, {model::Role::kClient}, "clients run the DNS probes"))
      at.reset();
  } else {
    at = all_of(model::Role::kClient, value);
  }
  if (at) {
    condition.at = *at;
  } else {
    ok = false;
  }
  if (const Value* v = map.find("queries")) {
    auto n = model::read_int(*v, 1, 100, diagnostics_);
    if (n) condition.queries = int(*n);
    ok = ok && n;
  }
  return ok;
}

bool DrillReader::read_reach(const Value& value, Condition& condition) {
  auto probe = script_.read_reach_probe(value);
  if (value.node.IsMap() && value.node["rate"]) {
    const Value rate{value.node["rate"], model::mark_of(value.node["rate"]), value.field + ".rate"};
    diagnostics_.error(rate.mark, rate.field,
                       "`rate` belongs to probes.reach; a check probes each pair once");
    return false;
  }
  if (!probe) return false;
  condition.reach = *probe;
  return true;
}

bool DrillReader::read_route_via(const Value& value, Condition& condition) {
  MapReader map(value, {"at", "prefix", "via"}, diagnostics_);
  if (!map.is_map()) return false;
  bool ok = true;
  auto node = [&](const char* key, std::string_view what) -> std::optional<std::string> {
    const Value* v = map.find(key);
    if (!v) {
      diagnostics_.error(value.mark, value.field + "." + key,
                         fmt::format("`route-via` needs `{}`: {}", key, what));
      return std::nullopt;
    }
    auto name = model::read_string(*v, diagnostics_);
    if (name && !topology_.find_node(*name)) {
      std::vector<std::string> names;
      for (const auto& n : topology_.nodes) names.push_back(n.name);
      diagnostics_.error(v->mark, v->field,
                         fmt::format("no node named '{}' in {}{}", *name, topology_.file,
                                     model::did_you_mean(*name, names)));
      return std::nullopt;
    }
    return name;
  };
  auto at = node("at", "the node whose route is looked at");
  auto via = node("via", "the neighbor that must be the route's next hop");
  if (at && via) {
    bool linked = std::any_of(topology_.links.begin(), topology_.links.end(), [&](const auto& l) {
      return (l.a.node == *at && l.b.node == *via) || (l.a.node == *via && l.b.node == *at);
    });
    if (!linked) {
      diagnostics_.error(map.find("via")->mark, map.find("via")->field,
                         fmt::format("{} has no link to {}; a next hop is a neighbor", *at, *via));
      ok = false;
    }
  }
  ok = ok && at && via;
  if (ok) {
    condition.at.terms = {*at};
    condition.at.nodes = {*at};
    condition.via = *via;
  }
  if (const Value* v = map.find("prefix")) {
    auto p = model::read_prefix(*v, false, diagnostics_);
    bool good = p && model::require_network(*p, *v, diagnostics_) &&
                script_.require_announced(*p, *v, "route-via would never hold");
    if (good) condition.prefix = p->str();
    ok = ok && good;
  } else {
    diagnostics_.error(value.mark, value.field + ".prefix", "`route-via` needs `prefix`");
    ok = false;
  }
  return ok;
}

DrillLoadResult read_drill(const YAML::Node& root, const std::string& file_name,
                           const model::Topology& topology, Diagnostics& diagnostics) {
  DrillReader reader(topology, diagnostics);
  Drill drill = reader.read({root, model::mark_of(root), ""});
  if (!diagnostics.empty()) return {std::nullopt, topology, diagnostics.take_sorted()};
  drill.file = file_name;
  return {std::move(drill), topology, {}};
}

constexpr std::string_view kEmpty =
    "file is empty; a drill needs at least `name`, `topology`, `faults` and `restored`";

// The drill's topology as the lab is built from it: the file as written, or with the drill's
// `topology-set` applied to it (as a what-if variant's; the sets are on the file's YAML, so
// a value set wrong is reported by the topology's own checks).
struct DrillTopology {
  std::string text;
  model::Topology topology;
};

// Where an error of the changed topology belongs: at the entry of topology-set that wrote
// its field (`nodes.dns3.health` for nodes.dns3.health.targets[0]), else at topology-set.
Value set_entry_for(const YAML::Node& sets, const std::string& field) {
  for (auto it = sets.begin(); it != sets.end(); ++it) {
    if (!it->first.IsScalar()) continue;
    const std::string& key = it->first.Scalar();
    if (field == key || field.starts_with(key + ".") || field.starts_with(key + "["))
      return {it->second, model::mark_of(it->second), "topology-set." + key};
  }
  return {sets, model::mark_of(sets), "topology-set"};
}

// Reports why the topology does not load at the drill's `topology` field, its own errors
// going to `below`; nullopt then.
std::optional<DrillTopology> load_topology(const YAML::Node& field, const YAML::Node& sets,
                                           const std::string& topology_path,
                                           Diagnostics& diagnostics,
                                           std::vector<model::Diagnostic>& below) {
  auto does_not_load = [&](std::vector<model::Diagnostic> errors) -> std::optional<DrillTopology> {
    diagnostics.error(
        model::mark_of(field), "topology",
        fmt::format("{} does not load ({} error(s), below)", topology_path, errors.size()));
    below = std::move(errors);
    return std::nullopt;
  };
  std::vector<model::Diagnostic> errors;
  auto text = model::read_input_file(topology_path, errors);
  if (!text) return does_not_load(std::move(errors));
  topology_load::LoadOptions options;
  options.base_directory =
      std::filesystem::absolute(topology_path).lexically_normal().parent_path().string();
  if (!sets) {
    auto loaded = topology_load::load_topology_text(*text, topology_path, options);
    if (!loaded.topology) return does_not_load(std::move(loaded.errors));
    return DrillTopology{std::move(*text), std::move(*loaded.topology)};
  }
  YAML::Node document;
  try {
    document = YAML::Load(*text);
  } catch (const YAML::Exception&) {
    // Not YAML: the loader says where.
    return does_not_load(topology_load::load_topology_text(*text, topology_path, options).errors);
  }
  model::apply_yaml_sets({sets, model::mark_of(sets), "topology-set"}, document, diagnostics);
  if (!diagnostics.empty()) return std::nullopt;
  std::string changed = model::emit_yaml(document);
  auto loaded = topology_load::load_topology_text(changed, topology_path, options);
  if (!loaded.topology) {
    for (const auto& e : loaded.errors) {
      Value at = set_entry_for(sets, e.field);
      diagnostics.error(at.mark, at.field,
                        fmt::format("{} with this drill's topology-set: {}{}", topology_path,
                                    e.field.empty() ? "" : e.field + ": ", e.message));
    }
    return std::nullopt;
  }
  return DrillTopology{std::move(changed), std::move(*loaded.topology)};
}

}  // namespace

DrillLoadResult load_drill_text(std::string_view text, const std::string& file_name,
                                const model::Topology& topology) {
  Diagnostics diagnostics(file_name);
  auto root = model::parse_document(text, kEmpty, diagnostics);
  if (!root) return {std::nullopt, std::nullopt, diagnostics.take_sorted()};
  return read_drill(*root, file_name, topology, diagnostics);
}

DrillLoadResult load_drill_file(const std::string& path) {
  std::vector<model::Diagnostic> errors;
  auto text = model::read_input_file(path, errors);
  if (!text) return {std::nullopt, std::nullopt, errors};
  Diagnostics diagnostics(path);
  auto root = model::parse_document(*text, kEmpty, diagnostics);
  if (!root) return {std::nullopt, std::nullopt, diagnostics.take_sorted()};
  // The topology first: every other field is checked against it.
  YAML::Node field = root->IsMap() ? (*root)["topology"] : YAML::Node();
  if (!field || !field.IsScalar() || field.Scalar().empty()) {
    diagnostics.error(field ? model::mark_of(field) : model::mark_of(*root), "topology",
                      "a drill needs `topology`: the topology file, relative to the drill");
    return {std::nullopt, std::nullopt, diagnostics.take_sorted()};
  }
  std::string topology_path =
      (std::filesystem::path(path).parent_path() / field.Scalar()).lexically_normal().string();
  const YAML::Node& view = *root;
  YAML::Node sets = view["topology-set"];
  std::vector<model::Diagnostic> below;
  auto topology = load_topology(field, sets, topology_path, diagnostics, below);
  if (!topology) {
    auto all = diagnostics.take_sorted();
    all.insert(all.end(), below.begin(), below.end());
    return {std::nullopt, std::nullopt, all};
  }
  auto result = read_drill(*root, path, topology->topology, diagnostics);
  if (result.drill) {
    result.drill->topology_path = topology_path;
    result.drill->topology_text = std::move(topology->text);
  }
  return result;
}

}  // namespace blastlab::drill
