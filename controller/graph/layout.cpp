#include "controller/graph/layout.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "controller/graph/graph_parts.hpp"

namespace blastlab::graph::detail {

namespace {

constexpr size_t kUnset = std::numeric_limits<size_t>::max();

// The roles that have a row of their own: the generated ones (the last is client).
constexpr size_t kRoleRows = 6;

// A node's row by its role, or nullopt for a router or host that is measured as nothing:
// a router measured as a peer sits with the peers.
std::optional<size_t> role_row(const model::Node& node) {
  size_t rank = role_rank(node.measured_as.value_or(node.role));
  return rank < kRoleRows ? std::optional(rank) : std::nullopt;
}

std::vector<std::vector<size_t>> neighbours(const model::Topology& topology) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < topology.nodes.size(); ++i) index.emplace(topology.nodes[i].name, i);
  std::vector<std::vector<size_t>> adjacent(topology.nodes.size());
  for (const auto& link : topology.links) {
    auto a = index.find(link.a.node);
    auto b = index.find(link.b.node);
    if (a == index.end() || b == index.end() || a->second == b->second) continue;
    adjacent[a->second].push_back(b->second);
    adjacent[b->second].push_back(a->second);
  }
  return adjacent;
}

// Rows of the nodes with no role row: kRoleRows - 1 + their distance in links from the
// nodes that have one; a part of the network none of those reaches starts again from its
// best-connected node (the first in the file among equals), one row below the roles'.
void rows_by_distance(const std::vector<std::vector<size_t>>& adjacent,
                      std::vector<size_t>& raw_row) {
  std::deque<size_t> queue;
  std::vector<size_t> distance(raw_row.size(), kUnset);
  for (size_t i = 0; i < raw_row.size(); ++i) {
    if (raw_row[i] != kUnset) {
      distance[i] = 0;
      queue.push_back(i);
    }
  }
  auto spread = [&] {
    while (!queue.empty()) {
      size_t i = queue.front();
      queue.pop_front();
      for (size_t j : adjacent[i]) {
        if (distance[j] != kUnset) continue;
        distance[j] = distance[i] + 1;
        raw_row[j] = kRoleRows - 1 + distance[j];
        queue.push_back(j);
      }
    }
  };
  spread();
  while (true) {
    std::optional<size_t> seed;
    for (size_t i = 0; i < raw_row.size(); ++i) {
      if (distance[i] == kUnset && (!seed || adjacent[i].size() > adjacent[*seed].size())) seed = i;
    }
    if (!seed) break;
    distance[*seed] = 1;
    raw_row[*seed] = kRoleRows;
    queue.push_back(*seed);
    spread();
  }
}

std::string row_label(const model::Topology& topology, const std::vector<size_t>& nodes,
                      size_t raw_row) {
  if (raw_row < kRoleRows) return std::string(model::to_string(kRoleOrder[raw_row]));
  std::set<size_t> ranks;
  for (size_t i : nodes) ranks.insert(role_rank(topology.nodes[i].role));
  std::string label;
  for (size_t rank : ranks)
    label += (label.empty() ? "" : ", ") + std::string(model::to_string(kRoleOrder[rank]));
  return label;
}

// One pass of the barycenter heuristic over the rows in `order`: each row sorted by the mean
// position of its nodes' neighbours in the nearest row on the side already placed (above
// for a pass down, below for a pass up). A node with none there keeps its own position.
void sweep(Layout& layout, const std::vector<std::vector<size_t>>& adjacent,
           const std::vector<size_t>& order, bool down) {
  auto position = [&](size_t i) {
    return (static_cast<double>(layout.column_of[i]) + 0.5) /
           static_cast<double>(layout.rows[layout.row_of[i]].nodes.size());
  };
  for (size_t r : order) {
    auto& nodes = layout.rows[r].nodes;
    std::vector<std::pair<double, size_t>> keyed;
    for (size_t i : nodes) {
      std::optional<size_t> nearest;
      for (size_t j : adjacent[i]) {
        size_t rj = layout.row_of[j];
        if (down ? rj >= r : rj <= r) continue;
        if (!nearest || (down ? rj > *nearest : rj < *nearest)) nearest = rj;
      }
      double sum = 0;
      int count = 0;
      for (size_t j : adjacent[i]) {
        if (nearest && layout.row_of[j] == *nearest) {
          sum += position(j);
          ++count;
        }
      }
      keyed.emplace_back(count ? sum / count : position(i), i);
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (size_t c = 0; c < keyed.size(); ++c) {
      nodes[c] = keyed[c].second;
      layout.column_of[nodes[c]] = c;
    }
  }
}

}  // namespace

Layout lay_out(const model::Topology& topology) {
  size_t n = topology.nodes.size();
  auto adjacent = neighbours(topology);
  std::vector<size_t> raw_row(n, kUnset);
  for (size_t i = 0; i < n; ++i) raw_row[i] = role_row(topology.nodes[i]).value_or(kUnset);
  rows_by_distance(adjacent, raw_row);

  Layout layout;
  layout.row_of.resize(n);
  layout.column_of.resize(n);
  layout.centre.resize(n);
  std::map<size_t, std::vector<size_t>> by_raw_row;  // the empty rows left out
  for (size_t i = 0; i < n; ++i) by_raw_row[raw_row[i]].push_back(i);
  for (auto& [raw, nodes] : by_raw_row) {
    for (size_t c = 0; c < nodes.size(); ++c) {
      layout.row_of[nodes[c]] = layout.rows.size();
      layout.column_of[nodes[c]] = c;
    }
    layout.rows.push_back({row_label(topology, nodes, raw), nodes});
  }

  std::vector<size_t> down_order, up_order;
  for (size_t r = 1; r < layout.rows.size(); ++r) down_order.push_back(r);
  for (size_t r = layout.rows.size(); r-- > 1;) up_order.push_back(r - 1);
  for (int pass = 0; pass < 2; ++pass) {
    sweep(layout, adjacent, down_order, true);
    sweep(layout, adjacent, up_order, false);
  }

  size_t widest = 1;
  for (const auto& row : layout.rows) widest = std::max(widest, row.nodes.size());
  double plot_width = static_cast<double>(widest) * kSlotWidth;
  layout.width = kRowLabelWidth + plot_width + kMargin;
  layout.height = kTop + static_cast<double>(std::max<size_t>(layout.rows.size(), 1)) * kRowHeight;
  for (size_t r = 0; r < layout.rows.size(); ++r) {
    auto& row = layout.rows[r];
    row.y = kTop + (static_cast<double>(r) + 0.5) * kRowHeight;
    double slot = plot_width / static_cast<double>(row.nodes.size());
    for (size_t c = 0; c < row.nodes.size(); ++c) {
      layout.centre[row.nodes[c]] = {kRowLabelWidth + (static_cast<double>(c) + 0.5) * slot, row.y};
    }
  }
  return layout;
}

}  // namespace blastlab::graph::detail
