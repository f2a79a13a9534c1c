// The graph as text for other tools: Graphviz dot (a cluster per role, both interface names
// at the ends of each edge), Mermaid (a classDef per role, safe ids, quoted labels) and D2
// (a class per role, quoted keys). Nodes come grouped by role, in the file's order within a
// role; links in the file's order, so the same topology always gives the same text.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "controller/graph/graph.hpp"
#include "controller/graph/graph_parts.hpp"

namespace blastlab::graph::detail {

namespace {

// The nodes of each role present, kRoleOrder's order, the file's within a role.
std::vector<std::pair<model::Role, std::vector<const model::Node*>>> by_role(
    const model::Topology& topology) {
  std::vector<std::pair<model::Role, std::vector<const model::Node*>>> groups;
  for (auto role : kRoleOrder) {
    std::vector<const model::Node*> nodes;
    for (const auto& n : topology.nodes) {
      if (n.role == role) nodes.push_back(&n);
    }
    if (!nodes.empty()) groups.emplace_back(role, std::move(nodes));
  }
  return groups;
}

// One identifier per node name, made by `make` and kept unique with a suffix ("_2") when
// two names make the same one; a name no node has (never in a valid topology) gets
// make(name).
class Ids {
 public:
  Ids(const model::Topology& topology, std::function<std::string(const std::string&)> make)
      : make_(std::move(make)) {
    std::set<std::string> used;
    for (const auto& n : topology.nodes) {
      std::string id = make_(n.name);
      for (int k = 2; used.count(id); ++k) id = make_(n.name) + "_" + std::to_string(k);
      used.insert(id);
      ids_.emplace(n.name, id);
    }
  }
  std::string operator()(const std::string& name) const {
    auto it = ids_.find(name);
    return it != ids_.end() ? it->second : make_(name);
  }

 private:
  std::function<std::string(const std::string&)> make_;
  std::map<std::string, std::string> ids_;
};

// A line of the output that must not be broken by a name: control characters become spaces.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return out;
}

// The lines joined by `separator`, each escaped by `escape`.
std::string joined(const std::vector<std::string>& lines, std::string_view separator,
                   const std::function<std::string(std::string_view)>& escape) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i)
    out += (i ? std::string(separator) : "") + escape(lines[i]);
  return out;
}

std::vector<std::string> link_label_lines(const model::Link& link) {
  std::vector<std::string> lines{ends_text(link)};
  if (std::string impairment = impairment_text(link.impairment); !impairment.empty())
    lines.push_back(impairment);
  return lines;
}

// Graphviz: a double-quoted ID, where \ and " are escaped and a line break is \n.
std::string dot_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string dot_quoted(std::string_view text) {
  std::string out = "\"";
  out += dot_escape(text);
  return out + "\"";
}

// Mermaid: inside a quoted label, its entity codes stand for what would end the label or
// read as markup; # first, since the codes begin with it.
std::string mermaid_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '#':
        out += "#35;";
        break;
      case '"':
        out += "#quot;";
        break;
      case '&':
        out += "#amp;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '\n':
        out += "<br/>";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Mermaid ids are n_ and the name with anything but letters, digits and _ as _: a bare
// name could be a keyword (end, graph) or start an edge's arrowhead (o, x).
std::string mermaid_id(const std::string& name) {
  std::string id = "n_";
  for (char c : name) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return id;
}

// D2: a double-quoted string, where \ " and $ (which would start a substitution) are
// escaped and a line break is \n.
std::string d2_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\' || c == '$') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string d2_quoted(std::string_view text) {
  std::string out = "\"";
  out += d2_escape(text);
  return out + "\"";
}

// D2's reserved words (its keywords, style keywords and boards), one space apart. They stay
// keywords even quoted, so a node named after one gets another key (its label still says
// its name).
constexpr std::string_view kD2Keywords =
    "label desc shape icon constraint tooltip link near width height direction top left "
    "grid-rows grid-columns grid-gap vertical-gap horizontal-gap class classes vars style "
    "source-arrowhead target-arrowhead multiple opacity stroke fill fill-pattern stroke-width "
    "stroke-dash border-radius font font-size font-color bold italic underline text-transform "
    "shadow double-border 3d animated filled layers scenarios steps _";

bool d2_reserved(const std::string& name) {
  std::string lower = name;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t at = 0; at < kD2Keywords.size();) {
    size_t end = std::min(kD2Keywords.find(' ', at), kD2Keywords.size());
    if (kD2Keywords.substr(at, end - at) == lower) return true;
    at = end + 1;
  }
  return false;
}

std::string d2_key(const std::string& name) {
  return d2_reserved(name) ? "node-" + name : name;
}

}  // namespace

std::string render_dot(const model::Topology& topology) {
  std::string out = "graph " + dot_quoted(topology.name) + " {\n";
  out += "  graph [fontname=\"Helvetica\", fontsize=11, newrank=true];\n";
  out += "  node [fontname=\"Helvetica\", fontsize=10];\n";
  out +=
      "  edge [fontname=\"Helvetica\", fontsize=8, labelfontsize=8, color=\"#57606a\", "
      "labelfontcolor=\"#57606a\"];\n";
  for (const auto& [role, nodes] : by_role(topology)) {
    std::string name(model::to_string(role));
    const auto& style = role_style(role);
    out += fmt::format("  subgraph {} {{\n    label={};\n    style=\"rounded,dashed\";\n",
                       dot_quoted("cluster_" + name), dot_quoted(name));
    out += "    color=\"#8c959f\";\n";
    for (const auto* n : nodes) {
      out += fmt::format(
          "    {} [label={}, shape={}, style=\"{}\", fillcolor=\"{}\", color=\"{}\"];\n",
          dot_quoted(n->name), dot_quoted(fmt::format("{}", fmt::join(label_lines(*n), "\n"))),
          style.dot_shape, style.dot_style, style.fill, style.stroke);
    }
    out += "  }\n";
  }
  for (const auto& link : topology.links) {
    out +=
        fmt::format("  {} -- {} [taillabel={}, headlabel={}", dot_quoted(link.a.node),
                    dot_quoted(link.b.node), dot_quoted(link.a.ifname), dot_quoted(link.b.ifname));
    if (std::string impairment = impairment_text(link.impairment); !impairment.empty())
      out += ", label=" + dot_quoted(impairment) + ", fontcolor=\"#9a6700\"";
    out += "];\n";
  }
  return out + "}\n";
}

std::string render_mermaid(const model::Topology& topology) {
  Ids ids(topology, mermaid_id);
  std::string out = "flowchart TB\n";
  out += "  %% " + one_line(topology.name) + "\n";
  auto groups = by_role(topology);
  for (const auto& [role, nodes] : groups) {
    const auto& style = role_style(role);
    out += fmt::format("  classDef {} fill:{},stroke:{},color:#1f2328\n", model::to_string(role),
                       style.fill, style.stroke);
  }
  for (const auto& [role, nodes] : groups) {
    const auto& style = role_style(role);
    for (const auto* n : nodes) {
      out += fmt::format("  {}{}\"{}\"{}:::{}\n", ids(n->name), style.mermaid_open,
                         joined(label_lines(*n), "<br/>", mermaid_escape), style.mermaid_close,
                         model::to_string(role));
    }
  }
  for (const auto& link : topology.links) {
    out += fmt::format("  {} ---|\"{}\"| {}\n", ids(link.a.node),
                       joined(link_label_lines(link), "<br/>", mermaid_escape), ids(link.b.node));
  }
  return out;
}

std::string render_d2(const model::Topology& topology) {
  Ids ids(topology, d2_key);
  std::string out = "# " + one_line(topology.name) + "\ndirection: down\nclasses: {\n";
  auto groups = by_role(topology);
  for (const auto& [role, nodes] : groups) {
    const auto& style = role_style(role);
    out += fmt::format("  {}: {{shape: {}; style: {{fill: \"{}\"; stroke: \"{}\"}}}}\n",
                       model::to_string(role), style.d2_shape, style.fill, style.stroke);
  }
  out += "}\n";
  for (const auto& [role, nodes] : groups) {
    for (const auto* n : nodes) {
      out += fmt::format("{}: {} {{class: {}}}\n", d2_quoted(ids(n->name)),
                         d2_quoted(fmt::format("{}", fmt::join(label_lines(*n), "\n"))),
                         model::to_string(role));
    }
  }
  for (const auto& link : topology.links) {
    out += fmt::format("{} -- {}: {}\n", d2_quoted(ids(link.a.node)), d2_quoted(ids(link.b.node)),
                       d2_quoted(fmt::format("{}", fmt::join(link_label_lines(link), "\n"))));
  }
  return out;
}

}  // namespace blastlab::graph::detail
