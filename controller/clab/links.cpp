// Reading topology.links in both of containerlab's forms. The brief form is a pair of
// "node:interface" strings, which containerlab turns into a veth link unless an end names
// one of its pseudo nodes (host, mgmt-net, macvlan: links/link_brief.go); the extended
// form has a `type` and endpoint maps. Only veth links join two lab nodes; the other types
// reach the host's network or another machine, so they are read and recorded as what they
// are, and the caller refuses them.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "controller/clab/reader_parts.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::clab {

namespace {

struct TypeRule {
  LinkType type;
  std::string name;
  std::vector<std::string> keys;  // the schema's link-type-<name> properties
};

const std::vector<std::string> kBriefKeys = {"endpoints", "mtu", "ipv4", "ipv6", "vars"};
const std::vector<std::string> kEndpointKeys = {"node", "interface", "mac", "ipv4", "ipv6", "vars"};
const std::vector<TypeRule> kTypes = {
    {LinkType::kVeth, "veth", {"type", "endpoints", "mtu", "ipv4", "ipv6", "vars", "labels"}},
    {LinkType::kVethStitch, "veth-stitch", {"type", "endpoints", "mtu", "vars", "labels"}},
    {LinkType::kMgmtNet,
     "mgmt-net",
     {"type", "endpoint", "host-interface", "mtu", "vars", "labels"}},
    {LinkType::kMacvlan,
     "macvlan",
     {"type", "endpoint", "host-interface", "mode", "mtu", "vars", "labels"}},
    {LinkType::kHost, "host", {"type", "endpoint", "host-interface", "mtu", "vars", "labels"}},
    {LinkType::kVxlan,
     "vxlan",
     {"type", "endpoint", "remote", "vni", "dst-port", "src-port", "mtu", "vars", "labels"}},
    {LinkType::kVxlanStitch,
     "vxlan-stitch",
     {"type", "endpoint", "remote", "vni", "dst-port", "src-port", "mtu", "vars", "labels"}},
    {LinkType::kDummy, "dummy", {"type", "endpoint", "mtu", "vars", "labels"}},
};

const TypeRule* find_type(std::string_view name) {
  for (const auto& rule : kTypes) {
    if (rule.name == name) return &rule;
  }
  return nullptr;
}

std::vector<std::string> type_names() {
  std::vector<std::string> names;
  for (const auto& rule : kTypes) names.push_back(rule.name);
  return names;
}

// As links/link.go parseLinkType: surrounding spaces and case do not matter.
std::string normalized_type(std::string text) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  text.erase(text.begin(), std::find_if_not(text.begin(), text.end(), space));
  text.erase(std::find_if_not(text.rbegin(), text.rend(), space).base(), text.end());
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool is_mac(std::string_view text) {
  if (text.size() != 17) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool ok = i % 3 == 2 ? (c == ':' || c == '-') : std::isxdigit(static_cast<unsigned char>(c));
    if (!ok) return false;
  }
  return true;
}

bool has_space(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

// "r1:eth1" split at its first ':' (links/link_brief.go), or nullopt after reporting.
std::optional<Endpoint> read_brief_endpoint(const Value& value, Diagnostics& diagnostics) {
  auto text = model::read_string(value, diagnostics);
  if (!text) return std::nullopt;
  size_t colon = text->find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text->size() || has_space(*text)) {
    diagnostics.error(
        value.mark, value.field,
        fmt::format("'{}' is not an endpoint; expected node:interface, e.g. r1:eth1", *text));
    return std::nullopt;
  }
  Endpoint endpoint;
  endpoint.node = text->substr(0, colon);
  endpoint.interface = text->substr(colon + 1);
  endpoint.mark = value.mark;
  endpoint.field = value.field;
  return endpoint;
}

std::optional<Sourced<model::Ipv4Prefix>> read_address(const Value& value,
                                                       Diagnostics& diagnostics) {
  if (value.node.IsScalar() && value.node.Scalar().empty()) return std::nullopt;
  auto prefix = model::read_prefix(value, false, diagnostics);
  if (!prefix) return std::nullopt;
  return Sourced<model::Ipv4Prefix>{*prefix, value.mark, value.field};
}

std::optional<Endpoint> read_endpoint_map(const Value& value, Diagnostics& diagnostics) {
  MapReader map(value, kEndpointKeys, diagnostics);
  if (!map.is_map()) return std::nullopt;
  Endpoint endpoint;
  endpoint.mark = value.mark;
  endpoint.field = value.field;
  bool complete = true;
  for (const char* key : {"node", "interface"}) {
    const Value* v = map.find(key);
    std::optional<std::string> text;
    if (!v) {
      diagnostics.error(
          value.mark, value.field,
          fmt::format("endpoint has no `{}`; an endpoint needs node and interface", key));
    } else {
      text = model::read_string(*v, diagnostics);
    }
    complete = complete && text;
    (std::string_view(key) == "node" ? endpoint.node : endpoint.interface) = text.value_or("");
  }
  if (const Value* v = map.find("mac")) {
    if (auto text = model::read_string(*v, diagnostics)) {
      if (is_mac(*text)) {
        endpoint.mac = Sourced<std::string>{*text, v->mark, v->field};
      } else {
        diagnostics.error(v->mark, v->field,
                          fmt::format("'{}' is not a MAC address; expected six pairs of hex "
                                      "digits such as 02:00:5e:00:53:01",
                                      *text));
      }
    }
  }
  if (const Value* v = map.find("ipv4")) endpoint.ipv4 = read_address(*v, diagnostics);
  if (const Value* v = map.find("ipv6")) {
    if (auto text = model::read_string(*v, diagnostics)) {
      endpoint.ipv6 = Sourced<std::string>{*text, v->mark, v->field};
    }
  }
  if (!complete) return std::nullopt;
  return endpoint;
}

// The link-level ipv4/ipv6 lists give the endpoints' addresses in order; an endpoint's
// own address, where the extended form gives one, is kept.
void read_link_addresses(const MapReader& map, Link& link, Diagnostics& diagnostics) {
  for (const char* key : {"ipv4", "ipv6"}) {
    const Value* v = map.find(key);
    if (!v) continue;
    auto items = model::read_list(*v, diagnostics);
    if (!items) continue;
    if (items->empty() || items->size() > 2) {
      diagnostics.error(
          v->mark, v->field,
          fmt::format("{} has {} addresses; give one per endpoint, at most 2", key, items->size()));
      continue;
    }
    for (size_t i = 0; i < items->size() && i < link.endpoints.size(); ++i) {
      Endpoint& end = link.endpoints[i];
      if (std::string_view(key) == "ipv4") {
        auto address = read_address((*items)[i], diagnostics);
        if (!end.ipv4) end.ipv4 = address;
      } else if (auto text = model::read_string((*items)[i], diagnostics)) {
        if (!end.ipv6 && !text->empty()) {
          end.ipv6 = Sourced<std::string>{*text, (*items)[i].mark, (*items)[i].field};
        }
      }
    }
  }
}

void read_common(const MapReader& map, Link& link, Diagnostics& diagnostics) {
  if (const Value* v = map.find("mtu")) {
    if (auto mtu = model::read_int(*v, 1, 65535, diagnostics)) {
      link.mtu = Sourced<int>{static_cast<int>(*mtu), v->mark, v->field};
    }
  }
  if (const Value* v = map.find("labels")) {
    MapReader labels(*v, {}, diagnostics);
    for (const auto& entry : labels.entries()) {
      if (auto text = model::read_string(entry.value, diagnostics)) {
        link.labels[entry.key] = {*text, entry.value.mark, entry.value.field};
      }
    }
  }
}

// Reads `endpoints` (a pair) or `endpoint` (one) as the link's form has it.
void read_endpoints(const MapReader& map, bool brief, Link& link, Diagnostics& diagnostics) {
  const Value* pair = map.find("endpoints");
  const Value* single = map.find("endpoint");
  if (!pair && !single) {
    diagnostics.error(
        link.mark, link.field,
        fmt::format("{} link has no `{}`", brief ? "a" : link_type_name(link.type),
                    link.type == LinkType::kVeth || brief ? "endpoints" : "endpoint"));
    return;
  }
  if (single) {
    if (auto end = read_endpoint_map(*single, diagnostics)) link.endpoints.push_back(*end);
    return;
  }
  auto items = model::read_list(*pair, diagnostics);
  if (!items) return;
  if (items->size() != 2) {
    diagnostics.error(pair->mark, pair->field,
                      fmt::format("a link has 2 endpoints, this one has {}", items->size()));
    return;
  }
  std::vector<Endpoint> ends;
  for (const auto& item : *items) {
    auto end =
        brief ? read_brief_endpoint(item, diagnostics) : read_endpoint_map(item, diagnostics);
    if (end) ends.push_back(std::move(*end));
  }
  if (ends.size() == 2) link.endpoints = std::move(ends);
}

std::optional<Link> read_link(const Value& item, Diagnostics& diagnostics) {
  Link link;
  link.mark = item.mark;
  link.field = item.field;
  if (!item.node.IsMap()) {
    diagnostics.error(
        item.mark, item.field,
        fmt::format("expected a link (a map with endpoints), got {}", model::describe(item.node)));
    return std::nullopt;
  }
  // Peek at `type` without reporting: the keys the map may have depend on it.
  model::Diagnostics peek("");
  MapReader untyped(item, {}, peek);
  const Value* type_value = untyped.find("type");
  const TypeRule* rule = nullptr;
  link.brief = true;
  if (type_value) {
    auto text = model::read_string(*type_value, diagnostics);
    if (!text) return std::nullopt;
    std::string type = normalized_type(*text);
    if (type != "brief") {
      rule = find_type(type);
      if (!rule) {
        diagnostics.error(type_value->mark, type_value->field,
                          fmt::format("unknown link type '{}'{}; allowed: {}", *text,
                                      model::did_you_mean(type, type_names()),
                                      model::join_alternatives(type_names())));
        return std::nullopt;
      }
      link.brief = false;
      link.type = rule->type;
    }
  }
  std::vector<std::string> keys = rule ? rule->keys : kBriefKeys;
  if (type_value && !rule) keys.push_back("type");
  MapReader map(item, keys, diagnostics);
  read_endpoints(map, link.brief, link, diagnostics);
  read_common(map, link, diagnostics);
  read_link_addresses(map, link, diagnostics);
  if (link.brief) {
    for (const auto& end : link.endpoints) {
      if (const TypeRule* pseudo = find_type(end.node);
          pseudo && (pseudo->type == LinkType::kHost || pseudo->type == LinkType::kMgmtNet ||
                     pseudo->type == LinkType::kMacvlan)) {
        link.type = pseudo->type;
      }
    }
  }
  return link;
}

// Linux's dev_valid_name: at most 15 characters, no '/', ':' or space, not "." or "..".
std::optional<std::string> interface_problem(const std::string& name) {
  if (name.size() > model::kMaxIfnameLength) {
    return fmt::format(
        "interface name '{}' is {} characters; Linux interface names hold at "
        "most 15",
        name, name.size());
  }
  if (name == "." || name == ".." || name.find('/') != std::string::npos ||
      name.find(':') != std::string::npos || has_space(name)) {
    return fmt::format(
        "'{}' is not a Linux interface name; '/', ':', spaces, '.' and '..' are "
        "not allowed",
        name);
  }
  return std::nullopt;
}

struct Used {
  std::string node, interface;
  const Link* link;
  SourceMark mark;
};

void check_link(const Link& link, const std::vector<std::string>& names, std::vector<Used>& used,
                Diagnostics& diagnostics) {
  for (const auto& end : link.endpoints) {
    bool pseudo = link.brief && link.type != LinkType::kVeth && find_type(end.node);
    if (pseudo) continue;
    if (std::find(names.begin(), names.end(), end.node) == names.end()) {
      diagnostics.error(
          end.mark, end.field,
          fmt::format("unknown node '{}'{}", end.node, model::did_you_mean(end.node, names)));
      continue;
    }
    if (auto problem = interface_problem(end.interface)) {
      diagnostics.error(end.mark, end.field, *problem);
      continue;
    }
    auto first = std::find_if(used.begin(), used.end(), [&](const Used& u) {
      return u.node == end.node && u.interface == end.interface;
    });
    if (first == used.end()) {
      used.push_back({end.node, end.interface, &link, end.mark});
    } else if (first->link == &link) {
      diagnostics.error(end.mark, end.field,
                        fmt::format("link from {}:{} to itself; a link joins two different "
                                    "interfaces",
                                    end.node, end.interface));
    } else {
      diagnostics.error(end.mark, end.field,
                        fmt::format("{}:{} is already used by {} at line {}; an interface "
                                    "belongs to one link",
                                    end.node, end.interface, first->link->field, first->mark.line));
    }
  }
}

}  // namespace

std::string_view link_type_name(LinkType type) {
  for (const auto& rule : kTypes) {
    if (rule.type == type) return rule.name;
  }
  return "?";
}

std::vector<Link> read_links(const Value& value, const std::vector<Node>& nodes,
                             Diagnostics& diagnostics) {
  std::vector<Link> links;
  auto items = model::read_list(value, diagnostics);
  if (!items) return links;
  for (const auto& item : *items) {
    if (auto link = read_link(item, diagnostics)) links.push_back(std::move(*link));
  }
  std::vector<std::string> names;
  for (const auto& node : nodes) names.push_back(node.name);
  std::vector<Used> used;
  for (const auto& link : links) check_link(link, names, used, diagnostics);
  return links;
}

}  // namespace blastlab::clab
