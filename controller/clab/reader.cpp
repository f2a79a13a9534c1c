// The top level of a containerlab file: name, prefix, mgmt, settings and topology, whose
// defaults, kinds and groups are read once as levels before the nodes inherit from them.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>

#include "controller/clab/reader_parts.hpp"

namespace blastlab::clab {

namespace {

const std::vector<std::string> kTopKeys = {"name",     "prefix",   "mgmt",
                                           "topology", "settings", "debug"};
const std::vector<std::string> kTopologyKeys = {"nodes", "groups", "kinds", "defaults", "links"};

// The schema's patterns for lab names (`name`), node names and prefixes.
bool is_clab_name(std::string_view name, std::string_view extra) {
  auto ok = [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           extra.find(c) != std::string_view::npos;
  };
  return !name.empty() && ok(name[0]) && extra.find(name[0]) == std::string_view::npos &&
         std::all_of(name.begin(), name.end(), ok);
}

std::optional<Sourced<std::string>> read_clab_name(const Value& value, std::string_view extra,
                                                   Diagnostics& diagnostics) {
  auto text = model::read_string(value, diagnostics);
  if (!text) return std::nullopt;
  if (!is_clab_name(*text, extra)) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("'{}' is not a containerlab name; names are letters and digits "
                                  "and '{}', starting with a letter or digit",
                                  *text, fmt::join(extra, "', '")));
    return std::nullopt;
  }
  return Sourced<std::string>{*text, value.mark, value.field};
}

void read_prefix(const Value& value, Topology& topology, Diagnostics& diagnostics) {
  auto text = model::read_string(value, diagnostics);
  if (!text) return;
  if (!text->empty() && *text != "__lab-name" && !is_clab_name(*text, "-._")) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("'{}' is not a lab prefix; expected '', '__lab-name' or letters, "
                                  "digits, '-', '.' and '_'",
                                  *text));
    return;
  }
  topology.prefix = Sourced<std::string>{*text, value.mark, value.field};
}

void check_kind(const std::string& kind, SourceMark mark, const std::string& field,
                Diagnostics& diagnostics) {
  if (is_known_kind(kind)) return;
  diagnostics.error(
      mark, field,
      fmt::format("unknown kind '{}'{}", kind, model::did_you_mean(kind, known_kinds())));
}

// A level under kinds or groups, keyed by name; kinds must be kinds containerlab knows.
std::map<std::string, Level> read_named_levels(const Value& value, bool kinds,
                                               Diagnostics& diagnostics) {
  std::map<std::string, Level> levels;
  MapReader map(value, {}, diagnostics, kinds ? "kind" : "group");
  for (const auto& entry : map.entries()) {
    if (kinds) check_kind(entry.key, entry.key_mark, entry.value.field, diagnostics);
    levels[entry.key] = read_level(entry.value, diagnostics);
  }
  return levels;
}

// Every `kind` and `group` a level gives must name something: containerlab silently
// ignores a group that does not exist, which turns a typo into a node without its
// group's settings.
void check_references(const Level& level, const Levels& levels, Diagnostics& diagnostics) {
  if (const auto* kind = level.scalar("kind"); kind && !kind->value.empty()) {
    check_kind(kind->value, kind->mark, kind->field, diagnostics);
  }
  if (const auto* group = level.scalar("group"); group && !group->value.empty()) {
    if (!levels.groups.contains(group->value)) {
      std::vector<std::string> names;
      for (const auto& [name, unused] : levels.groups) names.push_back(name);
      std::string known = names.empty() ? "topology.groups defines none"
                                        : "defined: " + model::join_alternatives(names);
      diagnostics.error(group->mark, group->field,
                        fmt::format("unknown group '{}'{}; {}", group->value,
                                    model::did_you_mean(group->value, names), known));
    }
  }
}

void note(Topology& topology, const std::string& file, SourceMark mark, std::string field,
          std::string message) {
  topology.notes.push_back({file, mark, std::move(field), std::move(message)});
}

void read_nodes(const Value& value, const Levels& levels, Topology& topology,
                const ReadOptions& options, Diagnostics& diagnostics) {
  MapReader map(value, {}, diagnostics, "node");
  for (const auto& entry : map.entries()) {
    if (!is_clab_name(entry.key, "-._|")) {
      diagnostics.error(entry.key_mark, entry.value.field,
                        fmt::format("'{}' is not a node name; names are letters, digits, '-', "
                                    "'.', '_' and '|', starting with a letter or digit",
                                    entry.key));
      continue;
    }
    Level own = read_level(entry.value, diagnostics);
    check_references(own, levels, diagnostics);
    Node node = resolve_node(entry, own, levels, diagnostics);
    // A node of an unknown kind stays, unclassified, so links to it are not reported too.
    if (is_known_kind(node.kind.value)) {
      classify_node(node, topology.directory, options, diagnostics);
    }
    for (const auto* address : {&node.mgmt_ipv4, &node.mgmt_ipv6}) {
      if (!*address) continue;
      note(topology, topology.file, (*address)->mark, (*address)->field,
           fmt::format("management address {} of node '{}' is ignored; a blastlab lab has no "
                       "management network",
                       (*address)->value, node.name));
    }
    topology.nodes.push_back(std::move(node));
  }
}

void read_topology_section(const Value& value, Topology& topology, const ReadOptions& options,
                           Diagnostics& diagnostics) {
  MapReader map(value, kTopologyKeys, diagnostics);
  if (!map.is_map()) return;
  Levels levels;
  if (const Value* v = map.find("defaults")) levels.defaults = read_level(*v, diagnostics);
  if (const Value* v = map.find("kinds")) levels.kinds = read_named_levels(*v, true, diagnostics);
  if (const Value* v = map.find("groups")) {
    levels.groups = read_named_levels(*v, false, diagnostics);
  }
  check_references(levels.defaults, levels, diagnostics);
  for (const auto& [name, level] : levels.kinds) check_references(level, levels, diagnostics);
  for (const auto& [name, level] : levels.groups) check_references(level, levels, diagnostics);
  if (const Value* v = map.find("nodes")) {
    read_nodes(*v, levels, topology, options, diagnostics);
  } else {
    diagnostics.error(value.mark, value.field, "topology has no `nodes`");
  }
  if (const Value* v = map.find("links")) {
    topology.links = read_links(*v, topology.nodes, diagnostics);
  }
}

std::string absolute_directory(const std::filesystem::path& directory) {
  std::string text = std::filesystem::absolute(directory).lexically_normal().string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

std::string directory_of(const std::string& file) {
  std::filesystem::path parent = std::filesystem::path(file).parent_path();
  if (parent.empty()) parent = ".";
  return absolute_directory(parent);
}

}  // namespace

const Sourced<std::string>* Node::label(std::string_view key) const {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? nullptr : &it->second;
}

const Node* Topology::find_node(std::string_view node_name) const {
  auto it =
      std::find_if(nodes.begin(), nodes.end(), [&](const Node& n) { return n.name == node_name; });
  return it == nodes.end() ? nullptr : &*it;
}

ReadResult read_clab_text(std::string_view text, const std::string& file_name,
                          const ReadOptions& options) {
  Diagnostics diagnostics(file_name);
  auto root = model::parse_document(
      text, "file is empty; a containerlab topology needs at least `name` and `topology`",
      diagnostics);
  if (!root) return {std::nullopt, diagnostics.take_sorted()};
  Topology topology;
  topology.file = file_name;
  topology.directory = options.base_directory.empty() ? directory_of(file_name)
                                                      : absolute_directory(options.base_directory);
  Value top{*root, {1, 1}, ""};
  MapReader map(top, kTopKeys, diagnostics);
  if (map.is_map()) {
    if (const Value* v = map.find("name")) {
      if (auto name = read_clab_name(*v, "-._", diagnostics)) topology.name = *name;
    } else {
      diagnostics.error({1, 1}, "name", "the topology has no `name`; containerlab requires one");
    }
    if (const Value* v = map.find("prefix")) read_prefix(*v, topology, diagnostics);
    if (const auto* entry = map.find_entry("mgmt")) {
      note(topology, file_name, entry->key_mark, entry->value.field,
           "the management network is ignored; a blastlab lab has no management network");
    }
    if (const Value* v = map.find("topology")) {
      read_topology_section(*v, topology, options, diagnostics);
    } else {
      diagnostics.error({1, 1}, "topology",
                        "the file has no `topology`; containerlab requires one");
    }
  }
  if (!diagnostics.empty()) return {std::nullopt, diagnostics.take_sorted()};
  return {std::move(topology), {}};
}

ReadResult read_clab_file(const std::string& path, const ReadOptions& options) {
  std::vector<Diagnostic> errors;
  auto text = model::read_input_file(path, errors);
  if (!text) return {std::nullopt, errors};
  return read_clab_text(*text, path, options);
}

}  // namespace blastlab::clab
