// What the graph's renderers share: the roles in the order they are drawn, each role's
// colours and shapes, and the texts of a node's label and of a link's ends. Internal to
// graph/: one place decides what a node says, so the four renderings say the same.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::graph::detail {

// The order of the rows of the SVG and of the groups of the text formats: from the data
// centers the health checks probe, out to the clients.
inline constexpr std::array kRoleOrder = {
    model::Role::kDatacenter, model::Role::kBackbone, model::Role::kEdge,   model::Role::kDns,
    model::Role::kPeer,       model::Role::kClient,   model::Role::kRouter, model::Role::kHost};
size_t role_rank(model::Role role);

// Colours from GitHub's Primer palette, as report.html's timeline uses; the shapes are
// each format's own words for them.
struct RoleStyle {
  std::string_view fill;
  std::string_view stroke;
  std::string_view dot_shape;
  std::string_view dot_style;
  std::string_view mermaid_open;  // around the quoted label: ["..."], ("..."), [("...")]
  std::string_view mermaid_close;
  std::string_view d2_shape;
};
const RoleStyle& role_style(model::Role role);

// "backbone", or "router (peer)" for a router measured as a peer.
std::string role_text(const model::Node& node);
// The lines of a node's label: its name; its role and ASN ("backbone AS64500"); its
// loopback ("lo 198.18.0.1") or a client's network ("net 203.0.113.1/28") when planned.
std::vector<std::string> label_lines(const model::Node& node);
// Both interface names of a link, a's first: "eth1 — eth2".
std::string ends_text(const model::Link& link);

std::string render_dot(const model::Topology& topology);
std::string render_mermaid(const model::Topology& topology);
std::string render_d2(const model::Topology& topology);

}  // namespace blastlab::graph::detail
