#include "controller/scenario/template.hpp"

#include <algorithm>
#include <map>

namespace blastlab::scenario {
namespace {

std::string substitute(const std::string& line, const std::map<std::string, std::string>& vars) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = line.find("{{", pos);
    size_t close = open == std::string::npos ? open : line.find("}}", open);
    if (close == std::string::npos) break;
    out += line.substr(pos, open - pos);
    std::string name = line.substr(open + 2, close - open - 2);
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    auto it = vars.find(name);
    out += it == vars.end() ? line.substr(open, close + 2 - open) : it->second;
    pos = close + 2;
  }
  return out + line.substr(pos);
}

std::string address_of(const std::optional<model::Ipv4Prefix>& p) {
  if (!p) return "";
  std::string s = p->str();
  return s.substr(0, s.find('/'));
}

}  // namespace

std::vector<std::string> expand_config(const VtyshStep& step, const model::Topology& topology,
                                       const std::string& node_name) {
  const model::Node* node = topology.find_node(node_name);
  std::map<std::string, std::string> vars = {
      {"node", node_name},
      {"asn", std::to_string(node ? node->asn : 0)},
      {"router_id", node ? address_of(node->loopback) : ""},
      {"region", node ? node->region : ""},
  };
  std::vector<std::string> out;
  auto emit_block = [&] {
    for (const auto& line : step.config) out.push_back(substitute(line, vars));
  };
  if (!step.each_link) {
    emit_block();
    return out;
  }
  const auto& peers = step.each_link->nodes;
  for (const model::Link* link : topology.links_of(node_name)) {
    bool a_is_us = link->a.node == node_name;
    const auto& us = a_is_us ? link->a : link->b;
    const auto& them = a_is_us ? link->b : link->a;
    if (std::find(peers.begin(), peers.end(), them.node) == peers.end()) continue;
    vars["interface"] = us.ifname;
    vars["address"] = address_of(us.address);
    vars["peer"] = them.node;
    vars["peer_interface"] = them.ifname;
    vars["peer_address"] = address_of(them.address);
    emit_block();
  }
  return out;
}

}  // namespace blastlab::scenario
