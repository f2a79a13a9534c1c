#include "controller/experiment/variants.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>

#include "controller/model/yaml_reader.hpp"
#include "controller/model/yaml_set.hpp"

namespace blastlab::experiment {

using scenario::load_script_file;
using scenario::load_script_text;
using scenario::Script;
namespace {

namespace fs = std::filesystem;
using model::Diagnostics;
using model::MapReader;
using model::Value;

class VariantsReader {
 public:
  VariantsReader(std::string path, std::string out_dir, topology_load::LoadOptions flags,
                 Diagnostics& diagnostics)
      : path_(std::move(path)),
        base_(fs::path(path_).parent_path()),
        out_dir_(std::move(out_dir)),
        flags_(std::move(flags)),
        diagnostics_(diagnostics) {}

  VariantSet read(const Value& root, const std::vector<std::string>& only);

 private:
  struct Source {
    std::string file;
    std::string text;
    YAML::Node root;
  };
  std::optional<Source> read_source(const Value& value, std::string_view kind);
  void read_variant(const Value& value, VariantSet& set);
  void apply_sets(const Value* sets, YAML::Node& root);
  std::string relative(const std::string& file) const;

  std::string path_;
  fs::path base_;
  std::string out_dir_;
  topology_load::LoadOptions flags_;
  Diagnostics& diagnostics_;
  std::optional<Source> topology_;
  std::optional<Source> script_;
};

std::string VariantsReader::relative(const std::string& file) const {
  return (base_ / file).lexically_normal().string();
}

std::optional<VariantsReader::Source> VariantsReader::read_source(const Value& value,
                                                                  std::string_view kind) {
  auto name = model::read_string(value, diagnostics_);
  if (!name) return std::nullopt;
  std::string file = relative(*name);
  std::vector<model::Diagnostic> errors;
  auto text = model::read_input_file(file, errors);
  if (!text) {
    for (const auto& e : errors)
      diagnostics_.error(value.mark, value.field, fmt::format("{} {}: {}", kind, file, e.message));
    return std::nullopt;
  }
  try {
    return Source{file, *text, YAML::Load(*text)};
  } catch (const YAML::Exception& e) {
    diagnostics_.error(value.mark, value.field,
                       fmt::format("{} {} is not YAML: {}", kind, file, e.what()));
    return std::nullopt;
  }
}

void VariantsReader::apply_sets(const Value* sets, YAML::Node& root) {
  if (sets) model::apply_yaml_sets(*sets, root, diagnostics_);
}

VariantSet VariantsReader::read(const Value& root, const std::vector<std::string>& only) {
  VariantSet set;
  set.file = path_;
  MapReader top(root, {"name", "description", "topology", "script", "variants"}, diagnostics_);
  if (!top.is_map()) return set;
  if (const Value* v = top.find("name")) {
    if (auto name = model::read_name(*v, 63, "comparison names are kept short", diagnostics_))
      set.name = *name;
  } else {
    diagnostics_.error(root.mark, "name", "a variants file needs a `name`");
  }
  if (const Value* v = top.find("description")) {
    if (auto text = model::read_string(*v, diagnostics_)) set.description = *text;
  }
  for (auto [key, source] : {std::pair{"topology", &topology_}, std::pair{"script", &script_}}) {
    if (const Value* v = top.find(key)) {
      *source = read_source(*v, key);
    } else {
      diagnostics_.error(root.mark, key,
                         fmt::format("a variants file needs `{}`: the {} every variant starts "
                                     "from, relative to this file",
                                     key, key));
    }
  }
  const Value* variants = top.find("variants");
  if (!variants) {
    diagnostics_.error(root.mark, "variants", "a variants file needs `variants`");
    return set;
  }
  auto items = model::read_list(*variants, diagnostics_);
  if (!items) return set;
  if (items->empty()) diagnostics_.error(variants->mark, variants->field, "no variant");
  for (const Value& item : *items) read_variant(item, set);
  std::vector<std::string> names;
  for (const auto& v : set.variants) names.push_back(v.name);
  for (const auto& name : only) {
    if (std::find(names.begin(), names.end(), name) == names.end())
      diagnostics_.error(
          variants->mark, "--only",
          fmt::format("no variant named '{}'{}; variants: {}", name,
                      model::did_you_mean(name, names), model::join_alternatives(names)));
  }
  if (!only.empty()) {
    std::erase_if(set.variants, [&](const Variant& v) {
      return std::find(only.begin(), only.end(), v.name) == only.end();
    });
  }
  return set;
}

void VariantsReader::read_variant(const Value& value, VariantSet& set) {
  MapReader map(
      value, {"name", "description", "topology", "script", "topology-set", "script-set", "expect"},
      diagnostics_);
  if (!map.is_map()) return;
  Variant variant;
  if (const Value* v = map.find("name")) {
    if (auto name = model::read_name(*v, 40, "variant names are directory names", diagnostics_)) {
      variant.name = *name;
      if (std::any_of(set.variants.begin(), set.variants.end(),
                      [&](const Variant& x) { return x.name == *name; }))
        diagnostics_.error(v->mark, v->field, fmt::format("duplicate variant '{}'", *name));
    }
  } else {
    diagnostics_.error(value.mark, value.field + ".name", "a variant needs a `name`");
    return;
  }
  if (const Value* v = map.find("description")) {
    if (auto text = model::read_string(*v, diagnostics_)) variant.description = *text;
  }
  std::optional<Source> topology = topology_;
  std::optional<Source> script = script_;
  if (const Value* v = map.find("topology")) topology = read_source(*v, "topology");
  if (const Value* v = map.find("script")) script = read_source(*v, "script");
  if (!topology || !script) return;
  YAML::Node topology_root = YAML::Clone(topology->root);
  YAML::Node script_root = YAML::Clone(script->root);
  apply_sets(map.find("topology-set"), topology_root);
  apply_sets(map.find("script-set"), script_root);
  if (const Value* v = map.find("expect")) {
    if (!v->node.IsSequence()) {
      diagnostics_.error(v->mark, v->field, "expected a list of `METRIC OP NUMBER`");
    } else {
      script_root["expect"] = YAML::Clone(v->node);
    }
  }
  variant.topology_source = topology->file;
  variant.script_source = script->file;
  bool topology_changed = map.find("topology-set");
  bool script_changed = map.find("script-set") || map.find("expect");
  // A document this variant leaves alone is kept as written, comments and all.
  variant.topology_text = topology_changed ? model::emit_yaml(topology_root) : topology->text;
  variant.script_text = script_changed ? model::emit_yaml(script_root) : script->text;
  std::string dir = (fs::path(out_dir_) / variant.name).string();

  // Errors in a file as given point into that file; in a document changed by this variant
  // they are reported at the variant, naming the field.
  auto report = [&](const std::vector<model::Diagnostic>& errors, bool changed,
                    std::string_view kind, const std::string& source) {
    for (const auto& e : errors) {
      if (changed) {
        diagnostics_.error(value.mark, value.field,
                           fmt::format("variant '{}': its {} ({} with this variant's changes): "
                                       "{}: {}",
                                       variant.name, kind, source, e.field, e.message));
      } else {
        diagnostics_.error(value.mark, value.field,
                           fmt::format("variant '{}': {}", variant.name, e.str()));
      }
    }
  };
  // The effective topology is written beside the report, and read with the source's
  // directory so that its relative paths (a router's frr.conf) still resolve.
  variant.topology_file_name = topology_load::copy_file_name(topology->file);
  variant.load = flags_;
  variant.load.base_directory =
      fs::absolute(topology->file).lexically_normal().parent_path().string();
  std::string written = dir + "/" + variant.topology_file_name;
  auto loaded_topology =
      topology_changed
          ? topology_load::load_topology_text(variant.topology_text, written, variant.load)
          : topology_load::load_topology_file(topology->file, variant.load);
  if (!loaded_topology.topology) {
    report(loaded_topology.errors, topology_changed, "topology", topology->file);
    return;
  }
  variant.topology = std::move(*loaded_topology.topology);
  variant.topology.file = written;
  variant.topology_warnings = std::move(loaded_topology.warnings);
  auto loaded_script =
      script_changed ? load_script_text(variant.script_text, dir + "/script.yaml", variant.topology)
                     : load_script_file(script->file, variant.topology);
  if (!loaded_script.script) {
    report(loaded_script.errors, script_changed, "script", script->file);
    return;
  }
  variant.script = std::move(*loaded_script.script);
  variant.script.file = dir + "/script.yaml";
  set.variants.push_back(std::move(variant));
}

}  // namespace

VariantsLoadResult load_variants_file(const std::string& path, const std::string& out_dir,
                                      const std::vector<std::string>& only,
                                      const topology_load::LoadOptions& flags) {
  std::vector<model::Diagnostic> errors;
  auto text = model::read_input_file(path, errors);
  if (!text) return {std::nullopt, errors};
  Diagnostics diagnostics(path);
  auto root = model::parse_document(
      *text, "file is empty; a variants file needs `name`, `topology`, `script` and `variants`",
      diagnostics);
  if (!root) return {std::nullopt, diagnostics.take_sorted()};
  VariantsReader reader(path, out_dir, flags, diagnostics);
  VariantSet set = reader.read({*root, model::mark_of(*root), ""}, only);
  if (!diagnostics.empty()) return {std::nullopt, diagnostics.take_sorted()};
  return {std::move(set), {}};
}

}  // namespace blastlab::experiment
