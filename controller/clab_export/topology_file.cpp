// The containerlab topology file itself. Everything a node needs is on the node (clabverter
// reads binds from the defaults and the nodes only); the defaults carry what every node has:
// the sysctls every blastlab lab node gets. Links are in the brief form, the one
// clabernetes' controller reads, with their MTU.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "contracts/node_sysctls.hpp"
#include "controller/clab_export/export_parts.hpp"

namespace blastlab::clab_export {
namespace {

std::string header(const model::Topology& topology, const Options& options,
                   const std::string& lab) {
  std::string stem = options.file_stem;
  return fmt::format(
      "# {lab}: exported by `blastlab export clab` from {source}.\n"
      "# Every node is kind linux: FRR's own image ({frr})\n"
      "# where a node runs only FRR, the blastlab node image ({node_image}, built\n"
      "# from image/) where it also runs NSD and healthd, the backend or unbound; each node's\n"
      "# files are bound in from nodes/NODE/.\n"
      "# Addresses and routes are the nodes' exec lines; impairments are in netem.sh.\n"
      "#   docker build -t {node_image_name} image\n"
      "#   containerlab deploy -t {stem}.clab.yml && bash netem.sh\n"
      "#   blastlab up {stem}.clab.yml             (the same network again, without Docker)\n"
      "# {nodes} nodes, {links} links.\n",
      fmt::arg("lab", lab),
      fmt::arg("source", options.source.empty() ? "a topology" : options.source),
      fmt::arg("frr", options.frr_image), fmt::arg("node_image", options.node_image),
      fmt::arg("node_image_name", options.node_image.substr(0, options.node_image.rfind(':'))),
      fmt::arg("stem", stem), fmt::arg("nodes", topology.nodes.size()),
      fmt::arg("links", topology.links.size()));
}

void emit_node(YAML::Emitter& out, const ClabNode& node) {
  out << YAML::Key << node.name << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "kind" << YAML::Value << "linux";
  out << YAML::Key << "image" << YAML::Value << node.image;
  if (!node.labels.empty()) {
    out << YAML::Key << "labels" << YAML::Value << YAML::BeginMap;
    for (const auto& [key, value] : node.labels) {
      out << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
    }
    out << YAML::EndMap;
  }
  if (!node.binds.empty()) {
    out << YAML::Key << "binds" << YAML::Value << YAML::BeginSeq;
    for (const auto& [source, target] : node.binds) out << fmt::format("{}:{}:ro", source, target);
    out << YAML::EndSeq;
  }
  if (!node.exec.empty()) {
    out << YAML::Key << "exec" << YAML::Value << YAML::BeginSeq;
    for (const auto& line : node.exec) out << line;
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
}

}  // namespace

std::string render_topology_file(const model::Topology& topology, const Options& options,
                                 const std::string& lab, const std::vector<ClabNode>& nodes) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << lab;
  out << YAML::Key << "topology" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "defaults" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "sysctls" << YAML::Value << YAML::BeginMap;
  for (const auto& [key, value] : contracts::kNodeSysctls) {
    std::string dotted(key);
    std::replace(dotted.begin(), dotted.end(), '/', '.');
    out << YAML::Key << dotted << YAML::Value << YAML::DoubleQuoted << std::string(value);
  }
  out << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "nodes" << YAML::Value << YAML::BeginMap;
  for (const auto& node : nodes) emit_node(out, node);
  out << YAML::EndMap;
  if (!topology.links.empty()) {
    out << YAML::Key << "links" << YAML::Value << YAML::BeginSeq;
    for (const auto& link : topology.links) {
      out << YAML::BeginMap;
      out << YAML::Key << "endpoints" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const auto* end : {&link.a, &link.b}) {
        out << YAML::DoubleQuoted << fmt::format("{}:{}", end->node, end->ifname);
      }
      out << YAML::EndSeq;
      out << YAML::Key << "mtu" << YAML::Value << link.mtu;
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap << YAML::EndMap;
  return header(topology, options, lab) + out.c_str() + "\n";
}

}  // namespace blastlab::clab_export
