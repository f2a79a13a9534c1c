#include "controller/scenario/reach_targets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace blastlab::scenario {

std::optional<model::Ipv4Address> model_probe_address(const model::Node& node) {
  if (node.role == model::Role::kClient && node.network) return node.network->address;
  if (!node.loopback) return std::nullopt;
  return node.loopback->address;
}

std::vector<std::string> holders_of(const model::Topology& topology, model::Ipv4Address address) {
  std::vector<std::string> holders;
  auto add = [&](const std::string& node) {
    if (std::find(holders.begin(), holders.end(), node) == holders.end()) holders.push_back(node);
  };
  for (const auto& node : topology.nodes) {
    bool holds = (node.loopback && node.loopback->address == address) ||
                 (node.network && node.network->address == address);
    for (const auto* link : topology.links_of(node.name)) {
      const auto& end = link->a.node == node.name ? link->a : link->b;
      holds = holds || (end.address && end.address->address == address);
    }
    if (node.role == model::Role::kDns && topology.services.dns) {
      for (const auto& anycast : topology.services.dns->anycast)
        for (const auto& ns : anycast.nameservers) holds = holds || ns.address == address;
    }
    if (holds) add(node.name);
  }
  return holders;
}

bool served_already(const model::Topology& topology, const model::Node& node,
                    const std::string& address, uint16_t port) {
  if (node.role == model::Role::kDatacenter) {
    uint16_t backend = topology.services.dns ? topology.services.dns->health.port : 80;
    if (port == backend && node.loopback && address == node.loopback->address.str()) return true;
  }
  if (node.role == model::Role::kDns && topology.services.dns && port == 53) {
    for (const auto& anycast : topology.services.dns->anycast)
      for (const auto& ns : anycast.nameservers)
        if (ns.address.str() == address) return true;
  }
  return false;
}

std::vector<ReachListener> reach_listeners(const model::Topology& topology, const Script& script) {
  std::map<std::string, std::vector<std::string>> by_node;
  auto listen = [&](const std::string& node, const std::string& address, uint16_t port) {
    const model::Node* n = topology.find_node(node);
    if (!n || served_already(topology, *n, address, port)) return;
    auto& list = by_node[node];
    std::string text = fmt::format("{}:{}", address.empty() ? "0.0.0.0" : address, port);
    if (std::find(list.begin(), list.end(), text) == list.end()) list.push_back(text);
  };
  for (const ReachProbe& probe : script.reach) {
    if (probe.proto != "tcp") continue;
    for (const ReachTarget& target : probe.to) {
      if (target.is_node) {
        listen(target.name, target.address, probe.port);
        continue;
      }
      auto address = model::Ipv4Address::parse(target.address);
      if (!address) continue;
      for (const auto& holder : holders_of(topology, *address))
        listen(holder, target.address, probe.port);
    }
  }
  std::vector<ReachListener> listeners;
  for (const auto& node : topology.nodes) {
    auto it = by_node.find(node.name);
    if (it != by_node.end()) listeners.push_back({node.name, it->second});
  }
  return listeners;
}

std::optional<std::string> first_probe_address(std::vector<InterfaceAddresses> interfaces) {
  std::stable_sort(interfaces.begin(), interfaces.end(),
                   [](const InterfaceAddresses& a, const InterfaceAddresses& b) {
                     if ((a.ifname == "lo") != (b.ifname == "lo")) return a.ifname == "lo";
                     return a.ifname < b.ifname;
                   });
  static const model::Ipv4Prefix kLoopbackNet = *model::Ipv4Prefix::parse("127.0.0.0/8");
  for (const auto& interface : interfaces) {
    for (const auto& cidr : interface.addresses) {
      auto prefix = model::Ipv4Prefix::parse(cidr);
      if (!prefix || kLoopbackNet.contains(prefix->address)) continue;
      return prefix->address.str();
    }
  }
  return std::nullopt;
}

}  // namespace blastlab::scenario
