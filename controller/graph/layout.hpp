// Where the SVG puts each node: a simple layered layout that needs no layout program. The
// generated roles take one row each, in kRoleOrder's order (data centers at the top,
// clients at the bottom); a user's routers and hosts (measured as no role) take the rows
// below them by their distance in links from those nodes, or, in a network of routers and
// hosts alone, from its best-connected node. Within a row the nodes start in file order
// and are moved towards their neighbours in the nearest row above, then below (the
// barycenter heuristic), which keeps a lab like fb-2021 in its file's order and untangles
// a containerlab file written in any order. Internal to graph/.
#pragma once

#include <string>
#include <vector>

#include "controller/model/topology.hpp"

namespace blastlab::graph::detail {

struct Point {
  double x = 0;
  double y = 0;
};

struct Layout {
  struct Row {
    std::string label;          // "backbone", or the roles of a row of distances: "router, host"
    std::vector<size_t> nodes;  // indexes into topology.nodes, left to right
    double y = 0;               // of the row's centre line
  };
  std::vector<Row> rows;  // top to bottom
  // Per node (topology.nodes' indexes): its row, its place in the row and its centre.
  std::vector<size_t> row_of;
  std::vector<size_t> column_of;
  std::vector<Point> centre;
  double width = 0;
  double height = 0;
};

// Pixel geometry, shared with the drawing.
inline constexpr double kRowLabelWidth = 110;  // the row labels' column, left of the nodes
inline constexpr double kSlotWidth = 150;      // per node of the widest row
inline constexpr double kRowHeight = 140;
inline constexpr double kTop = 44;  // the legend's strip
inline constexpr double kMargin = 16;

Layout lay_out(const model::Topology& topology);

}  // namespace blastlab::graph::detail
