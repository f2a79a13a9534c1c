#include "controller/graph/graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "controller/graph/graph_parts.hpp"

namespace blastlab::graph {

namespace {

// "10ms", "1.5ms", "500us", "2s": the shortest way the topology file could have said it.
std::string duration_text(std::chrono::microseconds duration) {
  auto us = duration.count();
  if (us >= 1'000'000 && us % 1'000'000 == 0) return fmt::format("{}s", us / 1'000'000);
  if (us >= 1000 && us % 1000 == 0) return fmt::format("{}ms", us / 1000);
  if (us >= 1000) return fmt::format("{:g}ms", static_cast<double>(us) / 1000.0);
  return fmt::format("{}us", us);
}

// "100Mbit", "1Gbit", "512kbit", "1500bit".
std::string rate_text(uint64_t bits_per_second) {
  constexpr std::pair<uint64_t, const char*> kUnits[] = {
      {1'000'000'000, "Gbit"}, {1'000'000, "Mbit"}, {1000, "kbit"}};
  for (auto [size, unit] : kUnits) {
    if (bits_per_second >= size && bits_per_second % size == 0)
      return fmt::format("{}{}", bits_per_second / size, unit);
  }
  return fmt::format("{}bit", bits_per_second);
}

}  // namespace

std::string_view to_string(Format format) {
  switch (format) {
    case Format::kDot:
      return "dot";
    case Format::kMermaid:
      return "mermaid";
    case Format::kD2:
      return "d2";
  }
  return "dot";
}

std::optional<Format> format_from_string(std::string_view text) {
  for (auto format : {Format::kDot, Format::kMermaid, Format::kD2}) {
    if (text == to_string(format)) return format;
  }
  return std::nullopt;
}

std::string impairment_text(const model::Impairment& impairment) {
  std::vector<std::string> parts;
  if (impairment.delay || impairment.jitter) {
    std::string delay = impairment.delay ? duration_text(*impairment.delay) : "";
    if (impairment.jitter) delay += "\u00b1" + duration_text(*impairment.jitter);
    parts.push_back(delay);
  }
  if (impairment.loss_percent) parts.push_back(fmt::format("{:g}%", *impairment.loss_percent));
  if (impairment.rate_bits_per_second) parts.push_back(rate_text(*impairment.rate_bits_per_second));
  return fmt::format("{}", fmt::join(parts, " "));
}

std::string render_text(const model::Topology& topology, Format format) {
  switch (format) {
    case Format::kDot:
      return detail::render_dot(topology);
    case Format::kMermaid:
      return detail::render_mermaid(topology);
    case Format::kD2:
      return detail::render_d2(topology);
  }
  return detail::render_dot(topology);
}

namespace detail {

size_t role_rank(model::Role role) {
  return static_cast<size_t>(std::find(kRoleOrder.begin(), kRoleOrder.end(), role) -
                             kRoleOrder.begin());
}

const RoleStyle& role_style(model::Role role) {
  static const RoleStyle kStyles[] = {
      // datacenter, backbone, edge, dns, peer, client, router, host: kRoleOrder's order.
      {"#ddf4ff", "#0969da", "box3d", "filled", "[(", ")]", "cylinder"},
      {"#fbefff", "#8250df", "box", "rounded,filled", "[", "]", "rectangle"},
      {"#dafbe1", "#1a7f37", "box", "rounded,filled", "(", ")", "rectangle"},
      {"#fff8c5", "#9a6700", "cylinder", "filled", "[[", "]]", "hexagon"},
      {"#ffebe9", "#cf222e", "ellipse", "filled", "([", "])", "cloud"},
      {"#eaeef2", "#57606a", "box", "filled", "{{", "}}", "oval"},
      {"#fff1e5", "#bc4c00", "box", "rounded,filled", "(", ")", "rectangle"},
      {"#f6f8fa", "#6e7781", "box", "filled", "[", "]", "rectangle"},
  };
  return kStyles[std::min(role_rank(role), kRoleOrder.size() - 1)];
}

std::string role_text(const model::Node& node) {
  std::string text(model::to_string(node.role));
  if (node.measured_as) text += fmt::format(" ({})", model::to_string(*node.measured_as));
  return text;
}

std::vector<std::string> label_lines(const model::Node& node) {
  std::vector<std::string> lines{node.name, role_text(node)};
  if (node.asn) lines.back() += fmt::format(" AS{}", node.asn);
  if (node.loopback)
    lines.push_back("lo " + node.loopback->address.str());
  else if (node.network)
    lines.push_back("net " + node.network->str());
  return lines;
}

std::string ends_text(const model::Link& link) {
  return link.a.ifname + " \u2014 " + link.b.ifname;
}

}  // namespace detail

}  // namespace blastlab::graph
