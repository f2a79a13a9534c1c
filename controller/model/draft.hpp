// A topology between reading and planning. The typed values alone cannot tell the
// cross-checks and the address plan what they need: which values the file gave explicitly
// (the plan must never hand out an address that overlaps one of them) and where each sits
// in the file (every later diagnostic still names a line). The draft carries both, in
// vectors parallel to topology.nodes and topology.links.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "controller/model/topology.hpp"
#include "controller/model/yaml_reader.hpp"

namespace blastlab::model {

struct NodeDraft {
  bool role_known = false;
  std::optional<Value> asn;       // given by the file (and valid)
  std::optional<Value> loopback;  // given by the file
  std::optional<Value> network;   // given by the file; network_prefix is its masked form
  Ipv4Prefix network_prefix;
  std::optional<Value> site;
  std::optional<Value> frr_config;    // frr.config as given
  std::optional<Value> frr_daemons;   // frr.daemons as given
  std::vector<Value> health_targets;  // dns: the items of its own health.targets
};

struct EndpointDraft {
  Value value;
  bool named_ifname = false;  // "bb1:eth9" rather than "bb1"
};

struct LinkDraft {
  bool endpoints_ok = false;  // both ends well formed; ends[] are then set
  Value endpoints;            // the [a, b] list, for link-level messages
  std::array<EndpointDraft, 2> ends;
  std::optional<Value> prefix;  // given by the file; network is its value
  Ipv4Prefix network;
  std::optional<int> mtu;
  Impairment impairment;  // what the link itself gives, before defaults apply
};

struct Draft {
  LoadOptions options;  // base_directory set to the file's own when the caller gave none
  Topology topology;
  std::vector<NodeDraft> nodes;
  std::vector<LinkDraft> links;

  int default_mtu = 1500;
  Impairment default_impairment;

  // Pools the file gives; absent ones are the Addressing defaults.
  std::optional<Value> loopback_pool;
  std::optional<Value> link_pool;
  std::optional<Value> client_pool;

  std::optional<Value> dns;                     // services.dns as given; absent when implicit
  std::vector<Value> anycast;                   // parallel to services.dns->anycast
  std::optional<Value> targets;                 // services.dns.health.targets as given
  std::vector<Value> target_items;              // its items
  std::vector<std::vector<Value>> prefix_from;  // parallel to services.prefixes; empty if absent
};

// Reads the YAML document into a draft, reporting every value that is malformed on its
// own. Cross-references and overlaps are left to validate_topology().
Draft read_topology(const YAML::Node& root, const LoadOptions& options, Diagnostics& diagnostics);
void read_services(const Value& value, Draft& draft, Diagnostics& diagnostics);
// A dns node's own `health`, over services.dns.health; its targets are checked by
// validate_topology.
void read_node_health(const Value& value, Node& node, NodeDraft& draft, Diagnostics& diagnostics);
// DNS hosts serve the default DnsService when the file describes none.
void add_implicit_dns(Draft& draft);
// Checks what needs the whole file: references between nodes, links and services, unique
// interfaces, ASNs and explicitly given prefixes.
void validate_topology(const Draft& draft, Diagnostics& diagnostics);
// Fills in what the file did not give: addresses, ASNs, interface addresses, impairments,
// defaults that depend on the node list.
void plan_topology(Draft& draft, Diagnostics& diagnostics);

bool is_dns_name(std::string_view name);
// "a backbone node", "an edge node": for messages.
std::string role_phrase(Role role);

}  // namespace blastlab::model
