#include "controller/model/topology.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <filesystem>

#include "controller/model/draft.hpp"

namespace blastlab::model {

namespace {

constexpr std::array<std::pair<Role, std::string_view>, 8> kRoleNames = {{
    {Role::kDatacenter, "datacenter"},
    {Role::kBackbone, "backbone"},
    {Role::kEdge, "edge"},
    {Role::kDns, "dns"},
    {Role::kPeer, "peer"},
    {Role::kClient, "client"},
    {Role::kRouter, "router"},
    {Role::kHost, "host"},
}};

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

std::optional<Role> role_from_string(std::string_view text) {
  for (const auto& [value, name] : kRoleNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool is_user_role(Role role) {
  return role == Role::kRouter || role == Role::kHost;
}

// Only the roles measured from what a node has anyway, its routing table and its place in
// the network: a client is measured through the resolver, a dns node through NSD and
// healthd, a datacenter through its backends, which blastlab runs only on nodes it
// generates. A host measured as a client would get DNS probes at a resolver it lacks.
bool is_measurement_role(Role role) {
  return role == Role::kPeer || role == Role::kEdge || role == Role::kBackbone;
}

std::string not_measurement_role_reason(Role role) {
  if (is_user_role(role)) return " (router and host are what a node runs)";
  return fmt::format(
      " (a {} is measured through what blastlab runs only on the nodes it "
      "generates)",
      to_string(role));
}

std::string measurement_role_names() {
  std::vector<std::string> names;
  for (const auto& [value, name] : kRoleNames) {
    if (is_measurement_role(value)) names.emplace_back(name);
  }
  return join_alternatives(names);
}

std::string_view to_string(HealthAction action) {
  switch (action) {
    case HealthAction::kWithdraw:
      return "withdraw";
    case HealthAction::kDegrade:
      return "degrade";
    case HealthAction::kFailStatic:
      return "fail-static";
  }
  return "unknown";
}

std::string role_phrase(Role role) {
  std::string_view name = to_string(role);
  return std::string(name == "edge" ? "an " : "a ") + std::string(name) + " node";
}

bool is_valid_name(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool is_valid_lab_name(std::string_view name) {
  return is_valid_name(name) && name.size() <= kMaxLabNameLength;
}

bool is_valid_node_name(std::string_view name) {
  return is_valid_name(name) && name.size() <= kMaxIfnameLength;
}

const Node* Topology::find_node(std::string_view node_name) const {
  for (const auto& node : nodes) {
    if (node.name == node_name) return &node;
  }
  return nullptr;
}

HealthCheck Topology::health_of(const Node& node) const {
  HealthCheck health = services.dns->health;
  if (!node.health) return health;
  if (!node.health->targets.empty()) health.targets = node.health->targets;
  if (!node.health->checks.empty()) health.checks = node.health->checks;
  return health;
}

std::vector<const Link*> Topology::links_of(std::string_view node) const {
  std::vector<const Link*> result;
  for (const auto& link : links) {
    if (link.a.node == node || link.b.node == node) result.push_back(&link);
  }
  return result;
}

LoadResult load_topology_text(std::string_view text, const std::string& file_name,
                              const LoadOptions& options) {
  Diagnostics diagnostics(file_name);
  auto root = parse_document(text, "file is empty; a topology needs at least `nodes`", diagnostics);
  if (!root) return {std::nullopt, diagnostics.take_sorted()};
  LoadOptions resolved = options;
  if (resolved.base_directory.empty()) {
    resolved.base_directory =
        std::filesystem::absolute(std::filesystem::path(file_name)).parent_path().string();
  }
  Draft draft = read_topology(*root, resolved, diagnostics);
  validate_topology(draft, diagnostics);
  plan_topology(draft, diagnostics);
  if (!diagnostics.empty()) return {std::nullopt, diagnostics.take_sorted()};
  draft.topology.file = file_name;
  return {std::move(draft.topology), {}};
}

LoadResult load_topology_file(const std::string& path, const LoadOptions& options) {
  std::vector<Diagnostic> errors;
  auto text = read_input_file(path, errors);
  if (!text) return {std::nullopt, errors};
  return load_topology_text(*text, path, options);
}

}  // namespace blastlab::model
