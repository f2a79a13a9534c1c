#include "controller/topology_load/overlay.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "controller/model/yaml_reader.hpp"

namespace blastlab::topology_load {

namespace {

using model::Diagnostics;
using model::MapReader;
using model::Value;

struct NodeOverlay {
  size_t index;  // into topology.nodes
  std::optional<model::Role> role;
  std::vector<std::string> tags;
};

std::optional<model::Role> read_role(const Value& value, const model::Node& node,
                                     Diagnostics& diagnostics) {
  auto text = model::read_string(value, diagnostics);
  if (!text) return std::nullopt;
  auto role = model::role_from_string(*text);
  if (!role || !model::is_measurement_role(*role)) {
    std::vector<std::string> roles = {"datacenter", "backbone", "edge", "dns", "peer", "client"};
    diagnostics.error(value.mark, value.field,
                      fmt::format("'{}' is not a role to measure a node as{}; allowed: {}", *text,
                                  role ? model::not_measurement_role_reason(*role)
                                       : model::did_you_mean(*text, roles),
                                  model::measurement_role_names()));
    return std::nullopt;
  }
  if (!model::is_user_role(node.role) && *role != node.role) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("{} is a{} {} node and is measured as one; an overlay gives "
                                  "roles to router and host nodes",
                                  node.name, node.role == model::Role::kEdge ? "n" : "",
                                  model::to_string(node.role)));
    return std::nullopt;
  }
  return role;
}

std::vector<NodeOverlay> read_overlay(const Value& root, const model::Topology& topology,
                                      Diagnostics& diagnostics) {
  std::vector<NodeOverlay> overlays;
  MapReader top(root, {"nodes"}, diagnostics);
  if (!top.is_map()) return overlays;
  const Value* nodes = top.find("nodes");
  if (!nodes) {
    diagnostics.error(root.mark, "nodes",
                      "an overlay needs `nodes`: a map of node name to {role, tags}");
    return overlays;
  }
  std::vector<std::string> names;
  for (const auto& node : topology.nodes) names.push_back(node.name);
  MapReader map(*nodes, {}, diagnostics, "node");
  for (const auto& entry : map.entries()) {
    auto it = std::find(names.begin(), names.end(), entry.key);
    if (it == names.end()) {
      diagnostics.error(entry.key_mark, entry.value.field,
                        fmt::format("no node '{}' in {}{}", entry.key, topology.file,
                                    model::did_you_mean(entry.key, names)));
      continue;
    }
    NodeOverlay overlay{static_cast<size_t>(it - names.begin()), std::nullopt, {}};
    const model::Node& node = topology.nodes[overlay.index];
    MapReader fields(entry.value, {"role", "tags"}, diagnostics);
    if (const Value* v = fields.find("role")) overlay.role = read_role(*v, node, diagnostics);
    if (const Value* v = fields.find("tags")) {
      for (const Value& item : model::read_list(*v, diagnostics).value_or(std::vector<Value>{})) {
        if (auto tag = model::read_name(item, SIZE_MAX, "", diagnostics)) {
          overlay.tags.push_back(*tag);
        }
      }
    }
    overlays.push_back(std::move(overlay));
  }
  return overlays;
}

}  // namespace

std::vector<model::Diagnostic> apply_overlay_text(std::string_view text,
                                                  const std::string& file_name,
                                                  model::Topology& topology) {
  Diagnostics diagnostics(file_name);
  auto root = model::parse_document(
      text, "file is empty; an overlay needs `nodes`: a map of node name to {role, tags}",
      diagnostics);
  if (!root) return diagnostics.take_sorted();
  auto overlays = read_overlay({*root, model::mark_of(*root), ""}, topology, diagnostics);
  if (!diagnostics.empty()) return diagnostics.take_sorted();
  for (const auto& overlay : overlays) {
    model::Node& node = topology.nodes[overlay.index];
    if (overlay.role && model::is_user_role(node.role)) node.measured_as = overlay.role;
    for (const auto& tag : overlay.tags) {
      if (std::find(node.tags.begin(), node.tags.end(), tag) == node.tags.end()) {
        node.tags.push_back(tag);
      }
    }
  }
  return {};
}

std::vector<model::Diagnostic> apply_overlay_file(const std::string& path,
                                                  model::Topology& topology) {
  std::vector<model::Diagnostic> errors;
  auto text = model::read_input_file(path, errors);
  if (!text) return errors;
  return apply_overlay_text(*text, path, topology);
}

}  // namespace blastlab::topology_load
