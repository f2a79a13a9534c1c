// The lab's graph: each format's exact text on a small lab, names escaped for each format,
// impairments in short, the roles styled, the reference lab and the containerlab example
// drawn whole, and the SVG well-formed inside report.html.
#include "controller/graph/graph.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "controller/graph/graph_parts.hpp"
#include "controller/graph/layout.hpp"
#include "controller/report/report.hpp"
#include "controller/report/test_support.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::graph {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

model::Node node(std::string name, model::Role role, uint32_t asn, std::string loopback) {
  model::Node n;
  n.name = std::move(name);
  n.role = role;
  n.asn = asn;
  if (!loopback.empty()) n.loopback = model::Ipv4Prefix::parse(loopback);
  return n;
}

model::Link link(std::string a, std::string a_if, std::string b, std::string b_if) {
  model::Link l;
  l.a = {.node = std::move(a), .ifname = std::move(a_if)};
  l.b = {.node = std::move(b), .ifname = std::move(b_if)};
  return l;
}

// An edge router between the backbone and a transit, in that file order (the graph groups
// by role); the uplink impaired.
model::Topology three_nodes() {
  model::Topology t;
  t.file = "three.yaml";
  t.name = "three";
  t.nodes = {node("pop1", model::Role::kEdge, 64500, "198.18.0.2/32"),
             node("bb1", model::Role::kBackbone, 64500, "198.18.0.1/32"),
             node("tr1", model::Role::kPeer, 64510, "")};
  t.links = {link("pop1", "bb1", "bb1", "pop1"), link("tr1", "eth0", "pop1", "tr1")};
  t.links[0].impairment = {
      .delay = 10ms, .jitter = 2ms, .loss_percent = 1, .rate_bits_per_second = 100'000'000};
  return t;
}

model::Topology load(const std::string& relative) {
  auto loaded =
      topology_load::load_topology_file(std::string(BLASTLAB_SOURCE_DIR) + "/" + relative);
  EXPECT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
  return loaded.topology ? *loaded.topology : model::Topology{};
}

size_t count(std::string_view text, std::string_view what) {
  return report::count(text, what);
}

TEST(GraphFormatTest, NamesReadBack) {
  for (auto format : {Format::kDot, Format::kMermaid, Format::kD2})
    EXPECT_EQ(format_from_string(to_string(format)), format);
  EXPECT_EQ(format_from_string("svg"), std::nullopt);
  EXPECT_EQ(format_from_string("DOT"), std::nullopt);
}

TEST(GraphImpairmentTest, ShortestTextOfEachPart) {
  EXPECT_EQ(impairment_text({}), "");
  EXPECT_EQ(impairment_text(three_nodes().links[0].impairment), "10ms\u00b12ms 1% 100Mbit");
  EXPECT_EQ(impairment_text({.delay = 1500us}), "1.5ms");
  EXPECT_EQ(impairment_text({.delay = 500us}), "500us");
  EXPECT_EQ(impairment_text({.delay = 2s, .jitter = 250us}), "2s\u00b1250us");
  EXPECT_EQ(impairment_text({.jitter = 3ms}), "\u00b13ms");
  EXPECT_EQ(impairment_text({.loss_percent = 0.5}), "0.5%");
  EXPECT_EQ(impairment_text({.rate_bits_per_second = 1'000'000'000}), "1Gbit");
  EXPECT_EQ(impairment_text({.rate_bits_per_second = 512'000}), "512kbit");
  EXPECT_EQ(impairment_text({.rate_bits_per_second = 1500}), "1500bit");
  EXPECT_EQ(impairment_text({.loss_percent = 2, .rate_bits_per_second = 1'500'000'000}),
            "2% 1500Mbit");
}

TEST(GraphTextTest, DotHasAClusterPerRoleAndBothInterfacesOnEachEdge) {
  EXPECT_EQ(render_text(three_nodes(), Format::kDot),
            R"(graph "three" {
  graph [fontname="Helvetica", fontsize=11, newrank=true];
  node [fontname="Helvetica", fontsize=10];
  edge [fontname="Helvetica", fontsize=8, labelfontsize=8, color="#57606a", labelfontcolor="#57606a"];
  subgraph "cluster_backbone" {
    label="backbone";
    style="rounded,dashed";
    color="#8c959f";
    "bb1" [label="bb1\nbackbone AS64500\nlo 198.18.0.1", shape=box, style="rounded,filled", fillcolor="#fbefff", color="#8250df"];
  }
  subgraph "cluster_edge" {
    label="edge";
    style="rounded,dashed";
    color="#8c959f";
    "pop1" [label="pop1\nedge AS64500\nlo 198.18.0.2", shape=box, style="rounded,filled", fillcolor="#dafbe1", color="#1a7f37"];
  }
  subgraph "cluster_peer" {
    label="peer";
    style="rounded,dashed";
    color="#8c959f";
    "tr1" [label="tr1\npeer AS64510", shape=ellipse, style="filled", fillcolor="#ffebe9", color="#cf222e"];
  }
  "pop1" -- "bb1" [taillabel="bb1", headlabel="pop1", label="10ms±2ms 1% 100Mbit", fontcolor="#9a6700"];
  "tr1" -- "pop1" [taillabel="eth0", headlabel="tr1"];
}
)");
}

TEST(GraphTextTest, MermaidHasAClassPerRoleSafeIdsAndQuotedLabels) {
  EXPECT_EQ(render_text(three_nodes(), Format::kMermaid),
            R"(flowchart TB
  %% three
  classDef backbone fill:#fbefff,stroke:#8250df,color:#1f2328
  classDef edge fill:#dafbe1,stroke:#1a7f37,color:#1f2328
  classDef peer fill:#ffebe9,stroke:#cf222e,color:#1f2328
  n_bb1["bb1<br/>backbone AS64500<br/>lo 198.18.0.1"]:::backbone
  n_pop1("pop1<br/>edge AS64500<br/>lo 198.18.0.2"):::edge
  n_tr1(["tr1<br/>peer AS64510"]):::peer
  n_pop1 ---|"bb1 — pop1<br/>10ms±2ms 1% 100Mbit"| n_bb1
  n_tr1 ---|"eth0 — tr1"| n_pop1
)");
}

TEST(GraphTextTest, D2HasAClassPerRoleAndQuotedKeys) {
  EXPECT_EQ(render_text(three_nodes(), Format::kD2),
            R"(# three
direction: down
classes: {
  backbone: {shape: rectangle; style: {fill: "#fbefff"; stroke: "#8250df"}}
  edge: {shape: rectangle; style: {fill: "#dafbe1"; stroke: "#1a7f37"}}
  peer: {shape: cloud; style: {fill: "#ffebe9"; stroke: "#cf222e"}}
}
"bb1": "bb1\nbackbone AS64500\nlo 198.18.0.1" {class: backbone}
"pop1": "pop1\nedge AS64500\nlo 198.18.0.2" {class: edge}
"tr1": "tr1\npeer AS64510" {class: peer}
"pop1" -- "bb1": "bb1 — pop1\n10ms±2ms 1% 100Mbit"
"tr1" -- "pop1": "eth0 — tr1"
)");
}

// Names a valid topology never has, and ones it may (`end`, `label`, `x-1`): each format
// must still read them as names.
model::Topology awkward_names() {
  model::Topology t;
  t.name = "odd\"lab";
  t.nodes = {node("a\"b\\c", model::Role::kRouter, 0, ""), node("end", model::Role::kHost, 0, ""),
             node("label", model::Role::kHost, 0, ""), node("x-1", model::Role::kRouter, 0, ""),
             node("x_1", model::Role::kRouter, 0, "")};
  t.links = {link("a\"b\\c", "e#1<2>&", "end", "$x"), link("label", "eth1", "x-1", "eth1")};
  return t;
}

TEST(GraphTextTest, DotQuotesEveryIdAndEscapesQuotesAndBackslashes) {
  std::string dot = render_text(awkward_names(), Format::kDot);
  EXPECT_THAT(dot, HasSubstr("graph \"odd\\\"lab\" {"));
  EXPECT_THAT(dot, HasSubstr("\"a\\\"b\\\\c\" [label=\"a\\\"b\\\\c\\nrouter\""));
  EXPECT_THAT(dot, HasSubstr("\"a\\\"b\\\\c\" -- \"end\" [taillabel=\"e#1<2>&\", "
                             "headlabel=\"$x\"];"));
  EXPECT_THAT(dot, HasSubstr("\"x-1\" [label="));
}

TEST(GraphTextTest, MermaidIdsAreSafeAndUniqueAndLabelsUseEntityCodes) {
  std::string mermaid = render_text(awkward_names(), Format::kMermaid);
  EXPECT_THAT(mermaid, HasSubstr("  %% odd\"lab\n"));
  EXPECT_THAT(mermaid, HasSubstr("  n_a_b_c(\"a#quot;b\\c<br/>router\"):::router\n"));
  EXPECT_THAT(mermaid, HasSubstr("  n_end[\"end<br/>host\"]:::host\n"));
  EXPECT_THAT(mermaid, HasSubstr("  n_x_1(\"x-1<br/>router\"):::router\n"));
  EXPECT_THAT(mermaid, HasSubstr("  n_x_1_2(\"x_1<br/>router\"):::router\n"));
  EXPECT_THAT(mermaid, HasSubstr("  n_a_b_c ---|\"e#35;1#lt;2#gt;#amp; — $x\"| n_end\n"));
  EXPECT_THAT(mermaid, HasSubstr("  n_label ---|\"eth1 — eth1\"| n_x_1\n"));
}

TEST(GraphTextTest, D2QuotesKeysEscapesStringsAndRenamesKeywords) {
  std::string d2 = render_text(awkward_names(), Format::kD2);
  EXPECT_THAT(d2, HasSubstr("\"a\\\"b\\\\c\": \"a\\\"b\\\\c\\nrouter\" {class: router}\n"));
  EXPECT_THAT(d2, HasSubstr("\"node-label\": \"label\\nhost\" {class: host}\n"));
  EXPECT_THAT(d2, HasSubstr("\"a\\\"b\\\\c\" -- \"end\": \"e#1<2>& — \\$x\"\n"));
  EXPECT_THAT(d2, HasSubstr("\"node-label\" -- \"x-1\": \"eth1 — eth1\"\n"));
  EXPECT_THAT(d2, Not(HasSubstr("\n\"label\":")));
}

TEST(GraphTextTest, EveryRoleIsStyledAndAMeasuredRouterSaysSo) {
  model::Topology t;
  t.name = "roles";
  for (auto role :
       {model::Role::kDatacenter, model::Role::kBackbone, model::Role::kEdge, model::Role::kDns,
        model::Role::kPeer, model::Role::kClient, model::Role::kRouter, model::Role::kHost}) {
    t.nodes.push_back(node(std::string(model::to_string(role)) + "1", role, 0, ""));
  }
  t.nodes[6].measured_as = model::Role::kPeer;
  std::string dot = render_text(t, Format::kDot);
  std::string mermaid = render_text(t, Format::kMermaid);
  std::string d2 = render_text(t, Format::kD2);
  for (const auto& n : t.nodes) {
    std::string role(model::to_string(n.role));
    EXPECT_THAT(dot, HasSubstr("subgraph \"cluster_" + role + "\" {"));
    EXPECT_THAT(mermaid, HasSubstr("classDef " + role + " fill:"));
    EXPECT_THAT(mermaid, HasSubstr(":::" + role + "\n"));
    EXPECT_THAT(d2, HasSubstr("  " + role + ": {shape: "));
    EXPECT_THAT(d2, HasSubstr("{class: " + role + "}"));
  }
  EXPECT_THAT(dot, HasSubstr("\"router1\" [label=\"router1\\nrouter (peer)\""));
  EXPECT_THAT(render_svg(t), HasSubstr("<title>router1: router (peer)</title>"));
}

TEST(GraphTextTest, TheReferenceLabHasEveryNodeAndLink) {
  auto t = load("topologies/fb-2021.yaml");
  ASSERT_EQ(t.nodes.size(), 32u);
  std::string dot = render_text(t, Format::kDot);
  std::string mermaid = render_text(t, Format::kMermaid);
  std::string d2 = render_text(t, Format::kD2);
  for (const auto& n : t.nodes) {
    EXPECT_EQ(count(dot, "\n    \"" + n.name + "\" [label=\"" + n.name + "\\n"), 1u) << n.name;
    EXPECT_EQ(
        count(mermaid, "\n  n_" + n.name + std::string(detail::role_style(n.role).mermaid_open) +
                           "\"" + n.name + "<br/>"),
        1u)
        << n.name;
    EXPECT_EQ(count(d2, "\n\"" + n.name + "\": \""), 1u) << n.name;
  }
  EXPECT_EQ(count(dot, "\" -- \""), t.links.size());
  EXPECT_EQ(count(mermaid, " ---|"), t.links.size());
  EXPECT_EQ(count(d2, "\" -- \""), t.links.size());
  for (const auto& l : t.links) {
    EXPECT_THAT(dot, HasSubstr("\"" + l.a.node + "\" -- \"" + l.b.node + "\" [taillabel=\"" +
                               l.a.ifname + "\", headlabel=\"" + l.b.ifname + "\""));
  }
  // Planned: every node's ASN and the routers' loopbacks.
  EXPECT_THAT(dot, HasSubstr("\"bb1\" [label=\"bb1\\nbackbone AS64500\\nlo 198.18."));
  EXPECT_EQ(render_text(t, Format::kDot), dot);  // the same every time
}

TEST(GraphTextTest, TheContainerlabExampleHasItsInterfaceNames) {
  auto t = load("topologies/ospf-bgp.clab.yml");
  ASSERT_EQ(t.nodes.size(), 9u);
  std::string mermaid = render_text(t, Format::kMermaid);
  EXPECT_THAT(mermaid, HasSubstr("n_r1 ---|\"eth1 — eth1\"| n_r3\n"));
  EXPECT_THAT(mermaid, HasSubstr("n_x1(\"x1<br/>router (peer)"));
  EXPECT_THAT(mermaid, HasSubstr("n_h1[\"h1<br/>host\"]:::host\n"));
  EXPECT_EQ(count(mermaid, " ---|"), t.links.size());
}

TEST(GraphLayoutTest, TheReferenceLabIsInRowsByRoleInFileOrder) {
  auto t = load("topologies/fb-2021.yaml");
  auto layout = detail::lay_out(t);
  std::vector<std::string> labels;
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : layout.rows) {
    labels.push_back(row.label);
    rows.emplace_back();
    for (size_t i : row.nodes) rows.back().push_back(t.nodes[i].name);
  }
  EXPECT_THAT(labels, ElementsAre("datacenter", "backbone", "edge", "dns", "peer", "client"));
  EXPECT_THAT(rows[1], ElementsAre("bb1", "bb2", "bb3", "bb4"));
  EXPECT_THAT(rows[2], ElementsAre("pop1", "pop2", "pop3", "pop4", "pop5", "pop6", "pop7", "pop8"));
  EXPECT_THAT(rows[3], ElementsAre("dns1", "dns2", "dns3", "dns4", "dns5", "dns6", "dns7", "dns8"));
  // The exchange sits between the transits of its PoPs.
  EXPECT_THAT(rows[4], ElementsAre("tr1", "tr2", "ix1", "tr3"));
  EXPECT_THAT(rows[5], ElementsAre("client1", "client2", "client4", "client3"));
  // Each DNS host right under its PoP.
  auto index = [&t](const std::string& name) {
    return static_cast<size_t>(t.find_node(name) - t.nodes.data());
  };
  for (int i = 1; i <= 8; ++i) {
    EXPECT_EQ(layout.centre[index("dns" + std::to_string(i))].x,
              layout.centre[index("pop" + std::to_string(i))].x);
  }
}

TEST(GraphLayoutTest, RoutersAndHostsAreInRowsByDistanceFromThePeers) {
  auto t = load("topologies/ospf-bgp.clab.yml");
  auto layout = detail::lay_out(t);
  std::vector<std::string> labels;
  std::vector<std::vector<std::string>> rows;
  for (const auto& row : layout.rows) {
    labels.push_back(row.label);
    rows.emplace_back();
    for (size_t i : row.nodes) rows.back().push_back(t.nodes[i].name);
  }
  EXPECT_THAT(labels, ElementsAre("peer", "router, host", "router", "router", "host"));
  EXPECT_THAT(rows[0], ElementsAre("x1", "x2"));
  EXPECT_THAT(rows[1], ElementsAre("r1", "h2", "r2"));
  EXPECT_THAT(rows[2], ElementsAre("r3", "r5"));
  EXPECT_THAT(rows[3], ElementsAre("r4"));
  EXPECT_THAT(rows[4], ElementsAre("h1"));
}

TEST(GraphLayoutTest, RoutersAloneStartFromTheBestConnected) {
  model::Topology t;
  t.nodes = {node("a", model::Role::kRouter, 0, ""), node("b", model::Role::kRouter, 0, ""),
             node("c", model::Role::kRouter, 0, ""), node("d", model::Role::kHost, 0, ""),
             node("lone", model::Role::kHost, 0, "")};
  t.links = {link("a", "e1", "b", "e1"), link("b", "e2", "c", "e1"), link("c", "e2", "d", "e1")};
  auto layout = detail::lay_out(t);
  ASSERT_EQ(layout.rows.size(), 3u);
  // b and c have two links each: b, the first, starts; lone starts a part of its own.
  EXPECT_EQ(layout.row_of[1], 0u);
  EXPECT_EQ(layout.row_of[4], 0u);
  EXPECT_EQ(layout.row_of[0], 1u);
  EXPECT_EQ(layout.row_of[2], 1u);
  EXPECT_EQ(layout.row_of[3], 2u);
  EXPECT_EQ(layout.rows[0].label, "router, host");
}

TEST(GraphSvgTest, HasANodePerNodeAndALinkPerLinkAndIsWellFormed) {
  for (const char* file : {"topologies/fb-2021.yaml", "topologies/ospf-bgp.clab.yml"}) {
    auto t = load(file);
    std::string svg = render_svg(t);
    EXPECT_EQ(report::xml_problem(svg), "") << file;
    EXPECT_EQ(count(svg, "<g class=\"node role-"), t.nodes.size()) << file;
    EXPECT_EQ(count(svg, "<g class=\"link\""), t.links.size()) << file;
    for (const auto& n : t.nodes) {
      EXPECT_EQ(count(svg, "data-node=\"" + n.name + "\""), 1u) << file << " " << n.name;
      EXPECT_THAT(svg, HasSubstr(">" + n.name + "</text>"));
    }
    for (const auto& l : t.links) {
      EXPECT_THAT(svg, HasSubstr("<g class=\"link\" data-a=\"" + l.a.node + "\" data-b=\"" +
                                 l.b.node + "\">"));
    }
    EXPECT_THAT(svg, Not(HasSubstr("<script")));
    EXPECT_THAT(svg, Not(HasSubstr("href")));
    EXPECT_EQ(render_svg(t), svg);
  }
}

TEST(GraphSvgTest, InterfacesAndImpairmentsAreDrawnAndNamesEscaped) {
  std::string svg = render_svg(three_nodes());
  EXPECT_EQ(report::xml_problem(svg), "");
  EXPECT_THAT(svg, HasSubstr(">10ms\u00b12ms 1% 100Mbit</text>"));
  EXPECT_EQ(count(svg, "class=\"ifname\""), 4u);
  EXPECT_EQ(count(svg, "class=\"impairment\""), 1u);
  EXPECT_THAT(svg, HasSubstr("<title>pop1:bb1 \u2014 bb1:pop1, 10ms\u00b12ms 1% 100Mbit</title>"));
  std::string odd = render_svg(awkward_names());
  EXPECT_EQ(report::xml_problem(odd), "");
  EXPECT_THAT(odd, HasSubstr("data-node=\"a&quot;b\\c\""));
  EXPECT_THAT(odd, HasSubstr(">e#1&lt;2&gt;&amp;</text>"));
}

TEST(GraphSvgTest, ParallelLinksAndSkippedNodesAreBentApart) {
  model::Topology t;
  t.nodes = {node("a", model::Role::kBackbone, 0, ""), node("b", model::Role::kBackbone, 0, ""),
             node("c", model::Role::kBackbone, 0, "")};
  // a-c passes under b on a straight line; a-b twice.
  t.links = {link("a", "e1", "b", "e1"), link("a", "e2", "b", "e2"), link("a", "e3", "c", "e1")};
  std::string svg = render_svg(t);
  struct Path {
    double px, py, cx, cy, qx, qy;
  };
  std::vector<Path> paths;
  for (size_t at = svg.find("<path d=\""); at != std::string::npos;
       at = svg.find("<path d=\"", at + 1)) {
    Path p{};
    ASSERT_EQ(std::sscanf(svg.c_str() + at, "<path d=\"M %lf %lf Q %lf %lf %lf %lf", &p.px, &p.py,
                          &p.cx, &p.cy, &p.qx, &p.qy),
              6);
    paths.push_back(p);
  }
  ASSERT_EQ(paths.size(), 3u);
  double row_y = paths[0].py;
  // The two a-b links bow to either side of the row's line.
  EXPECT_LT(paths[0].cy, row_y);
  EXPECT_GT(paths[1].cy, row_y);
  // a-c's curve peaks half way to its control point: past b's box (42 px high), both ways.
  EXPECT_GT(std::abs(paths[2].cy - row_y) / 2, 21.0);
}

TEST(GraphReportTest, ReportHtmlShowsTheLabGraphAndItsMermaidText) {
  auto t = load("topologies/fb-2021.yaml");
  report::Report r = report::sample_report();
  r.graph = report::LabGraph{render_svg(t), render_text(t, Format::kMermaid)};
  std::string html = report::report_html(r);
  EXPECT_EQ(report::xml_problem(html), "");
  EXPECT_THAT(html, HasSubstr(r.graph->svg));
  EXPECT_THAT(html, HasSubstr("<section id=\"lab-graph\"><h2>Lab</h2>"));
  EXPECT_THAT(html, HasSubstr("<details><summary>"));
  EXPECT_THAT(html, HasSubstr("<pre><code>flowchart TB\n"));
  EXPECT_THAT(html, HasSubstr("n_dns1[[&quot;dns1&lt;br/&gt;dns AS"));
  EXPECT_EQ(count(html, "<svg"), 2u);  // the timeline and the lab
}

}  // namespace
}  // namespace blastlab::graph
