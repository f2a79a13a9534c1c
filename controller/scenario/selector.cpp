#include "controller/scenario/selector.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace blastlab::scenario {

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative match with one backtrack point: the last `*` seen.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

std::optional<std::vector<std::string>> resolve_term(const model::Topology& topology,
                                                     std::string_view term, std::string* error) {
  std::vector<std::string> nodes;
  auto select_if = [&](auto predicate) {
    for (const auto& node : topology.nodes)
      if (predicate(node)) nodes.push_back(node.name);
  };
  auto colon = term.find(':');
  if (term == "all") {
    select_if([](const model::Node&) { return true; });
  } else if (colon != std::string_view::npos) {
    std::string_view kind = term.substr(0, colon);
    std::string value(term.substr(colon + 1));
    if (kind == "role") {
      auto role = model::role_from_string(value);
      if (!role) {
        *error = fmt::format(
            "unknown role '{}'; roles are datacenter, backbone, edge, dns, "
            "peer, client, router and host",
            value);
        return std::nullopt;
      }
      // A router or host measured as the role counts as one (a containerlab lab's peers).
      select_if([&](const model::Node& n) { return n.acts_as(*role); });
    } else if (kind == "tag") {
      select_if([&](const model::Node& n) {
        return std::find(n.tags.begin(), n.tags.end(), value) != n.tags.end();
      });
    } else if (kind == "region") {
      select_if([&](const model::Node& n) { return n.region == value; });
    } else {
      *error = fmt::format(
          "unknown selector '{}:'; use a node name, a glob, role:, tag:, "
          "region: or all",
          kind);
      return std::nullopt;
    }
  } else if (term.find_first_of("*?") != std::string_view::npos) {
    select_if([&](const model::Node& n) { return glob_match(term, n.name); });
  } else {
    select_if([&](const model::Node& n) { return n.name == term; });
    if (nodes.empty()) {
      *error = fmt::format("no node named '{}' in {}", term, topology.file);
      return std::nullopt;
    }
  }
  if (nodes.empty()) {
    *error = fmt::format("'{}' selects no node of {}", term, topology.file);
    return std::nullopt;
  }
  return nodes;
}

}  // namespace blastlab::scenario
