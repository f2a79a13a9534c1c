// compare.json: the comparison for machines, in the versioned schema of docs/compare.md,
// and its reader. Like report.json, every documented key is always written and the reader
// is strict about those (a truncated or hand-edited file is named precisely) and lenient
// about keys it does not know (added later without a version bump).
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "controller/report/compare.hpp"
#include "controller/report/json_field.hpp"

namespace blastlab::report {

namespace {

using Json = nlohmann::ordered_json;

Json expectation_json(const ExpectationResult& e) {
  return Json{{"text", e.text},           {"where", e.where},
              {"metric", e.metric},       {"op", e.op},
              {"threshold", e.threshold}, {"value", e.value ? Json(*e.value) : Json(nullptr)},
              {"passed", e.passed}};
}

Json variant_json(const VariantResult& v) {
  // JSON has no NaN or infinity (nlohmann would write null, which reads back as a type
  // error): such a scalar is left out, as one the run did not produce.
  Json scalars = Json::object();
  for (const auto& [name, value] : v.scalars) {
    if (std::isfinite(value)) scalars[name] = value;
  }
  Json expectations = Json::array();
  for (const auto& e : v.expectations) expectations.push_back(expectation_json(e));
  return Json{{"name", v.name},
              {"description", v.description},
              {"dir", v.dir},
              {"exit_code", v.exit_code},
              {"result", to_string(variant_result(v))},
              {"change", v.change},
              {"scalars", std::move(scalars)},
              {"expectations", std::move(expectations)},
              {"error", v.error},
              {"wall_s", v.wall_s}};
}

using Field = JsonField;

ExpectationResult read_expectation(const Field& f) {
  return ExpectationResult{.text = f.at("text").str(),
                           .where = f.at("where").str(),
                           .metric = f.at("metric").str(),
                           .op = f.at("op").str(),
                           .threshold = f.at("threshold").num(),
                           .value = f.at("value").optional_num(),
                           .passed = f.at("passed").boolean()};
}

VariantResult read_variant(const Field& f) {
  VariantResult v;
  v.name = f.at("name").str();
  v.description = f.at("description").str();
  v.dir = f.at("dir").str();
  v.exit_code = f.at("exit_code").small_integer();
  v.change = f.at("change").str();
  f.at("scalars").each_member(
      [&](const std::string& name, const Field& value) { v.scalars[name] = value.num(); });
  f.at("expectations").each([&](const Field& e) { v.expectations.push_back(read_expectation(e)); });
  v.error = f.at("error").str();
  v.wall_s = f.at("wall_s").num();
  // "result" is derived from the fields above; variant_result() recomputes it.
  return v;
}

}  // namespace

nlohmann::ordered_json comparison_json(const Comparison& comparison) {
  Json variants = Json::array();
  for (const auto& v : comparison.variants) variants.push_back(variant_json(v));
  return Json{{"schema", "blastlab.compare"},
              {"schema_version", kCompareSchemaVersion},
              {"name", comparison.name},
              {"description", comparison.description},
              {"topology", comparison.topology},
              {"script", comparison.script},
              {"started_at", comparison.started_at},
              {"reference",
               comparison.variants.empty() ? Json(nullptr) : Json(comparison.variants[0].name)},
              {"variants", std::move(variants)}};
}

Comparison comparison_from_json(const nlohmann::json& json) {
  Field top(json, "compare.json");
  std::string schema = top.at("schema").str();
  if (schema != "blastlab.compare") {
    top.fail("schema", "expected \"blastlab.compare\", found \"" + schema + "\"");
  }
  int64_t version = top.at("schema_version").integer();
  if (version < 1 || version > kCompareSchemaVersion) {
    top.fail("schema_version", fmt::format("version {} is not one this blastlab reads (1 to {})",
                                           version, kCompareSchemaVersion));
  }
  Comparison comparison;
  comparison.name = top.at("name").str();
  comparison.description = top.at("description").str();
  comparison.topology = top.at("topology").str();
  comparison.script = top.at("script").str();
  comparison.started_at = top.at("started_at").str();
  top.at("variants").each([&](const Field& f) { comparison.variants.push_back(read_variant(f)); });
  return comparison;
}

}  // namespace blastlab::report
