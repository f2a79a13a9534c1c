#include "controller/clab_export/clabverter.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <set>

#include "controller/clab_export/clab_export.hpp"

namespace blastlab::clab_export::clabverter {
namespace {

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_configmap_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.';
  });
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

// Why a bind's source is no file clabverter can read from the export, or empty.
std::string source_problem(const std::string& source, const Export& exported) {
  if (source.empty()) return "has no source";
  if (source.front() == '/') {
    return "is an absolute path: clabverter reads it on the machine it runs on, and its "
           "container sees only the export's directory";
  }
  if (source.front() == '~') return "starts with ~, which clabverter does not expand";
  if (source.find("__clab") != std::string::npos) {
    return "uses a containerlab variable, which clabverter turns into an absolute path";
  }
  for (const auto& part : split(source, '/')) {
    if (part == ".." || part == "." || part.empty()) return "is not a plain relative path";
  }
  const File* file = exported.find(source);
  if (!file) return "is no file of the export (a directory bind is expanded wrongly)";
  if (file->text.size() > kMaxConfigMapFile) {
    return fmt::format("is {} bytes, more than a ConfigMap holds ({})", file->text.size(),
                       kMaxConfigMapFile);
  }
  return "";
}

void check_node(const std::string& lab, const std::string& node, const YAML::Node& config,
                const Export& exported, std::vector<std::string>& problems) {
  if (!is_dns_label(node)) {
    problems.push_back(
        fmt::format("node {}: not an RFC 1035 label, which its Kubernetes "
                    "Deployment and Service are named with",
                    node));
  }
  if (!config.IsMap() || !config["binds"]) return;
  std::string configmap = configmap_name(lab, node);
  std::map<std::string, std::string> keys, volumes;  // -> the source that has it
  for (const auto& bind : config["binds"]) {
    std::string text = bind.as<std::string>();
    auto parts = split(text, ':');
    if (parts.size() < 2 || parts.size() > 3) {
      problems.push_back(
          fmt::format("node {}: bind {} is not SOURCE:DESTINATION[:MODE]", node, text));
      continue;
    }
    if (auto why = source_problem(parts[0], exported); !why.empty()) {
      problems.push_back(fmt::format("node {}: bind {}: the source {}", node, text, why));
    }
    if (parts[1].empty() || parts[1].front() != '/') {
      problems.push_back(
          fmt::format("node {}: bind {}: the destination is not an absolute path", node, text));
    }
    std::string key = configmap_key(parts[0]);
    if (!is_configmap_key(key)) {
      problems.push_back(
          fmt::format("node {}: bind {}: '{}' is no ConfigMap key", node, text, key));
    }
    if (auto [it, added] = keys.emplace(key, parts[0]); !added) {
      problems.push_back(fmt::format("node {}: binds {} and {} get the same ConfigMap key {}", node,
                                     it->second, parts[0], key));
    }
    std::string volume = volume_name(configmap, key);
    if (auto [it, added] = volumes.emplace(volume, parts[0]); !added) {
      problems.push_back(fmt::format("node {}: binds {} and {} get the same volume name {}", node,
                                     it->second, parts[0], volume));
    }
  }
}

void check_link(size_t index, const YAML::Node& link, std::vector<std::string>& problems) {
  if (!link.IsMap() || !link["endpoints"] || !link["endpoints"].IsSequence() ||
      link["endpoints"].size() != 2) {
    problems.push_back(fmt::format("links[{}]: not `endpoints: [\"a:x\", \"b:y\"]`", index));
    return;
  }
  for (const auto& key : link) {
    std::string name = key.first.as<std::string>();
    if (name != "endpoints" && name != "mtu") {
      problems.push_back(
          fmt::format("links[{}]: `{}` is not read by clabernetes' controller "
                      "(LinkConfig: endpoints, labels, vars, mtu)",
                      index, name));
    }
  }
  for (const auto& endpoint : link["endpoints"]) {
    if (!endpoint.IsScalar() || split(endpoint.as<std::string>(), ':').size() != 2) {
      problems.push_back(
          fmt::format("links[{}]: endpoint {} is not NODE:INTERFACE", index, YAML::Dump(endpoint)));
    }
  }
}

}  // namespace

bool is_dns_label(std::string_view name) {
  if (name.empty() || name.size() > kNameMaxLength) return false;
  if (name.front() < 'a' || name.front() > 'z' || !is_lower_alnum(name.back())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_lower_alnum(c) || c == '-'; });
}

std::string safe_concat(const std::vector<std::string>& parts) {
  std::string joined = fmt::format("{}", fmt::join(parts, "-"));
  return joined.size() <= kNameMaxLength ? joined : "#" + joined;
}

std::string enforce_dns_label(std::string name) {
  for (char& c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!is_lower_alnum(c) && c != '-') c = '-';
  }
  if (!name.empty() && (name.front() < 'a' || name.front() > 'z')) name.front() = 'z';
  if (!name.empty() && (name.back() < 'a' || name.back() > 'z')) name.back() = 'z';
  return name;
}

std::string configmap_name(const std::string& lab, const std::string& node) {
  return safe_concat({lab, node, "files"});
}

std::string configmap_key(const std::string& source) {
  std::string key = safe_concat(split(source, '/'));
  if (key.starts_with('-')) key.erase(0, 1);
  return key;
}

std::string volume_name(const std::string& configmap, const std::string& key) {
  std::string joined = safe_concat({configmap, key});
  // A cut name keeps its difference in the hash clabverter appends.
  return joined.starts_with('#') ? joined : enforce_dns_label(joined);
}

std::vector<std::string> check(const Export& exported) {
  std::vector<std::string> problems;
  const File* topology = exported.find(exported.topology_path);
  if (!topology) return {fmt::format("the export has no {}", exported.topology_path)};
  YAML::Node root;
  try {
    root = YAML::Load(topology->text);
  } catch (const YAML::Exception& e) {
    return {fmt::format("{} is not YAML: {}", exported.topology_path, e.what())};
  }
  std::string lab = root["name"] ? root["name"].as<std::string>() : "";
  if (!is_dns_label(lab) || ("c9s-" + lab).size() > kNameMaxLength) {
    problems.push_back(
        fmt::format("name '{}': clabverter makes the namespace c9s-NAME, which "
                    "must be an RFC 1035 label",
                    lab));
  }
  const YAML::Node topo = root["topology"];
  for (const char* level : {"kinds", "groups"}) {
    if (!topo[level]) continue;
    for (const auto& entry : topo[level]) {
      if (entry.second["binds"]) {
        problems.push_back(fmt::format("{}.{}: clabverter ignores the binds of {}", level,
                                       entry.first.as<std::string>(), level));
      }
    }
  }
  if (topo["nodes"]) {
    for (const auto& node : topo["nodes"])
      check_node(lab, node.first.as<std::string>(), node.second, exported, problems);
  }
  if (topo["links"]) {
    size_t index = 0;
    for (const auto& link : topo["links"]) check_link(index++, link, problems);
  }
  return problems;
}

}  // namespace blastlab::clab_export::clabverter
