// Reading node-config levels and merging them into nodes as containerlab does. The rules
// are containerlab's own, from types/topology.go at commit 39ff2b7 (the schema's commit,
// see shared/reference/containerlab/README.md) and https://containerlab.dev/manual/topo-def-file/:
//   - kind: the node's, else its group's (the group the node names), else the group named
//     in topology.defaults, else topology.defaults' (GetNodeKind);
//   - group: the node's, else its kind's (kinds.<kind>.group), else defaults' (GetNodeGroup);
//   - every other single value: node, else group, else kind, else defaults; an empty string
//     counts as not given (getField with `v != ""`);
//   - labels, env, sysctls: maps merged from defaults up to the node, the more specific
//     level's value winning per key (mergeStringMapFields, utils.MergeStringMaps);
//   - exec (and binds before the step below): lists appended defaults, kind, group, node,
//     with exact duplicates dropped, the first kept (mergeStringSliceFields,
//     utils.MergeStringSlices);
//   - binds: then one per container path, the most specific level's winning (GetNodeBinds
//     indexes them by destination). containerlab sorts the result; we keep the order in
//     which each container path first appears, which mounts the same files.
#include <fmt/format.h>

#include <algorithm>

#include "controller/clab/reader_parts.hpp"

namespace blastlab::clab {

namespace {

const std::vector<std::string> kScalarKeys = {
    "kind", "image",      "group",        "type",      "startup-config",
    "cmd",  "entrypoint", "network-mode", "mgmt-ipv4", "mgmt-ipv6"};
const std::vector<std::string> kListKeys = {"binds", "exec"};
const std::vector<std::string> kMapKeys = {"labels", "env", "sysctls"};

// Every key of the schema's node-config (clab.schema.json, definitions.node-config).
const std::vector<std::string> kNodeConfigKeys = {"image",
                                                  "image-pull-policy",
                                                  "restart-policy",
                                                  "kind",
                                                  "license",
                                                  "type",
                                                  "group",
                                                  "startup-config",
                                                  "startup-delay",
                                                  "enforce-startup-config",
                                                  "suppress-startup-config",
                                                  "auto-remove",
                                                  "exec",
                                                  "binds",
                                                  "volumes",
                                                  "ports",
                                                  "env",
                                                  "credentials",
                                                  "env-files",
                                                  "user",
                                                  "hostname",
                                                  "entrypoint",
                                                  "cmd",
                                                  "labels",
                                                  "runtime",
                                                  "mgmt-ipv4",
                                                  "mgmt-ipv6",
                                                  "network-mode",
                                                  "link-apply-mode",
                                                  "cpu",
                                                  "memory",
                                                  "cpu-set",
                                                  "extras",
                                                  "config",
                                                  "stages",
                                                  "dns",
                                                  "certificate",
                                                  "healthcheck",
                                                  "components",
                                                  "aliases",
                                                  "shm-size",
                                                  "cap-add",
                                                  "privileged",
                                                  "cgroupns-mode",
                                                  "cgroup-parent",
                                                  "pid-mode",
                                                  "tmpfs",
                                                  "security-opts",
                                                  "sysctls",
                                                  "devices"};

bool contains(const std::vector<std::string>& words, const std::string& word) {
  return std::find(words.begin(), words.end(), word) != words.end();
}

Sourced<std::string> sourced(std::string text, const Value& value) {
  return {std::move(text), value.mark, value.field, value.node.Tag() == "!"};
}

void read_map_level(const Value& value,
                    std::vector<std::pair<std::string, Sourced<std::string>>>& out,
                    Diagnostics& diagnostics) {
  MapReader map(value, {}, diagnostics);
  for (const auto& entry : map.entries()) {
    if (entry.value.node.IsNull()) {
      out.emplace_back(entry.key, sourced("", entry.value));
    } else if (auto text = model::read_string(entry.value, diagnostics)) {
      out.emplace_back(entry.key, sourced(*text, entry.value));
    }
  }
}

void read_list_level(const Value& value, std::vector<Sourced<std::string>>& out,
                     Diagnostics& diagnostics) {
  auto items = model::read_list(value, diagnostics);
  if (!items) return;
  for (const auto& item : *items) {
    if (auto text = model::read_string(item, diagnostics)) out.push_back(sourced(*text, item));
  }
}

// The levels that apply to a node, most specific first; null where there is none.
std::vector<const Level*> chain(const Level& own, const Level* group, const Level* kind,
                                const Level& defaults) {
  return {&own, group, kind, &defaults};
}

const Level* find_level(const std::map<std::string, Level>& levels,
                        const Sourced<std::string>* name) {
  if (!name) return nullptr;
  auto it = levels.find(name->value);
  return it == levels.end() ? nullptr : &it->second;
}

std::optional<Sourced<std::string>> first_given(const std::vector<const Level*>& levels,
                                                const std::string& key) {
  for (const Level* level : levels) {
    if (!level) continue;
    const Sourced<std::string>* value = level->scalar(key);
    if (value && !value->value.empty()) return *value;
  }
  return std::nullopt;
}

std::map<std::string, Sourced<std::string>> merged_map(const std::vector<const Level*>& levels,
                                                       const std::string& key) {
  std::map<std::string, Sourced<std::string>> out;
  for (auto level = levels.rbegin(); level != levels.rend(); ++level) {
    if (!*level) continue;
    auto it = (*level)->maps.find(key);
    if (it == (*level)->maps.end()) continue;
    for (const auto& [name, value] : it->second) out[name] = value;
  }
  return out;
}

std::vector<Sourced<std::string>> merged_list(const std::vector<const Level*>& levels,
                                              const std::string& key) {
  std::vector<Sourced<std::string>> out;
  for (auto level = levels.rbegin(); level != levels.rend(); ++level) {
    if (!*level) continue;
    auto it = (*level)->lists.find(key);
    if (it == (*level)->lists.end()) continue;
    for (const auto& item : it->second) {
      bool seen = std::any_of(out.begin(), out.end(),
                              [&](const Sourced<std::string>& s) { return s.value == item.value; });
      if (!seen) out.push_back(item);
    }
  }
  return out;
}

std::vector<Bind> merged_binds(const std::vector<const Level*>& levels) {
  std::vector<Bind> out;
  for (const auto& text : merged_list(levels, "binds")) {
    auto bind = parse_bind(text, nullptr);  // reported when its level was read
    if (!bind) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const Bind& b) {
      return b.container_path == bind->container_path;
    });
    if (same != out.end()) {
      *same = std::move(*bind);
    } else {
      out.push_back(std::move(*bind));
    }
  }
  return out;
}

std::vector<Sourced<std::string>> merged_uninterpreted(const std::vector<const Level*>& levels) {
  std::vector<Sourced<std::string>> out;
  for (const Level* level : levels) {
    if (!level) continue;
    for (const auto& key : level->uninterpreted) {
      bool seen = std::any_of(out.begin(), out.end(),
                              [&](const Sourced<std::string>& s) { return s.value == key.value; });
      if (!seen) out.push_back(key);
    }
  }
  return out;
}

}  // namespace

const Sourced<std::string>* Level::scalar(const std::string& key) const {
  auto it = scalars.find(key);
  return it == scalars.end() ? nullptr : &it->second;
}

Level read_level(const Value& value, Diagnostics& diagnostics) {
  Level level;
  if (value.node.IsNull()) return level;
  MapReader map(value, kNodeConfigKeys, diagnostics);
  for (const auto& entry : map.entries()) {
    const Value& v = entry.value;
    if (contains(kScalarKeys, entry.key)) {
      if (auto text = model::read_string(v, diagnostics)) {
        level.scalars[entry.key] = sourced(*text, v);
      }
    } else if (contains(kListKeys, entry.key)) {
      auto& list = level.lists[entry.key];
      read_list_level(v, list, diagnostics);
      if (entry.key == "binds") {
        for (const auto& bind : list) parse_bind(bind, &diagnostics);
      }
    } else if (contains(kMapKeys, entry.key)) {
      read_map_level(v, level.maps[entry.key], diagnostics);
    } else {
      level.uninterpreted.push_back({entry.key, entry.key_mark, v.field});
    }
  }
  return level;
}

// As types/bind.go NewBindFromString: two or three ':'-separated parts; a lone path is an
// anonymous volume, which containerlab refuses under binds.
std::optional<Bind> parse_bind(const Sourced<std::string>& text, Diagnostics* diagnostics) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t colon; (colon = text.value.find(':', start)) != std::string::npos;
       start = colon + 1) {
    parts.push_back(text.value.substr(start, colon - start));
  }
  parts.push_back(text.value.substr(start));
  bool empty_part = std::any_of(parts.begin(), parts.begin() + std::min<size_t>(parts.size(), 2),
                                [](const std::string& p) { return p.empty(); });
  if (parts.size() < 2 || parts.size() > 3 || empty_part) {
    if (diagnostics) {
      diagnostics->error(text.mark, text.field,
                         fmt::format("'{}' is not a bind; expected host-path:container-path "
                                     "or host-path:container-path:mode",
                                     text.value));
    }
    return std::nullopt;
  }
  Bind bind{text, parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
  return bind;
}

Node resolve_node(const MapReader::Entry& entry, const Level& own, const Levels& levels,
                  Diagnostics& diagnostics) {
  Node node;
  node.name = entry.key;
  node.mark = entry.key_mark;
  node.field = entry.value.field;

  const Level* defaults_group = find_level(levels.groups, levels.defaults.scalar("group"));
  const Level* own_group = find_level(levels.groups, own.scalar("group"));
  auto kind = first_given({&own, own_group, defaults_group, &levels.defaults}, "kind");
  const Level* kind_level = find_level(levels.kinds, kind ? &*kind : nullptr);
  node.group = first_given({&own, kind_level, &levels.defaults}, "group");
  const Level* group_level = find_level(levels.groups, node.group ? &*node.group : nullptr);
  auto levels_of_node = chain(own, group_level, kind_level, levels.defaults);

  if (kind) {
    node.kind = *kind;
  } else {
    diagnostics.error(node.mark, node.field,
                      fmt::format("node '{}' has no kind; give `kind` here, in its group or in "
                                  "topology.defaults",
                                  node.name));
  }
  node.image = first_given(levels_of_node, "image");
  node.type = first_given(levels_of_node, "type");
  node.startup_config = first_given(levels_of_node, "startup-config");
  node.cmd = first_given(levels_of_node, "cmd");
  node.entrypoint = first_given(levels_of_node, "entrypoint");
  node.network_mode = first_given(levels_of_node, "network-mode");
  node.mgmt_ipv4 = first_given(levels_of_node, "mgmt-ipv4");
  node.mgmt_ipv6 = first_given(levels_of_node, "mgmt-ipv6");
  node.binds = merged_binds(levels_of_node);
  node.exec = merged_list(levels_of_node, "exec");
  node.labels = merged_map(levels_of_node, "labels");
  node.env = merged_map(levels_of_node, "env");
  node.sysctls = merged_map(levels_of_node, "sysctls");
  node.uninterpreted = merged_uninterpreted(levels_of_node);
  return node;
}

}  // namespace blastlab::clab
