#include "controller/lab/healthd_config.hpp"

#include <fmt/format.h>

#include "controller/frr/plan.hpp"
#include "controller/frr/vtysh.hpp"
#include "controller/lab/lab.hpp"
#include "controller/lab/launcher.hpp"

namespace blastlab::lab {

nlohmann::json healthd_config(const model::Topology& topology, const model::Node& node,
                              const std::string& lab_name, const std::string& lab_dir) {
  const auto& dns = *topology.services.dns;
  const model::HealthCheck health = topology.health_of(node);
  nlohmann::json targets = nlohmann::json::array();
  for (const auto& name : health.targets) {
    if (const auto* dc = topology.find_node(name))
      targets.push_back({{"name", name}, {"address", dc->loopback->address.str()}});
  }
  nlohmann::json prefixes = nlohmann::json::array();
  for (const auto& anycast : dns.anycast) prefixes.push_back(anycast.prefix.network().str());
  nlohmann::json config = {
      {"node", node.name},
      {"pathspace", frr::pathspace(lab_name, node.name)},
      {"vtysh", frr::kVtyshBinary},
      {"vtysh_config_dir", frr::vtysh_config_dir(lab_dir)},
      {"asn", node.asn},
      {"prefixes", prefixes},
      {"degrade_route_map", frr::kDegradeRouteMap},
      {"targets", targets},
      {"checks", health.checks},
      {"port", health.port},
      {"interval_ms", health.interval.count()},
      {"timeout_ms", health.timeout.count()},
      {"rise", health.rise},
      {"fall", health.fall},
      {"action", std::string(model::to_string(health.action))},
      {"events", events_directory(lab_dir) + "/healthd-" + node.name + ".jsonl"},
  };
  if (!dns.anycast.empty() && !dns.anycast.front().nameservers.empty()) {
    config["dns"] = {{"server", dns.anycast.front().nameservers.front().address.str()},
                     {"zone", dns.zone}};
  }
  if (health.min_sites > 0) {
    // The guard's sites gossip between their addresses on the links to their PoPs: reachable
    // across the operator's network (the PoP's side is a passive OSPF interface), and cut off
    // exactly when the PoP loses the backbone, which is what the guard must notice.
    constexpr uint16_t kGuardPort = 5301;
    auto site_link_address = [&](const model::Node& dns_node) -> std::string {
      for (const model::Link* link : topology.links_of(dns_node.name)) {
        if (link->a.node == dns_node.name && link->b.node == dns_node.site)
          return link->a.address->address.str();
        if (link->b.node == dns_node.name && link->a.node == dns_node.site)
          return link->b.address->address.str();
      }
      // Validation requires the link; without it there is no address to gossip from.
      throw LabError(3, fmt::format("healthd guard for {}: no link from {} to its site {}",
                                    node.name, dns_node.name, dns_node.site));
    };
    nlohmann::json peers = nlohmann::json::array();
    for (const model::Node& other : topology.nodes) {
      if (other.role != model::Role::kDns || other.name == node.name) continue;
      peers.push_back({{"name", other.name}, {"address", site_link_address(other)}});
    }
    config["guard"] = {{"min_sites", health.min_sites},
                       {"port", kGuardPort},
                       {"address", site_link_address(node)},
                       {"peers", peers}};
  }
  return config;
}

}  // namespace blastlab::lab
