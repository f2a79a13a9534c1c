#include "controller/model/yaml_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

namespace blastlab::model {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> keys;
  std::stringstream in(path);
  for (std::string key; std::getline(in, key, '.');) keys.push_back(key);
  return keys;
}

std::string keys_of(const YAML::Node& node) {
  std::vector<std::string> keys;
  if (node.IsMap()) {
    for (const auto& entry : node) keys.push_back(entry.first.as<std::string>());
  } else if (node.IsSequence()) {
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      if (item.IsMap() && item["name"] && item["name"].IsScalar())
        keys.push_back(item["name"].as<std::string>());
      else
        keys.push_back(std::to_string(i));
    }
  }
  return keys.empty() ? "nothing" : fmt::format("{}", fmt::join(keys, ", "));
}

// The item of a list a path key names: the one whose `name` is the key, or the key as index.
std::optional<size_t> list_item(const YAML::Node& list, const std::string& key) {
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node item = list[i];
    if (item.IsMap() && item["name"] && item["name"].IsScalar() &&
        item["name"].as<std::string>() == key)
      return i;
  }
  if (!key.empty() && std::all_of(key.begin(), key.end(), ::isdigit)) {
    size_t index = std::stoul(key);
    if (index < list.size()) return index;
  }
  return std::nullopt;
}

}  // namespace

std::string set_yaml_path(YAML::Node root, const std::string& path, const YAML::Node& value) {
  auto keys = split_path(path);
  if (keys.empty() || std::any_of(keys.begin(), keys.end(), [](auto& k) { return k.empty(); }))
    return fmt::format("'{}' is not a dotted path like services.dns.health.action", path);
  YAML::Node node = root;
  std::string walked;
  for (size_t i = 0; i < keys.size(); ++i) {
    const std::string& key = keys[i];
    bool last = i + 1 == keys.size();
    std::string where = walked.empty() ? "the document" : "`" + walked + "`";
    if (node.IsMap()) {
      if (last) {
        node[key] = YAML::Clone(value);
        return "";
      }
      const YAML::Node& view = node;
      if (!view[key]) return fmt::format("no `{}` in {}; it has {}", key, where, keys_of(node));
      node.reset(node[key]);
    } else if (node.IsSequence()) {
      auto index = list_item(node, key);
      if (!index)
        return fmt::format("no item named or numbered `{}` in {}; it has {}", key, where,
                           keys_of(node));
      if (last) {
        node[*index] = YAML::Clone(value);
        return "";
      }
      node.reset(node[*index]);
    } else {
      return fmt::format("{} is a single value, not a map or list: `{}` cannot go below it", where,
                         key);
    }
    walked += (walked.empty() ? "" : ".") + key;
  }
  return "";
}

void apply_yaml_sets(const Value& sets, YAML::Node& root, Diagnostics& diagnostics) {
  MapReader map(sets, {}, diagnostics, "path");
  for (const auto& entry : map.entries()) {
    std::string error = set_yaml_path(root, entry.key, entry.value.node);
    if (!error.empty()) diagnostics.error(entry.key_mark, entry.value.field, error);
  }
}

std::string emit_yaml(const YAML::Node& root) {
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

}  // namespace blastlab::model
