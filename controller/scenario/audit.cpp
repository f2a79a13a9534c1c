#include "controller/scenario/audit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "controller/scenario/template.hpp"

namespace blastlab::scenario {
namespace {

bool is_operator(model::Role role) {
  return role == model::Role::kBackbone || role == model::Role::kEdge ||
         role == model::Role::kDatacenter;
}

std::string trimmed(const std::string& line) {
  size_t first = line.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  size_t last = line.find_last_not_of(" \t");
  return line.substr(first, last - first + 1);
}

std::string percent(double share) {
  return fmt::format("{:.0f}%", share * 100);
}

}  // namespace

std::vector<std::string> interfaces_shut(const std::vector<std::string>& lines) {
  std::vector<std::string> shut;
  std::string current;  // the interface block we are in, if any
  for (const auto& raw : lines) {
    std::string line = trimmed(raw);
    if (line.starts_with("interface ")) {
      current = trimmed(line.substr(10));
      // `interface X vrf Y`: the interface is the first word.
      current = current.substr(0, current.find(' '));
    } else if (line == "exit" || line == "!" || line == "end") {
      current.clear();
    } else if (line == "shutdown" && !current.empty()) {
      if (std::find(shut.begin(), shut.end(), current) == shut.end()) shut.push_back(current);
    } else if (!raw.empty() && raw[0] != ' ' && raw[0] != '\t') {
      // A top-level command other than `interface` leaves the block, as in FRR's parser.
      current.clear();
    }
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
