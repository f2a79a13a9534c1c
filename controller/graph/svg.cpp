// Drawing the laid-out graph as SVG. Links are drawn first so that the nodes' boxes cover
// their ends; a link whose straight line would pass under another node's box is bent into
// a curve that clears it (the first of a few bows, tried in a fixed order, that touches no
// other box), as are parallel links, each with its own bow. Interface names sit just
// outside each end's box, impairments at the middle, all with a white halo so that they
// stay readable where lines cross. Text widths are estimated (no fonts are measured).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "controller/graph/graph.hpp"
#include "controller/graph/graph_parts.hpp"
#include "controller/graph/layout.hpp"
#include "controller/report/format.hpp"

namespace blastlab::graph {

namespace {

using detail::Layout;
using detail::Point;
using report::xml_escape;

constexpr double kNameLine = 14;   // the name: 12 px bold
constexpr double kOtherLine = 12;  // role and address: 10 px
constexpr double kMinBoxWidth = 90;
constexpr double kMaxBoxWidth = detail::kSlotWidth - 10;
// From a box's edge to its interface name's centre: a fifth of the link's visible length,
// within these bounds, so that the names of links leaving one box side by side spread out.
constexpr double kMinEndLabelGap = 12;
constexpr double kMaxEndLabelGap = 40;
constexpr const char* kLinkColour = "#8c959f";
constexpr const char* kImpairedColour = "#d4a72c";
constexpr const char* kMuted = "#57606a";
constexpr const char* kHalo = R"(stroke="#ffffff" stroke-width="3" paint-order="stroke")";

std::string px(double v) {
  return fmt::format("{:.1f}", v);
}

struct Box {
  Point centre;
  double half_width = 0;
  double half_height = 0;
  bool contains(Point p, double pad) const {
    return std::abs(p.x - centre.x) <= half_width + pad &&
           std::abs(p.y - centre.y) <= half_height + pad;
  }
};

Box box_of(const model::Node& node, Point centre) {
  auto lines = detail::label_lines(node);
  double width = static_cast<double>(lines[0].size()) * 7.4;
  for (size_t i = 1; i < lines.size(); ++i)
    width = std::max(width, static_cast<double>(lines[i].size()) * 6.0);
  width = std::clamp(width + 16, kMinBoxWidth, kMaxBoxWidth);
  double height = 16 + kNameLine + kOtherLine * static_cast<double>(lines.size() - 1);
  return {centre, width / 2, height / 2};
}

// A quadratic Bézier from p to q through the control point c; a straight line when c is
// the middle of p and q.
struct Curve {
  Point p, c, q;
  Point at(double t) const {
    double u = 1 - t;
    return {u * u * p.x + 2 * u * t * c.x + t * t * q.x,
            u * u * p.y + 2 * u * t * c.y + t * t * q.y};
  }
};

// p and q's curve bowed by `bow` pixels at its control point, to the left of p -> q.
Curve bowed(Point p, Point q, double bow) {
  double dx = q.x - p.x, dy = q.y - p.y;
  double length = std::max(std::hypot(dx, dy), 1e-6);
  Point middle{(p.x + q.x) / 2, (p.y + q.y) / 2};
  return {p, {middle.x - dy / length * bow, middle.y + dx / length * bow}, q};
}

// How many points along the curve lie under a box other than its ends'.
int collisions(const Curve& curve, const std::vector<Box>& boxes, size_t a, size_t b) {
  int count = 0;
  for (int step = 1; step < 50; ++step) {
    Point point = curve.at(step / 50.0);
    for (size_t i = 0; i < boxes.size(); ++i) {
      if (i != a && i != b && boxes[i].contains(point, 4)) ++count;
    }
  }
  return count;
}

constexpr int kSamples = 250;

// The length of the curve outside both ends' boxes.
double visible_length(const Curve& curve, const Box& p_box, const Box& q_box) {
  double length = 0;
  Point last = curve.at(0);
  for (int i = 1; i <= kSamples; ++i) {
    Point point = curve.at(static_cast<double>(i) / kSamples);
    if (!p_box.contains(point, 1) && !q_box.contains(point, 1))
      length += std::hypot(point.x - last.x, point.y - last.y);
    last = point;
  }
  return length;
}

// The link from p to q (nodes a and b) bowed by `parallel` and then by the first of a few
// more bows that passes under no other box, or under the fewest.
Curve route(Point p, Point q, double parallel, const std::vector<Box>& boxes, size_t a, size_t b) {
  Curve curve = bowed(p, q, parallel);
  int best = collisions(curve, boxes, a, b);
  for (double bow : {-50.0, 50.0, -90.0, 90.0, -130.0, 130.0, -170.0, 170.0}) {
    if (best == 0) break;
    Curve candidate = bowed(p, q, parallel + bow);
    int hits = collisions(candidate, boxes, a, b);
    if (hits < best) {
      best = hits;
      curve = candidate;
    }
  }
  return curve;
}

// Where an end's interface name goes: along the curve from that end, `gap` past the point
// where it leaves the end's box.
Point end_label_point(const Curve& curve, const Box& box, bool from_p, double gap) {
  Point last = curve.at(from_p ? 0 : 1);
  double travelled = -1;  // negative until the curve is out of the box
  for (int i = 1; i <= kSamples / 2; ++i) {
    double s = static_cast<double>(i) / kSamples;
    Point point = curve.at(from_p ? s : 1 - s);
    if (travelled < 0) {
      if (!box.contains(point, 1)) travelled = 0;
    } else {
      travelled += std::hypot(point.x - last.x, point.y - last.y);
      if (travelled >= gap) return point;
    }
    last = point;
  }
  return curve.at(from_p ? 0.3 : 0.7);
}

std::string small_text(Point at, const std::string& css_class, const std::string& fill,
                       const std::string& text) {
  return fmt::format(
      R"(<text class="{}" x="{}" y="{}" font-size="9" fill="{}" text-anchor="middle" )"
      R"(dominant-baseline="central" {}>{}</text>)",
      css_class, px(at.x), px(at.y), fill, kHalo, xml_escape(text));
}

std::string node_title(const model::Node& node) {
  std::string title = node.name + ": " + detail::role_text(node);
  if (node.asn) title += fmt::format(", AS{}", node.asn);
  if (!node.region.empty()) title += ", region " + node.region;
  if (!node.site.empty()) title += ", site " + node.site;
  if (node.loopback) title += ", loopback " + node.loopback->str();
  if (node.network) title += ", network " + node.network->str();
  for (const auto& tag : node.tags) title += ", tag " + tag;
  return title;
}

std::string legend(const model::Topology& topology) {
  std::string out = "<g class=\"legend\">\n";
  out += fmt::format(R"(<text x="{}" y="26" font-size="13" font-weight="bold">{}</text>)",
                     px(detail::kMargin), xml_escape(topology.name)) +
         "\n";
  double x = detail::kRowLabelWidth;
  for (auto role : detail::kRoleOrder) {
    if (std::none_of(topology.nodes.begin(), topology.nodes.end(),
                     [role](const model::Node& n) { return n.role == role; }))
      continue;
    const auto& style = detail::role_style(role);
    std::string name(model::to_string(role));
    out +=
        fmt::format(R"(<rect x="{}" y="15" width="14" height="12" rx="3" fill="{}" stroke="{}"/>)"
                    R"(<text x="{}" y="25" font-size="11" fill="{}">{}</text>)",
                    px(x), style.fill, style.stroke, px(x + 18), kMuted, xml_escape(name));
    out += "\n";
    x += 18 + static_cast<double>(name.size()) * 6.5 + 16;
  }
  return out + "</g>\n";
}

std::string rows(const Layout& layout) {
  std::string out = "<g class=\"rows\">\n";
  for (size_t r = 0; r < layout.rows.size(); ++r) {
    const auto& row = layout.rows[r];
    if (r % 2 == 1) {
      out += fmt::format(R"(<rect x="0" y="{}" width="{}" height="{}" fill="#f6f8fa"/>)",
                         px(row.y - detail::kRowHeight / 2), px(layout.width),
                         px(detail::kRowHeight)) +
             "\n";
    }
    out +=
        fmt::format(R"(<text class="row-label" x="{}" y="{}" font-size="11" fill="{}" )"
                    R"(text-anchor="end">{}</text>)",
                    px(detail::kRowLabelWidth - 14), px(row.y + 4), kMuted, xml_escape(row.label)) +
        "\n";
  }
  return out + "</g>\n";
}

std::string links(const model::Topology& topology, const Layout& layout,
                  const std::vector<Box>& boxes) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < topology.nodes.size(); ++i) index.emplace(topology.nodes[i].name, i);
  // Parallel links between one pair: how many, and which of them each one is.
  std::map<std::pair<size_t, size_t>, int> pair_count, pair_seen;
  auto pair_of = [&](size_t a, size_t b) { return std::pair(std::min(a, b), std::max(a, b)); };
  for (const auto& link : topology.links) {
    auto a = index.find(link.a.node), b = index.find(link.b.node);
    if (a != index.end() && b != index.end()) ++pair_count[pair_of(a->second, b->second)];
  }

  std::string out = "<g class=\"links\">\n";
  for (const auto& link : topology.links) {
    auto ia = index.find(link.a.node), ib = index.find(link.b.node);
    if (ia == index.end() || ib == index.end() || ia->second == ib->second) continue;
    size_t a = ia->second, b = ib->second;
    // Bowed from the upper (or left) end, so parallel links given either way round bow
    // apart rather than onto each other.
    Point pa = layout.centre[a], pb = layout.centre[b];
    bool a_first = std::pair(pa.y, pa.x) <= std::pair(pb.y, pb.x);
    Point p = a_first ? pa : pb, q = a_first ? pb : pa;
    auto key = pair_of(a, b);
    double parallel = (pair_seen[key]++ - (pair_count[key] - 1) / 2.0) * 28;

    Curve curve = route(p, q, parallel, boxes, a, b);

    std::string impairment = impairment_text(link.impairment);
    std::string title = link.a.node + ":" + link.a.ifname + " \u2014 " + link.b.node + ":" +
                        link.b.ifname + (impairment.empty() ? "" : ", " + impairment);
    out += fmt::format(R"(<g class="link" data-a="{}" data-b="{}"><title>{}</title>)",
                       xml_escape(link.a.node), xml_escape(link.b.node), xml_escape(title)) +
           "\n";
    out += fmt::format(R"(<path d="M {} {} Q {} {} {} {}" fill="none" stroke="{}" )"
                       R"(stroke-width="{}"/>)",
                       px(curve.p.x), px(curve.p.y), px(curve.c.x), px(curve.c.y), px(curve.q.x),
                       px(curve.q.y), impairment.empty() ? kLinkColour : kImpairedColour,
                       impairment.empty() ? "1.3" : "2") +
           "\n";
    double gap =
        std::clamp(visible_length(curve, boxes[a_first ? a : b], boxes[a_first ? b : a]) / 5,
                   kMinEndLabelGap, kMaxEndLabelGap);
    out += small_text(end_label_point(curve, boxes[a], a_first, gap), "ifname", kMuted,
                      link.a.ifname) +
           "\n";
    out += small_text(end_label_point(curve, boxes[b], !a_first, gap), "ifname", kMuted,
                      link.b.ifname) +
           "\n";
    if (!impairment.empty())
      out += small_text(curve.at(0.5), "impairment", "#9a6700", impairment) + "\n";
    out += "</g>\n";
  }
  return out + "</g>\n";
}

std::string nodes(const model::Topology& topology, const std::vector<Box>& boxes) {
  std::string out = "<g class=\"nodes\">\n";
  for (size_t i = 0; i < topology.nodes.size(); ++i) {
    const auto& node = topology.nodes[i];
    const auto& box = boxes[i];
    const auto& style = detail::role_style(node.role);
    std::string role(model::to_string(node.role));
    out += fmt::format(R"(<g class="node role-{}" data-node="{}"><title>{}</title>)", role,
                       xml_escape(node.name), xml_escape(node_title(node))) +
           "\n";
    double top = box.centre.y - box.half_height;
    out +=
        fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" stroke="{}" )"
                    R"(stroke-width="1.5"/>)",
                    px(box.centre.x - box.half_width), px(top), px(2 * box.half_width),
                    px(2 * box.half_height), node.role == model::Role::kPeer ? "14" : "6",
                    style.fill, style.stroke) +
        "\n";
    auto lines = detail::label_lines(node);
    double y = top + 8 + 12;
    for (size_t l = 0; l < lines.size(); ++l) {
      out += fmt::format(R"(<text x="{}" y="{}" text-anchor="middle" font-size="{}"{}>{}</text>)",
                         px(box.centre.x), px(y), l == 0 ? "12" : "10",
                         l == 0 ? R"( font-weight="bold")" : fmt::format(R"( fill="{}")", kMuted),
                         xml_escape(lines[l])) +
             "\n";
      y += l == 0 ? kNameLine : kOtherLine;
    }
    out += "</g>\n";
  }
  return out + "</g>\n";
}

}  // namespace

std::string render_svg(const model::Topology& topology) {
  Layout layout = detail::lay_out(topology);
  std::vector<Box> boxes;
  for (size_t i = 0; i < topology.nodes.size(); ++i)
    boxes.push_back(box_of(topology.nodes[i], layout.centre[i]));

  std::string out = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" class="lab-graph" viewBox="0 0 {} {}" )"
      R"(width="{}" height="{}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" )"
      R"(role="img">)",
      px(layout.width), px(layout.height), px(layout.width), px(layout.height));
  out += fmt::format("\n<title>{}</title>\n",
                     xml_escape(fmt::format("lab {}: {} nodes, {} links", topology.name,
                                            topology.nodes.size(), topology.links.size())));
  out += rows(layout);
  out += legend(topology);
  out += links(topology, layout, boxes);
  out += nodes(topology, boxes);
  return out + "</svg>\n";
}

}  // namespace blastlab::graph
