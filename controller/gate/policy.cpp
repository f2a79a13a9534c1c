// Reading a gate policy and judging its invariants. The file is read like a topology or a
// script: every value checked, every problem reported at file:line:col with its field, and
// no policy handed out while any remains. Invariants share the `METRIC OP ...` reading of a
// script's `expect` lines (model/comparison.hpp) and add limits relative to the baseline.
#include "controller/gate/policy.hpp"

#include <fmt/format.h>

#include "controller/model/comparison.hpp"
#include "controller/model/yaml_reader.hpp"

namespace blastlab::gate {
namespace {

using model::Diagnostics;
using model::MapReader;
using model::Value;

constexpr std::string_view kInvariantShape =
    "`METRIC OP NUMBER` or `METRIC OP baseline` (or `baseline - N`, `baseline + N`, "
    "`baseline * F`)";
constexpr std::string_view kMaxCutMeaning =
    "the largest share of backbone links the change may cut";
constexpr std::string_view kUnplannedSessions = "bgp.unplanned_sessions_down";

std::string_view trim_front(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  return text;
}

// The part after the operator: a number, or `baseline` alone, or shifted or scaled by a
// number that is not negative (`baseline - 0.01`, `baseline * 0.9`).
bool read_operand(std::string_view operand, Invariant& invariant) {
  if (auto number = model::parse_number(operand)) {
    invariant.value = *number;
    return true;
  }
  constexpr std::string_view kBaseline = "baseline";
  if (!operand.starts_with(kBaseline)) return false;
  invariant.relative = true;
  std::string_view rest = trim_front(operand.substr(kBaseline.size()));
  if (rest.empty()) return true;
  char how = rest.front();
  auto number = model::parse_number(trim_front(rest.substr(1)));
  if (!number || *number < 0) return false;
  if (how == '-') {
    invariant.value = -*number;
  } else if (how == '+') {
    invariant.value = *number;
  } else if (how == '*') {
    invariant.factor = *number;
  } else {
    return false;
  }
  return true;
}

std::optional<Millis> read_positive_millis(const Value& value, Diagnostics& diagnostics) {
  auto duration = model::read_duration(value, diagnostics);
  if (!duration) return std::nullopt;
  auto millis = std::chrono::duration_cast<Millis>(*duration);
  if (millis < Millis(1)) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("expected at least 1ms, got '{}'", value.node.Scalar()));
    return std::nullopt;
  }
  return millis;
}

void read_audit(const Value& value, Policy& policy, Diagnostics& diagnostics) {
  if (value.node.IsScalar() && value.node.Scalar() == "off") {
    policy.audit = false;
    return;
  }
  if (!value.node.IsMap()) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("expected `off` or a map with key max-cut, got {}",
                                  model::describe(value.node)));
    return;
  }
  MapReader map(value, {"max-cut"}, diagnostics);
  if (const Value* v = map.find("max-cut")) {
    if (auto share = model::read_share(*v, kMaxCutMeaning, diagnostics))
      policy.audit_max_cut = *share;
  }
}

void read_invariants(const Value& value, Policy& policy, Diagnostics& diagnostics) {
  auto items = model::read_list(value, diagnostics);
  if (!items) return;
  if (items->empty()) {
    diagnostics.error(value.mark, value.field,
                      "a policy needs at least one invariant, like `sites.withdrawn == 0`");
  }
  for (const Value& item : *items) {
    auto text = model::read_string(item, diagnostics);
    if (!text) continue;
    std::string error;
    auto invariant = parse_invariant(*text, &error);
    if (!invariant) {
      diagnostics.error(item.mark, item.field, error);
      continue;
    }
    invariant->file = policy.file;
    invariant->mark = item.mark;
    policy.invariants.push_back(std::move(*invariant));
  }
}

Policy read_policy(const Value& root, const std::string& file_name, Diagnostics& diagnostics) {
  Policy policy;
  policy.file = file_name;
  MapReader top(root, {"baseline", "observe", "recovery", "audit", "invariants"}, diagnostics);
  if (!top.is_map()) return policy;
  if (const Value* v = top.find("baseline")) {
    if (auto d = read_positive_millis(*v, diagnostics)) policy.baseline = *d;
  }
  if (const Value* v = top.find("observe")) {
    if (auto d = read_positive_millis(*v, diagnostics)) policy.observe = *d;
  }
  if (const Value* v = top.find("recovery")) {
    if (auto d = read_positive_millis(*v, diagnostics)) policy.recovery = *d;
  }
  if (const Value* v = top.find("audit")) read_audit(*v, policy, diagnostics);
  if (const Value* v = top.find("invariants")) {
    read_invariants(*v, policy, diagnostics);
  } else {
    diagnostics.error(root.mark, "invariants",
                      "a policy needs `invariants`: the limits the candidate must keep, like "
                      "`sites.withdrawn == 0` (without a policy file the gate uses its "
                      "default, no regression against the baseline)");
  }
  return policy;
}

}  // namespace

const std::vector<std::string>& gate_metric_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names = measure::scalar_metric_names();
    names.emplace_back(kUnplannedSessions);
    return names;
  }();
  return kNames;
}

std::optional<Invariant> parse_invariant(const std::string& text, std::string* error) {
  auto comparison = model::split_comparison(text, gate_metric_names(), kInvariantShape, error);
  if (!comparison) return std::nullopt;
  Invariant invariant{.text = text, .metric = comparison->metric, .op = comparison->op};
  if (!read_operand(comparison->operand, invariant)) {
    *error = fmt::format(
        "'{}': expected a number, or `baseline`, `baseline - N`, `baseline + N` or "
        "`baseline * F` with N and F not negative, after {}; got '{}'",
        text, comparison->op, comparison->operand);
    return std::nullopt;
  }
  return invariant;
}

PolicyLoadResult load_policy_text(std::string_view text, const std::string& file_name) {
  Diagnostics diagnostics(file_name);
  auto root = model::parse_document(text, "file is empty; a policy needs at least `invariants`",
                                    diagnostics);
  if (!root) return {std::nullopt, diagnostics.take_sorted()};
  Policy policy = read_policy({*root, model::mark_of(*root), ""}, file_name, diagnostics);
  if (!diagnostics.empty()) return {std::nullopt, diagnostics.take_sorted()};
  return {std::move(policy), {}};
}

PolicyLoadResult load_policy_file(const std::string& path) {
  PolicyLoadResult result;
  auto text = model::read_input_file(path, result.errors);
  if (!text) return result;
  return load_policy_text(*text, path);
}

Policy default_policy(const LabMeasures& measures) {
  Policy policy;
  auto add = [&policy](bool measured, const std::string& text) {
    if (!measured) return;
    std::string error;
    // The texts below are fixed and parse; value() would throw on a typo, which the tests
    // of every combination catch.
    policy.invariants.push_back(parse_invariant(text, &error).value());
  };
  add(measures.dns_sites, "sites.withdrawn == 0");
  add(measures.anycast, "prefixes.anycast_lost == 0");
  add(measures.covering, "prefixes.covering_lost == 0");
  add(measures.reachability, "reachability.pairs_lost == 0");
  add(measures.bgp, std::string(kUnplannedSessions) + " == 0");
  add(measures.clients, "dns.success_ratio >= baseline");
  return policy;
}

std::vector<InvariantResult> judge(const std::vector<Invariant>& invariants,
                                   const measure::Scalars& measured,
                                   const measure::Scalars& baseline) {
  std::vector<InvariantResult> results;
  for (const Invariant& invariant : invariants) {
    InvariantResult r{.invariant = invariant};
    std::vector<std::string> missing;
    if (const double* value = measured.find(invariant.metric)) {
      r.measured = *value;
    } else {
      missing.push_back(measured.why_missing(invariant.metric));
    }
    if (invariant.relative) {
      if (const double* value = baseline.find(invariant.metric)) {
        r.baseline = *value;
      } else {
        missing.push_back(fmt::format("the baseline has no value of {}: {}", invariant.metric,
                                      baseline.why_missing(invariant.metric)));
      }
    }
    r.limit = invariant.limit(r.baseline);
    r.missing = fmt::format("{}", fmt::join(missing, "; "));
    r.passed = r.measured && r.limit && invariant.holds(*r.measured, *r.limit);
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<InvariantResult> judge_prediction(const std::vector<Invariant>& invariants,
                                              const std::map<std::string, double>& predicted) {
  std::vector<InvariantResult> results;
  for (const Invariant& invariant : invariants) {
    InvariantResult r{.invariant = invariant, .passed = true};
    auto it = predicted.find(invariant.metric);
    if (it == predicted.end()) {
      r.missing = "not predicted";
    } else if (invariant.relative) {
      // Before the lab there is no baseline to set the limit from.
      r.predicted = it->second;
      r.missing = "relative to the baseline, which only the lab measures";
    } else {
      r.predicted = it->second;
      r.limit = invariant.limit(std::nullopt);
      r.passed = invariant.holds(*r.predicted, *r.limit);
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace blastlab::gate
