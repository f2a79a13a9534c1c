// The export's pieces, shared by its files: one node as containerlab gets it, and the
// renderers of the node's files, the topology file, the image and netem.sh.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "controller/clab_export/clab_export.hpp"

namespace blastlab::clab_export {

// One node of the containerlab topology.
struct ClabNode {
  std::string name;
  std::string image;
  std::vector<std::pair<std::string, std::string>> labels;
  // source (relative to the export directory), destination in the container
  std::vector<std::pair<std::string, std::string>> binds;
  std::vector<std::string> exec;
};

// The node's files (added to `files`) and its entry in the topology. `errors` gets what
// cannot be exported (a user daemons file that cannot be read).
ClabNode export_node(const model::Topology& topology, const frr::RoutingPlan& plan,
                     const model::Node& node, const Options& options, const std::string& lab,
                     std::vector<File>& files, std::vector<model::Diagnostic>& errors);

std::string render_topology_file(const model::Topology& topology, const Options& options,
                                 const std::string& lab, const std::vector<ClabNode>& nodes);

// image/Dockerfile and image/blastlab-node, the entry script.
std::vector<File> render_image();

// netem.sh: containerlab's netem commands for every impaired link end; `warnings` gets what
// containerlab's netem cannot set as blastlab does.
std::string render_netem_script(const model::Topology& topology, const std::string& lab,
                                std::vector<std::string>& warnings);

// A word for a POSIX shell line: as it is when that is safe, else single-quoted.
std::string shell_word(const std::string& word);

}  // namespace blastlab::clab_export
