#include "controller/drill/restored.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace blastlab::drill {
namespace {

ConditionResult prefix_back(const Condition& c, RestoredLook& look) {
  std::vector<std::string> missing;
  for (const auto& node : c.at.nodes) {
    auto routes = look.routes(node);
    if (std::find(routes.begin(), routes.end(), c.prefix) == routes.end()) missing.push_back(node);
  }
  if (missing.empty())
    return {c.text(), true, fmt::format("{} at all {}", c.prefix, c.at.nodes.size())};
  return {c.text(), false,
          fmt::format("{} missing at {} of {}: {}", c.prefix, missing.size(), c.at.nodes.size(),
                      fmt::join(missing, ", "))};
}

ConditionResult dns_answering(const Condition& c, RestoredLook& look) {
  std::vector<std::string> failing, unsure;
  for (const auto& client : c.at.nodes) {
    auto streak = look.dns_streak(client, c.queries);
    if (!streak) {
      unsure.push_back(client);
    } else if (!*streak) {
      failing.push_back(client);
    }
  }
  if (failing.empty() && unsure.empty())
    return {
        c.text(), true,
        fmt::format("the last {} answers of {} client(s) all ok", c.queries, c.at.nodes.size())};
  std::vector<std::string> parts;
  if (!failing.empty())
    parts.push_back(
        fmt::format("last {} queries all failed at {}", c.queries, fmt::join(failing, ", ")));
  if (!unsure.empty())
    parts.push_back(fmt::format("some of the last {} queries failed at {}", c.queries,
                                fmt::join(unsure, ", ")));
  return {c.text(), false, fmt::format("{}", fmt::join(parts, "; "))};
}

ConditionResult reach(const Condition& c, RestoredLook& look) {
  std::vector<std::string> lost;
  size_t pairs = 0;
  for (const auto& from : c.reach.from.nodes) {
    auto results = look.reach(from, c.reach);
    for (const auto& target : c.reach.to) {
      if (target.name == from) continue;
      ++pairs;
      auto it = results.find(target.name);
      std::string result = it == results.end() ? "no probe" : it->second;
      if (result != "ok") lost.push_back(fmt::format("{} -> {} {}", from, target.name, result));
    }
  }
  if (lost.empty()) return {c.text(), true, fmt::format("{} pair(s) answered", pairs)};
  return {c.text(), false, fmt::format("{}", fmt::join(lost, ", "))};
}

ConditionResult route_via(const Condition& c, RestoredLook& look) {
  const std::string& at = c.at.nodes.at(0);
  auto toward = look.interfaces_toward(at, c.via);
  auto used = look.route_interfaces(at, c.prefix);
  if (used.empty()) return {c.text(), false, fmt::format("{} has no route to {}", at, c.prefix)};
  bool via = std::any_of(used.begin(), used.end(), [&](const std::string& ifname) {
    return std::find(toward.begin(), toward.end(), ifname) != toward.end();
  });
  if (via) return {c.text(), true, fmt::format("{} routes {} via {}", at, c.prefix, c.via)};
  return {c.text(), false,
          fmt::format("{} routes {} out of {}, not toward {}", at, c.prefix, fmt::join(used, ", "),
                      c.via)};
}

}  // namespace

bool CheckResult::restored() const {
  return std::all_of(conditions.begin(), conditions.end(),
                     [](const ConditionResult& c) { return c.holds; });
}

std::string CheckResult::summary() const {
  size_t holding = size_t(std::count_if(conditions.begin(), conditions.end(),
                                        [](const ConditionResult& c) { return c.holds; }));
  if (holding == conditions.size())
    return fmt::format("restored: all {} condition(s) hold", conditions.size());
  std::vector<std::string> not_yet;
  for (const auto& c : conditions)
    if (!c.holds) not_yet.push_back(c.condition);
  return fmt::format("{} of {} condition(s) hold; not yet: {}", holding, conditions.size(),
                     fmt::join(not_yet, "; "));
}

CheckResult check_restored(const Drill& drill, RestoredLook& look) {
  CheckResult result;
  for (const auto& c : drill.restored) {
    switch (c.kind) {
      case ConditionKind::kConverged: {
        std::string seen;
        bool holds = look.converged(&seen);
        result.conditions.push_back(
            {c.text(), holds, holds ? "every session and adjacency is up" : seen});
        break;
      }
      case ConditionKind::kPrefixBack:
        result.conditions.push_back(prefix_back(c, look));
        break;
      case ConditionKind::kDnsAnswering:
        result.conditions.push_back(dns_answering(c, look));
        break;
      case ConditionKind::kReach:
        result.conditions.push_back(reach(c, look));
        break;
      case ConditionKind::kRouteVia:
        result.conditions.push_back(route_via(c, look));
        break;
    }
  }
  return result;
}

}  // namespace blastlab::drill
