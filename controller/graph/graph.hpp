// The lab's graph for people: the nodes of a loaded, planned topology styled by role and
// labelled with their name, role, ASN and loopback, and the links with both interface names
// and their impairments. As text for other tools (Graphviz dot, Mermaid, D2: `blastlab
// graph`) and as an inline SVG that blastlab lays out itself (report.html), since no graph
// layout program is there to rely on at run time. Pure functions of the topology: the same
// file always gives the same text, in the file's order.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "controller/model/topology.hpp"

namespace blastlab::graph {

enum class Format { kDot, kMermaid, kD2 };
std::string_view to_string(Format format);  // "dot", "mermaid", "d2"
std::optional<Format> format_from_string(std::string_view text);

// The whole graph in the format, ending in a newline. Names are quoted or turned into safe
// identifiers as each format needs, so any name of a valid topology gives valid text.
std::string render_text(const model::Topology& topology, Format format);

// An <svg> element (no external references, no script) with the nodes in rows by role
// (data centers, backbone, edge, dns, peers, clients), a user's routers and hosts in rows
// by their distance in links from those, straight links between them. Every node is a
// <g class="node role-ROLE" data-node="NAME">, every link a <g class="link" data-a="A"
// data-b="B">, each with a <title> saying all about it.
std::string render_svg(const model::Topology& topology);

// A link's impairments as one short phrase: "10ms±2ms 1% 100Mbit"; empty when it has none.
std::string impairment_text(const model::Impairment& impairment);

}  // namespace blastlab::graph
