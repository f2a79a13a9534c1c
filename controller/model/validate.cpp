// Checks that need the whole file: references between nodes, links and services; unique
// links and interfaces; ASNs; and explicitly given prefixes that collide.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "contracts/limits.hpp"
#include "controller/model/draft.hpp"

namespace blastlab::model {

namespace {

// Node lookups for the checks, with the did-you-mean list of every node name.
class NodeIndex {
 public:
  explicit NodeIndex(const Draft& draft) : draft_(draft) {
    for (const auto& node : draft.topology.nodes) names_.push_back(node.name);
  }

  // The node's index, or nullopt after reporting `unknown node` at value.
  std::optional<size_t> find(const std::string& name, const Value& value,
                             Diagnostics& diagnostics) const {
    auto it = std::find(names_.begin(), names_.end(), name);
    if (it != names_.end()) return static_cast<size_t>(it - names_.begin());
    diagnostics.error(value.mark, value.field,
                      fmt::format("unknown node '{}'{}", name, did_you_mean(name, names_)));
    return std::nullopt;
  }

  // The node's role when the file gave a valid one.
  std::optional<Role> role(size_t index) const {
    if (!draft_.nodes[index].role_known) return std::nullopt;
    return draft_.topology.nodes[index].role;
  }

 private:
  const Draft& draft_;
  std::vector<std::string> names_;
};

bool has_link(const Topology& topology, const std::string& x, const std::string& y) {
  return std::any_of(topology.links.begin(), topology.links.end(), [&](const Link& link) {
    return (link.a.node == x && link.b.node == y) || (link.a.node == y && link.b.node == x);
  });
}

void validate_links(const Draft& draft, const NodeIndex& index, Diagnostics& diagnostics) {
  const auto& links = draft.topology.links;
  std::map<std::pair<std::string, std::string>, size_t> pairs;
  std::map<std::pair<std::string, std::string>, size_t> interfaces;
  for (size_t i = 0; i < links.size(); ++i) {
    const LinkDraft& link_draft = draft.links[i];
    if (!link_draft.endpoints_ok) continue;
    const Link& link = links[i];
    bool a_known = index.find(link.a.node, link_draft.ends[0].value, diagnostics).has_value();
    bool b_known = index.find(link.b.node, link_draft.ends[1].value, diagnostics).has_value();
    if (!a_known || !b_known) continue;
    if (link.a.node == link.b.node) {
      diagnostics.error(
          link_draft.endpoints.mark, link_draft.endpoints.field,
          fmt::format("link from {} to itself; a link joins two different nodes", link.a.node));
      continue;
    }
    auto pair = std::minmax(link.a.node, link.b.node);
    auto [first, inserted] = pairs.emplace(pair, i);
    bool named = link_draft.ends[0].named_ifname || link_draft.ends[1].named_ifname;
    if (!inserted) {
      const LinkDraft& first_draft = draft.links[first->second];
      if (!named || !(first_draft.ends[0].named_ifname || first_draft.ends[1].named_ifname)) {
        diagnostics.error(
            link_draft.endpoints.mark, link_draft.endpoints.field,
            fmt::format("duplicate link {}-{}, first at line {}; name the interfaces "
                        "(\"{}:if\") to run parallel links",
                        link.a.node, link.b.node, links[first->second].mark.line, link.a.node));
        continue;
      }
    }
    for (size_t end = 0; end < 2; ++end) {
      const Endpoint& endpoint = end == 0 ? link.a : link.b;
      auto [used, fresh] = interfaces.emplace(std::pair(endpoint.node, endpoint.ifname), i);
      if (fresh) continue;
      const Value& value = link_draft.ends[end].value;
      diagnostics.error(value.mark, value.field,
                        fmt::format("interface '{}' on {} is already used by links[{}] at line "
                                    "{}; name the interfaces (\"{}:if\") so each is unique",
                                    endpoint.ifname, endpoint.node, used->second,
                                    links[used->second].mark.line, endpoint.node));
    }
  }
}

// A file the lab will read at `up` (a node's frr.conf, its daemons file) must be there now,
// so that a typo is a validation error and not a half-built lab.
void require_readable_file(const std::string& path, const Value& value, std::string_view what,
                           Diagnostics& diagnostics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    diagnostics.error(value.mark, value.field, fmt::format("{} {} does not exist", what, path));
  } else if (!fs::is_regular_file(status)) {
    diagnostics.error(value.mark, value.field, fmt::format("{} {} is not a file", what, path));
  }
}

void validate_user_frr(const Node& node, const NodeDraft& node_draft, Diagnostics& diagnostics) {
  if (!node.frr) return;
  if (node_draft.frr_config)
    require_readable_file(node.frr->config, *node_draft.frr_config, "FRR configuration",
                          diagnostics);
  if (node_draft.frr_daemons)
    require_readable_file(node.frr->daemons, *node_draft.frr_daemons, "FRR daemons file",
                          diagnostics);
}

void validate_nodes(const Draft& draft, const NodeIndex& index, Diagnostics& diagnostics) {
  const Topology& topology = draft.topology;
  for (size_t i = 0; i < topology.nodes.size(); ++i) {
    const Node& node = topology.nodes[i];
    const NodeDraft& node_draft = draft.nodes[i];
    if (!node_draft.role_known) continue;
    validate_user_frr(node, node_draft, diagnostics);
    std::string field = "nodes." + node.name;
    if (node.role == Role::kDns && !node_draft.site) {
      diagnostics.error(
          node.mark, field + ".site",
          fmt::format("dns node {} has no `site`; give the edge node it sits at", node.name));
    } else if (node.role == Role::kDns) {
      const Value& site = *node_draft.site;
      auto site_index = index.find(node.site, site, diagnostics);
      if (site_index && index.role(*site_index) && index.role(*site_index) != Role::kEdge) {
        diagnostics.error(site.mark, site.field,
                          fmt::format("site '{}' is {}; a dns node's site must be an "
                                      "edge node",
                                      node.site, role_phrase(*index.role(*site_index))));
      } else if (site_index && !has_link(topology, node.name, node.site)) {
        diagnostics.error(site.mark, site.field,
                          fmt::format("{} has no link to its site {}; add a link [{}, {}]",
                                      node.name, node.site, node.name, node.site));
      }
    }
    if (node.role == Role::kClient) {
      bool reaches_peer = false;
      for (const Link* link : topology.links_of(node.name)) {
        const std::string& other = link->a.node == node.name ? link->b.node : link->a.node;
        const Node* peer = topology.find_node(other);
        if (peer && peer->role == Role::kPeer) reaches_peer = true;
      }
      if (!reaches_peer) {
        diagnostics.error(node.mark, field,
                          fmt::format("{} has no link to a peer; clients reach the world "
                                      "through a peer",
                                      node.name));
      }
    }
  }
}

void validate_asns(const Draft& draft, Diagnostics& diagnostics) {
  const Topology& topology = draft.topology;
  std::map<uint32_t, size_t> used;
  for (size_t i = 0; i < topology.nodes.size(); ++i) {
    if (!draft.nodes[i].asn) continue;
    const Node& node = topology.nodes[i];
    const Value& value = *draft.nodes[i].asn;
    if (node.asn == topology.asn) {
      diagnostics.error(value.mark, value.field,
                        fmt::format("asn {} is the operator's own (top-level asn); a {} node "
                                    "needs an AS of its own",
                                    node.asn, role_phrase(node.role)));
      continue;
    }
    auto [first, fresh] = used.emplace(node.asn, i);
    if (!fresh) {
      const Node& other = topology.nodes[first->second];
      diagnostics.error(value.mark, value.field,
                        fmt::format("asn {} is already used by {} at line {}; each peer and dns "
                                    "node needs an AS of its own",
                                    node.asn, other.name, other.mark.line));
    }
  }
}

// A prefix the file gives explicitly, with how to name it in a message.
struct GivenPrefix {
  Ipv4Prefix prefix;
  const Value* value;
};

std::vector<GivenPrefix> given_prefixes(const Draft& draft) {
  std::vector<GivenPrefix> given;
  for (size_t i = 0; i < draft.nodes.size(); ++i) {
    const NodeDraft& node = draft.nodes[i];
    if (node.loopback) given.push_back({*draft.topology.nodes[i].loopback, &*node.loopback});
    if (node.network) given.push_back({node.network_prefix, &*node.network});
  }
  for (const LinkDraft& link : draft.links) {
    if (link.prefix) given.push_back({link.network, &*link.prefix});
  }
  std::stable_sort(given.begin(), given.end(), [](const GivenPrefix& a, const GivenPrefix& b) {
    return std::pair(a.value->mark.line, a.value->mark.column) <
           std::pair(b.value->mark.line, b.value->mark.column);
  });
  return given;
}

void validate_prefixes(const Draft& draft, Diagnostics& diagnostics) {
  std::vector<GivenPrefix> given = given_prefixes(draft);
  for (size_t j = 0; j < given.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      if (!given[i].prefix.overlaps(given[j].prefix)) continue;
      diagnostics.error(given[j].value->mark, given[j].value->field,
                        fmt::format("{} overlaps {} {} at line {}; explicit prefixes must not "
                                    "overlap",
                                    given[j].prefix.str(), given[i].value->field,
                                    given[i].prefix.str(), given[i].value->mark.line));
      break;
    }
  }
  if (!draft.topology.services.dns) return;
  const auto& anycast = draft.topology.services.dns->anycast;
  const Addressing& pools = draft.topology.addressing;
  const std::array<std::pair<std::string_view, const Ipv4Prefix*>, 3> spaces = {{
      {"the loopback pool addressing.loopbacks", &pools.loopbacks},
      {"the link pool addressing.links", &pools.links},
      {"the client pool addressing.clients", &pools.clients},
  }};
  for (size_t j = 0; j < anycast.size(); ++j) {
    const Value& value = draft.anycast[j];
    const Ipv4Prefix& prefix = anycast[j].prefix;
    auto report = [&](std::string_view what, const Ipv4Prefix& other, std::string_view where) {
      diagnostics.error(value.mark, value.field,
                        fmt::format("anycast prefix {} overlaps {} {}{}; anycast prefixes must "
                                    "stay out of each other and of link, loopback and client "
                                    "space",
                                    prefix.str(), what, other.str(), where));
    };
    for (size_t i = 0; i < j; ++i) {
      if (anycast[i].prefix.overlaps(prefix)) {
        report(draft.anycast[i].field, anycast[i].prefix,
               fmt::format(" at line {}", draft.anycast[i].mark.line));
      }
    }
    for (const auto& [what, pool] : spaces) {
      if (pool->overlaps(prefix)) report(what, *pool, "");
    }
    for (const GivenPrefix& other : given) {
      if (other.prefix.overlaps(prefix)) {
        report(other.value->field, other.prefix,
               fmt::format(" at line {}", other.value->mark.line));
      }
    }
  }
}

// A site can see at most every other site announcing: min-sites above that would keep every
// site announcing whatever happens, which is fail-static under another name.
void validate_min_sites(const Value& dns, int min_sites, int64_t dns_nodes,
                        Diagnostics& diagnostics) {
  if (min_sites <= 0 || min_sites <= dns_nodes - 1) return;
  // min-sites was read from services.dns.health, so both are maps here.
  YAML::Node given = dns.node["health"]["min-sites"];
  diagnostics.error(mark_of(given), dns.field + ".health.min-sites",
                    fmt::format("{} is more than the other dns sites a site can see ({} dns "
                                "node{}); give 0 (off) to {}",
                                min_sites, dns_nodes, dns_nodes == 1 ? "" : "s",
                                std::max<int64_t>(dns_nodes - 1, 0)));
}

// healthd names each target after its node, and keeps one name for its own dns check.
void report_reserved_target(const SourceMark& mark, const std::string& field,
                            Diagnostics& diagnostics) {
  diagnostics.error(mark, field,
                    fmt::format("'{}' is the name healthd keeps for its own dns check; a "
                                "node the health checks probe needs another name",
                                contracts::kReservedTargetName));
}

// A DNS host's own targets: datacenter nodes as the service's, or backbone and edge nodes,
// whose loopbacks answer icmp; tcp and http only reach the backends the datacenters run.
void validate_node_health(const Draft& draft, const NodeIndex& index, Diagnostics& diagnostics) {
  const Topology& topology = draft.topology;
  if (!topology.services.dns) return;
  for (size_t i = 0; i < topology.nodes.size(); ++i) {
    const Node& node = topology.nodes[i];
    if (!node.health) continue;
    bool own_checks = !node.health->checks.empty();
    const auto& checks = own_checks ? node.health->checks : topology.services.dns->health.checks;
    std::vector<std::string> served;
    for (const auto& check : checks)
      if (check == "tcp" || check == "http") served.push_back(check);
    for (const Value& item : draft.nodes[i].health_targets) {
      std::string name = item.node.Scalar();
      auto target = index.find(name, item, diagnostics);
      auto role = target ? index.role(*target) : std::nullopt;
      if (!role) continue;
      if (*role != Role::kDatacenter && *role != Role::kBackbone && *role != Role::kEdge) {
        diagnostics.error(item.mark, item.field,
                          fmt::format("target '{}' is {}; a DNS host's own health check probes "
                                      "datacenter, backbone or edge nodes",
                                      name, role_phrase(*role)));
      } else if (name == contracts::kReservedTargetName) {
        report_reserved_target(item.mark, item.field, diagnostics);
      } else if (*role != Role::kDatacenter && !served.empty()) {
        diagnostics.error(
            item.mark, item.field,
            fmt::format("target '{}' is {}, where nothing listens for {}{} (only datacenter "
                        "nodes run the backends); its loopback answers icmp: give {} `checks` "
                        "without {}, like [icmp]",
                        name, role_phrase(*role), join_alternatives(served),
                        own_checks ? "" : ", the checks of services.dns.health", node.name,
                        fmt::join(served, " and ")));
      }
    }
  }
}

void validate_services(const Draft& draft, const NodeIndex& index, Diagnostics& diagnostics) {
  const Topology& topology = draft.topology;
  auto count = [&](Role role) {
    return std::count_if(topology.nodes.begin(), topology.nodes.end(),
                         [&](const Node& n) { return n.role == role; });
  };
  // A node whose role could not be read has been reported already; counting it as some
  // role would only add a second, misleading message.
  bool roles_known = std::all_of(draft.nodes.begin(), draft.nodes.end(),
                                 [](const NodeDraft& n) { return n.role_known; });
  if (draft.dns && roles_known) {
    if (count(Role::kDns) == 0) {
      diagnostics.error(draft.dns->mark, draft.dns->field,
                        "services.dns needs at least one node with role dns to serve it");
    }
    if (count(Role::kDatacenter) == 0) {
      diagnostics.error(draft.dns->mark, draft.dns->field,
                        "health checks probe datacenter nodes and there is none; add a node "
                        "with role datacenter");
    }
  }
  if (!draft.dns && roles_known && topology.services.dns && count(Role::kDatacenter) == 0) {
    // DNS hosts without a services section serve the default service, and run healthd all
    // the same, which needs a target.
    auto dns = std::find_if(topology.nodes.begin(), topology.nodes.end(),
                            [](const Node& n) { return n.role == Role::kDns; });
    diagnostics.error(dns->mark, "nodes." + dns->name,
                      fmt::format("{} runs healthd, whose health checks probe datacenter nodes, "
                                  "and there is none; add a node with role datacenter",
                                  dns->name));
  }
  if (draft.dns && roles_known && topology.services.dns) {
    validate_min_sites(*draft.dns, topology.services.dns->health.min_sites, count(Role::kDns),
                       diagnostics);
  }
  auto reserved = [&](const SourceMark& mark, const std::string& field) {
    report_reserved_target(mark, field, diagnostics);
  };
  for (const Value& item : draft.target_items) {
    std::string name = item.node.Scalar();
    auto target = index.find(name, item, diagnostics);
    if (target && index.role(*target) && index.role(*target) != Role::kDatacenter) {
      diagnostics.error(item.mark, item.field,
                        fmt::format("target '{}' is {}; health checks probe datacenter "
                                    "nodes",
                                    name, role_phrase(*index.role(*target))));
    } else if (target && name == contracts::kReservedTargetName) {
      reserved(item.mark, item.field);
    }
  }
  if (topology.services.dns && !draft.targets) {
    // Every datacenter node is a target by default.
    for (const Node& node : topology.nodes) {
      if (node.role == Role::kDatacenter && node.name == contracts::kReservedTargetName)
        reserved(node.mark, "nodes." + node.name);
    }
  }
  validate_node_health(draft, index, diagnostics);
  for (const auto& from : draft.prefix_from) {
    for (const Value& item : from) {
      std::string name = item.node.Scalar();
      auto node = index.find(name, item, diagnostics);
      auto role = node ? index.role(*node) : std::nullopt;
      if (role && *role != Role::kBackbone && *role != Role::kEdge && *role != Role::kDatacenter) {
        diagnostics.error(item.mark, item.field,
                          fmt::format("'{}' is {}; operator prefixes are announced from "
                                      "backbone, edge or datacenter nodes",
                                      name, role_phrase(*role)));
      }
    }
  }
}

}  // namespace

void validate_topology(const Draft& draft, Diagnostics& diagnostics) {
  NodeIndex index(draft);
  validate_links(draft, index, diagnostics);
  validate_nodes(draft, index, diagnostics);
  validate_asns(draft, diagnostics);
  validate_prefixes(draft, diagnostics);
  validate_services(draft, index, diagnostics);
}

}  // namespace blastlab::model
