#include "controller/scenario/audit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "controller/frr/config_commands.hpp"
#include "controller/scenario/template.hpp"

namespace blastlab::scenario {
namespace {

bool is_operator(model::Role role) {
  return role == model::Role::kBackbone || role == model::Role::kEdge ||
         role == model::Role::kDatacenter;
}

std::string percent(double share) {
  return fmt::format("{:.0f}%", share * 100);
}

}  // namespace

std::vector<std::string> interfaces_shut(const std::vector<std::string>& lines) {
  // Read as FRR reads them (`int eth1`, `shut`); the last word on an interface wins.
  std::vector<std::string> shut;
  for (const frr::ConfigCommand& command : frr::read_config_commands(lines)) {
    auto at = std::find(shut.begin(), shut.end(), command.interface);
    if (command.effect == frr::CommandEffect::kInterfaceShutdown && at == shut.end())
      shut.push_back(command.interface);
    if (command.effect == frr::CommandEffect::kInterfaceNoShutdown && at != shut.end())
      shut.erase(at);
  }
  return shut;
}

AuditVerdict audit_change(const AuditStep& audit, const Step& change,
                          const model::Topology& topology) {
  AuditVerdict verdict;
  std::vector<const model::Link*> backbone;
  for (const auto& link : topology.links) {
    const model::Node* a = topology.find_node(link.a.node);
    const model::Node* b = topology.find_node(link.b.node);
    if (!a || !b || !is_operator(a->role) || !is_operator(b->role)) continue;
    if (a->role == model::Role::kBackbone || b->role == model::Role::kBackbone)
      backbone.push_back(&link);
  }
  verdict.backbone_links = int(backbone.size());
  std::set<const model::Link*> cut;
  for (const auto& node : change.vtysh.on.nodes) {
    auto shut = interfaces_shut(expand_config(change.vtysh, topology, node));
    int own = 0;
    for (const model::Link* link : backbone) {
      bool hit = false;
      for (const auto* end : {&link->a, &link->b})
        if (end->node == node && std::find(shut.begin(), shut.end(), end->ifname) != shut.end())
          hit = true;
      if (!hit) continue;
      ++own;
      cut.insert(link);
    }
    double share = backbone.empty() ? 0 : double(own) / double(backbone.size());
    if (share > verdict.largest_router_share) {
      verdict.largest_router_share = share;
      verdict.largest_router = node;
    }
  }
  verdict.links_cut = int(cut.size());
  verdict.cut_share = backbone.empty() ? 0 : double(cut.size()) / double(backbone.size());
  verdict.judged_share = audit.bug ? verdict.largest_router_share : verdict.cut_share;
  verdict.pass = verdict.judged_share <= audit.max_cut;
  std::string what =
      fmt::format("'{}' cuts {} of {} backbone links ({})", change.name, verdict.links_cut,
                  verdict.backbone_links, percent(verdict.cut_share));
  if (audit.bug) {
    verdict.detail = fmt::format(
        "{}; judged router by router (the 2021 bug), the largest part is {}'s {} {} the limit "
        "{}: {}",
        what, verdict.largest_router.empty() ? "no router" : verdict.largest_router,
        percent(verdict.largest_router_share), verdict.pass ? "within" : "over",
        percent(audit.max_cut), verdict.pass ? "passed" : "refused");
  } else {
    verdict.detail = fmt::format("{}, {} the limit {}: {}", what, verdict.pass ? "within" : "over",
                                 percent(audit.max_cut), verdict.pass ? "passed" : "refused");
  }
  return verdict;
}

}  // namespace blastlab::scenario
