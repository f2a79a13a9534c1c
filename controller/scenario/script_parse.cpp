// Reading a change script and checking it against its topology. Like the topology reader it
// never stops at the first problem: every value is read, every reference resolved, and all
// diagnostics come back together, sorted by position. The probes and the steps are read in
// probes_parse.cpp and step_parse.cpp.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "contracts/limits.hpp"
#include "controller/measure/metrics.hpp"
#include "controller/model/comparison.hpp"
#include "controller/model/yaml_reader.hpp"
#include "controller/scenario/agent_commands.hpp"
#include "controller/scenario/script.hpp"
#include "controller/scenario/script_reader.hpp"

namespace blastlab::scenario {

using model::Diagnostics;
using model::MapReader;
using model::Value;

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
    read_steps(*v, script, "a script needs at least one step");
  } else {
    diagnostics_.error(root.mark, "steps", "a script needs `steps`");
  }
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
