// Reading a topology file into a Draft: the top level, defaults, addressing, nodes and
// links. Services are in parse_services.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "controller/model/draft.hpp"

namespace blastlab::model {

namespace {

constexpr std::string_view kIfnameLimit = "Linux interface names hold at most 15";
const std::vector<std::string> kRoles = {"datacenter", "backbone", "edge",   "dns",
                                         "peer",       "client",   "router", "host"};

// Which roles each role-specific key belongs to, and why it is refused elsewhere.
struct RoleKey {
  std::string key;
  std::vector<Role> roles;
  std::string allowed;  // "peer and dns nodes; the operator's nodes use the top-level asn"
};

const std::vector<RoleKey> kRoleKeys = {
    {"asn",
     {Role::kPeer, Role::kDns},
     "peer and dns nodes; the operator's nodes use the top-level asn and clients have none"},
    {"region", {Role::kBackbone, Role::kEdge}, "backbone and edge nodes"},
    {"site", {Role::kDns}, "dns nodes (the edge node a DNS host sits at)"},
    {"route-reflector", {Role::kBackbone}, "backbone nodes"},
    {"network", {Role::kClient}, "client nodes"},
    {"frr",
     {Role::kDatacenter, Role::kBackbone, Role::kEdge, Role::kDns, Role::kPeer, Role::kRouter},
     "nodes that run FRR; clients and hosts run no routing daemon"},
    {"health", {Role::kDns}, "dns nodes (a DNS host's own health check, over services.dns.health)"},
    {"measure-as",
     {Role::kRouter, Role::kHost},
     "router and host nodes; the other roles are measured as what they are"},
};

// A path of the file, relative to the file's directory (or the one the loader was given).
std::string resolve_path(const std::string& path, const Draft& draft) {
  namespace fs = std::filesystem;
  fs::path p(path);
  if (p.is_relative()) p = fs::path(draft.options.base_directory) / p;
  return p.lexically_normal().string();
}

// The first file column of a scalar's text: a quoted scalar starts one after its quote.
int text_column(const Value& value) {
  return value.mark.column + (value.node.Tag() == "!" ? 1 : 0);
}

void read_frr(const Value& value, Node& node, NodeDraft& draft, const Draft& whole,
              Diagnostics& diagnostics) {
  MapReader map(value, {"config", "daemons"}, diagnostics);
  if (!map.is_map()) return;
  UserFrr frr;
  frr.mark = value.mark;
  if (const Value* v = map.find("config")) {
    if (auto path = read_string(*v, diagnostics)) {
      frr.config = resolve_path(*path, whole);
      draft.frr_config = *v;
    }
  } else {
    diagnostics.error(value.mark, value.field + ".config",
                      "`frr` needs `config`: the node's integrated frr.conf");
  }
  if (const Value* v = map.find("daemons")) {
    if (auto path = read_string(*v, diagnostics)) {
      frr.daemons = resolve_path(*path, whole);
      draft.frr_daemons = *v;
    }
  }
  node.frr = std::move(frr);
}

void read_exec(const Value& value, Node& node, const Draft& whole, Diagnostics& diagnostics) {
  for (const Value& item : read_list(value, diagnostics).value_or(std::vector<Value>{})) {
    auto line = read_string(item, diagnostics);
    if (!line) continue;
    ExecCommand command{*line, std::nullopt, item.mark};
    auto parsed = execline::parse_exec_line(*line, text_column(item));
    if (auto* op = std::get_if<execline::IpOperation>(&parsed)) {
      command.ip = *op;
    } else if (!whole.options.trust_exec) {
      const auto& error = std::get<execline::ExecLineError>(parsed);
      diagnostics.error({item.mark.line, error.column}, item.field,
                        error.message +
                            "; or pass --trust-exec to run the file's other lines "
                            "with /bin/sh -c in the node's namespace");
      continue;
    }
    node.exec.push_back(std::move(command));
  }
}

// A router or host measured as one of the generated roles (a vantage point as a peer is).
void read_measure_as(const Value& value, Node& node, Diagnostics& diagnostics) {
  auto text = read_string(value, diagnostics);
  if (!text) return;
  auto role = role_from_string(*text);
  if (role && is_measurement_role(*role)) {
    node.measured_as = *role;
    return;
  }
  diagnostics.error(
      value.mark, value.field,
      fmt::format("'{}' is not a role to measure a node as{}; allowed: {}", *text,
                  role ? not_measurement_role_reason(*role) : did_you_mean(*text, kRoles),
                  measurement_role_names()));
}

bool is_ifname_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// Reads delay/jitter/loss/rate from a map that has them (a link or defaults.link).
void read_impairment(const MapReader& map, Impairment& impairment, Diagnostics& diagnostics) {
  if (const Value* v = map.find("delay")) impairment.delay = read_duration(*v, diagnostics);
  if (const Value* v = map.find("jitter")) impairment.jitter = read_duration(*v, diagnostics);
  if (const Value* v = map.find("loss")) impairment.loss_percent = read_loss(*v, diagnostics);
  if (const Value* v = map.find("rate"))
    impairment.rate_bits_per_second = read_rate(*v, diagnostics);
}

// netem has no jitter without a delay to vary.
void check_jitter(const MapReader& map, bool has_delay, Diagnostics& diagnostics) {
  const Value* jitter = map.find("jitter");
  if (jitter && !has_delay) {
    diagnostics.error(jitter->mark, jitter->field,
                      "jitter without delay; jitter varies a delay, so give `delay` too "
                      "(here or in defaults.link)");
  }
}

void read_defaults(const Value& value, Draft& draft, Diagnostics& diagnostics) {
  MapReader defaults(value, {"mtu", "link"}, diagnostics);
  if (const Value* v = defaults.find("mtu")) {
    if (auto mtu = read_int(*v, 68, 65535, diagnostics)) draft.default_mtu = static_cast<int>(*mtu);
  }
  if (const Value* v = defaults.find("link")) {
    MapReader link(*v, {"delay", "jitter", "loss", "rate"}, diagnostics);
    read_impairment(link, draft.default_impairment, diagnostics);
    check_jitter(link, link.find("delay") != nullptr, diagnostics);
  }
}

std::optional<Ipv4Prefix> read_pool(const MapReader& map, std::string_view key, int max_length,
                                    std::optional<Value>& given, Diagnostics& diagnostics) {
  const Value* v = map.find(key);
  if (!v) return std::nullopt;
  auto prefix = read_prefix(*v, false, diagnostics);
  if (!prefix || !require_network(*prefix, *v, diagnostics) ||
      !require_length(*prefix, 0, max_length, *v, diagnostics) ||
      !require_lab_range(*prefix, *v, diagnostics)) {
    return std::nullopt;
  }
  given = *v;
  return prefix;
}

void read_addressing(const Value& value, Draft& draft, Diagnostics& diagnostics) {
  MapReader map(value, {"loopbacks", "links", "clients"}, diagnostics);
  Addressing& addressing = draft.topology.addressing;
  if (auto p = read_pool(map, "loopbacks", 32, draft.loopback_pool, diagnostics)) {
    addressing.loopbacks = *p;
  }
  if (auto p = read_pool(map, "links", 31, draft.link_pool, diagnostics)) addressing.links = *p;
  if (auto p = read_pool(map, "clients", 28, draft.client_pool, diagnostics)) {
    addressing.clients = *p;
  }
  // Planned addresses from overlapping pools could collide with each other.
  const std::array<std::pair<const std::optional<Value>*, const Ipv4Prefix*>, 3> pools = {{
      {&draft.loopback_pool, &addressing.loopbacks},
      {&draft.link_pool, &addressing.links},
      {&draft.client_pool, &addressing.clients},
  }};
  for (size_t j = 0; j < pools.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      if (!pools[j].first->has_value() || !pools[i].second->overlaps(*pools[j].second)) continue;
      const Value& v = **pools[j].first;
      diagnostics.error(v.mark, v.field,
                        fmt::format("{} overlaps the {} pool {}; the pools must be disjoint",
                                    pools[j].second->str(), i == 0 ? "loopbacks" : "links",
                                    pools[i].second->str()));
    }
  }
}

void read_node_fields(const MapReader& map, Node& node, NodeDraft& draft, const Draft& whole,
                      Diagnostics& diagnostics) {
  for (const auto& rule : kRoleKeys) {
    const MapReader::Entry* entry = map.find_entry(rule.key);
    if (!entry) continue;
    if (std::find(rule.roles.begin(), rule.roles.end(), node.role) == rule.roles.end()) {
      diagnostics.error(entry->key_mark, entry->value.field,
                        fmt::format("`{}` is only for {}; {} is {}", rule.key, rule.allowed,
                                    node.name, role_phrase(node.role)));
    }
  }
  auto allowed = [&](std::string_view key) -> const Value* {
    const Value* v = map.find(key);
    if (!v) return nullptr;
    for (const auto& rule : kRoleKeys) {
      if (rule.key == key &&
          std::find(rule.roles.begin(), rule.roles.end(), node.role) == rule.roles.end()) {
        return nullptr;
      }
    }
    return v;
  };
  if (const Value* v = allowed("asn")) {
    if (auto asn = read_int(*v, 1, 4294967294, diagnostics)) {
      node.asn = static_cast<uint32_t>(*asn);
      draft.asn = *v;
    }
  }
  if (const Value* v = allowed("region")) {
    if (auto region = read_name(*v, SIZE_MAX, "", diagnostics)) node.region = *region;
  }
  if (const Value* v = allowed("site")) {
    if (auto site = read_string(*v, diagnostics)) {
      node.site = *site;
      draft.site = *v;
    }
  }
  if (const Value* v = allowed("route-reflector")) {
    node.route_reflector = read_bool(*v, diagnostics).value_or(false);
  }
  if (const Value* v = allowed("network")) {
    auto prefix = read_prefix(*v, false, diagnostics);
    if (prefix && require_network(*prefix, *v, diagnostics) &&
        require_length(*prefix, 16, 30, *v, diagnostics) &&
        require_lab_range(*prefix, *v, diagnostics)) {
      draft.network = *v;
      draft.network_prefix = *prefix;
      node.network = Ipv4Prefix{{prefix->address.value + 1}, prefix->length};
    }
  }
  if (const Value* v = map.find("loopback")) {
    auto prefix = read_prefix(*v, true, diagnostics);
    if (prefix && require_length(*prefix, 32, 32, *v, diagnostics) &&
        require_lab_range(*prefix, *v, diagnostics)) {
      draft.loopback = *v;
      node.loopback = *prefix;
    }
  }
  if (const Value* v = map.find("tags")) {
    for (const Value& item : read_list(*v, diagnostics).value_or(std::vector<Value>{})) {
      if (auto tag = read_name(item, SIZE_MAX, "", diagnostics)) node.tags.push_back(*tag);
    }
  }
  if (const Value* v = allowed("frr")) read_frr(*v, node, draft, whole, diagnostics);
  if (node.role == Role::kRouter && !map.find("frr")) {
    diagnostics.error(node.mark, "nodes." + node.name + ".frr",
                      fmt::format("router {} needs `frr: {{config: FILE}}`: a router runs the "
                                  "user's own FRR configuration",
                                  node.name));
  }
  if (const Value* v = map.find("exec")) read_exec(*v, node, whole, diagnostics);
  if (const Value* v = allowed("measure-as")) read_measure_as(*v, node, diagnostics);
  if (const Value* v = allowed("health")) read_node_health(*v, node, draft, diagnostics);
}

void read_node(const MapReader::Entry& entry, Draft& draft, Diagnostics& diagnostics) {
  Node node;
  NodeDraft node_draft;
  node.name = entry.key;
  node.mark = entry.key_mark;
  read_name({YAML::Node(entry.key), entry.key_mark, entry.value.field}, kMaxIfnameLength,
            kIfnameLimit, diagnostics);
  MapReader map(entry.value,
                {"role", "asn", "region", "site", "route-reflector", "tags", "loopback", "network",
                 "frr", "exec", "measure-as", "health"},
                diagnostics);
  if (map.is_map()) {
    if (const Value* v = map.find("role")) {
      if (auto text = read_string(*v, diagnostics)) {
        if (auto role = role_from_string(*text)) {
          node.role = *role;
          node_draft.role_known = true;
        } else {
          diagnostics.error(v->mark, v->field,
                            fmt::format("unknown role '{}'{}; allowed: {}", *text,
                                        did_you_mean(*text, kRoles), join_alternatives(kRoles)));
        }
      }
    } else {
      diagnostics.error(entry.value.mark, entry.value.field + ".role",
                        fmt::format("node {} has no `role`; give one of {}", node.name,
                                    join_alternatives(kRoles)));
    }
    if (node_draft.role_known) read_node_fields(map, node, node_draft, draft, diagnostics);
  }
  draft.topology.nodes.push_back(std::move(node));
  draft.nodes.push_back(std::move(node_draft));
}

// "node" or "node:ifname".
bool read_endpoint(const Value& value, Endpoint& endpoint, EndpointDraft& draft,
                   Diagnostics& diagnostics) {
  draft.value = value;
  auto text = read_string(value, diagnostics);
  if (!text) return false;
  auto fail = [&](std::string problem) {
    diagnostics.error(value.mark, value.field,
                      fmt::format("{}; write node or node:ifname", problem));
    return false;
  };
  if (text->empty()) return fail("endpoint is empty");
  size_t colon = text->find(':');
  if (colon != std::string::npos && text->find(':', colon + 1) != std::string::npos) {
    return fail(fmt::format("endpoint '{}' has more than one ':'", *text));
  }
  endpoint.node = text->substr(0, colon);
  if (endpoint.node.empty()) return fail(fmt::format("endpoint '{}' has no node name", *text));
  if (colon == std::string::npos) return true;
  endpoint.ifname = text->substr(colon + 1);
  draft.named_ifname = true;
  const std::string& ifname = endpoint.ifname;
  if (ifname.empty() || ifname.size() > kMaxIfnameLength ||
      !std::all_of(ifname.begin(), ifname.end(), is_ifname_char) || ifname == "." ||
      ifname == "..") {
    diagnostics.error(value.mark, value.field,
                      fmt::format("interface name '{}' is not allowed; interface names are 1 to "
                                  "15 characters of letters, digits, '_', '.' and '-'",
                                  ifname));
    return false;
  }
  return true;
}

void read_link(const Value& item, Draft& draft, Diagnostics& diagnostics) {
  Link link;
  LinkDraft link_draft;
  link.mark = item.mark;
  std::optional<MapReader> map;
  if (item.node.IsSequence()) {
    link_draft.endpoints = item;
  } else if (item.node.IsMap()) {
    map.emplace(
        item,
        std::vector<std::string>{"endpoints", "prefix", "mtu", "delay", "jitter", "loss", "rate"},
        diagnostics);
    if (const Value* v = map->find("endpoints")) {
      link_draft.endpoints = *v;
    } else {
      diagnostics.error(item.mark, item.field + ".endpoints",
                        "a link needs `endpoints`: [node, node]");
    }
  } else {
    diagnostics.error(item.mark, item.field,
                      fmt::format("expected a link, [a, b] or a map with `endpoints`, got {}",
                                  describe(item.node)));
  }
  if (link_draft.endpoints.node.IsDefined()) {
    auto ends = read_list(link_draft.endpoints, diagnostics);
    if (ends && ends->size() != 2) {
      diagnostics.error(link_draft.endpoints.mark, link_draft.endpoints.field,
                        fmt::format("a link has exactly 2 endpoints (node or node:ifname), got {}",
                                    ends->size()));
    } else if (ends) {
      bool a = read_endpoint((*ends)[0], link.a, link_draft.ends[0], diagnostics);
      bool b = read_endpoint((*ends)[1], link.b, link_draft.ends[1], diagnostics);
      link_draft.endpoints_ok = a && b;
      if (link.a.ifname.empty()) link.a.ifname = link.b.node;
      if (link.b.ifname.empty()) link.b.ifname = link.a.node;
    }
  }
  if (map) {
    if (const Value* v = map->find("prefix")) {
      auto prefix = read_prefix(*v, false, diagnostics);
      if (prefix && require_network(*prefix, *v, diagnostics) &&
          require_length(*prefix, 24, 31, *v, diagnostics) &&
          require_lab_range(*prefix, *v, diagnostics)) {
        link_draft.prefix = *v;
        link_draft.network = *prefix;
      }
    }
    if (const Value* v = map->find("mtu")) {
      if (auto mtu = read_int(*v, 68, 65535, diagnostics)) link_draft.mtu = static_cast<int>(*mtu);
    }
    read_impairment(*map, link_draft.impairment, diagnostics);
    check_jitter(*map, map->find("delay") || draft.default_impairment.delay, diagnostics);
  }
  draft.topology.links.push_back(std::move(link));
  draft.links.push_back(std::move(link_draft));
}

}  // namespace

Draft read_topology(const YAML::Node& root, const LoadOptions& options, Diagnostics& diagnostics) {
  Draft draft;
  draft.options = options;
  MapReader top({root, mark_of(root), ""},
                {"name", "asn", "defaults", "addressing", "nodes", "links", "services"},
                diagnostics);
  if (!top.is_map()) return draft;
  if (const Value* v = top.find("name")) {
    auto limit = fmt::format("lab names hold at most {} so that namespace names stay short",
                             kMaxLabNameLength);
    if (auto name = read_name(*v, kMaxLabNameLength, limit, diagnostics)) {
      draft.topology.name = *name;
    }
  }
  if (const Value* v = top.find("asn")) {
    if (auto asn = read_int(*v, 1, 4294967294, diagnostics)) {
      draft.topology.asn = static_cast<uint32_t>(*asn);
    }
  }
  if (const Value* v = top.find("defaults")) read_defaults(*v, draft, diagnostics);
  if (const Value* v = top.find("addressing")) read_addressing(*v, draft, diagnostics);
  if (const Value* v = top.find("nodes")) {
    MapReader nodes(*v, {}, diagnostics, "node");
    for (const auto& entry : nodes.entries()) read_node(entry, draft, diagnostics);
    if (nodes.is_map() && nodes.entries().empty()) {
      diagnostics.error(v->mark, v->field, "`nodes` is empty; a topology needs at least one node");
    }
  } else {
    diagnostics.error(mark_of(root), "nodes",
                      "a topology needs `nodes`: a map of node name to node");
  }
  if (const Value* v = top.find("links")) {
    for (const Value& item : read_list(*v, diagnostics).value_or(std::vector<Value>{})) {
      read_link(item, draft, diagnostics);
    }
  }
  if (const Value* v = top.find("services")) read_services(*v, draft, diagnostics);
  bool has_dns_node = std::any_of(draft.topology.nodes.begin(), draft.topology.nodes.end(),
                                  [](const Node& n) { return n.role == Role::kDns; });
  if (!draft.topology.services.dns && has_dns_node) add_implicit_dns(draft);
  return draft;
}

}  // namespace blastlab::model
