// A lab as a containerlab topology, for a lab that outgrows one host: containerlab runs it
// with Docker, clabernetes (through its converter, clabverter) across a Kubernetes cluster.
// Every node becomes a `kind: linux` container: the nodes that run only FRR use FRR's own
// image with their frr.conf and daemons file bound into /etc/frr; the nodes that also run
// blastlab's services (DNS hosts, data centers, clients) and plain hosts use the blastlab node
// image, whose build file the export writes too. Addresses and routes are `exec` lines of ip
// commands, which containerlab runs and blastlab's own containerlab reader applies through
// netlink, so that the export read back with `blastlab up` is the same network; link
// impairments, which the topology format cannot carry, become containerlab's netem commands
// in netem.sh. Rendering is pure (render_export); write_export puts the files in place.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/frr/plan.hpp"
#include "controller/model/diagnostic.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::clab_export {

// FRR's own image at the release Debian 12 ships (8.4.4), which every lab runs.
inline constexpr const char* kFrrImage = "quay.io/frrouting/frr:8.4.4";
// What `docker build -t blastlab-node DIR/image` makes; push it to a registry (and give
// --node-image) for clabernetes.
inline constexpr const char* kNodeImage = "blastlab-node:latest";

// Where the node image keeps a node's service files and what they write, and where the
// node's own start script is bound.
inline constexpr const char* kServiceDir = "/var/lib/blastlab";
inline constexpr const char* kStartScript = "/etc/blastlab/start.sh";

// The agents the node image carries, copied from beside the blastlab binary.
const std::vector<std::string>& agent_programs();

struct Options {
  std::string lab_name;   // the containerlab topology's name; empty: the topology's
  std::string file_stem;  // the topology is written to STEM.clab.yml
  std::string source;     // the topology file it came from, for the header
  std::string frr_image = kFrrImage;
  std::string node_image = kNodeImage;
};

struct File {
  std::string path;  // relative to the export directory
  std::string text;
  bool executable = false;
};

struct Export {
  std::string lab_name;
  std::string topology_path;  // relative to the export directory: STEM.clab.yml
  std::vector<File> files;    // the topology, netem.sh, image/, nodes/NODE/...
  // Programs copied from the agent directory into image/ by write_export.
  std::vector<std::string> agents;
  const File* find(const std::string& path) const;
};

struct Result {
  std::optional<Export> exported;         // set only when errors is empty
  std::vector<model::Diagnostic> errors;  // names containerlab or clabernetes cannot take
  std::vector<std::string> warnings;      // what the export cannot carry exactly
};

// `plan` is plan_routing(topology) with the user routers' configs loaded
// (frr::load_user_configs), so that their text is exported as written.
Result render_export(const model::Topology& topology, const frr::RoutingPlan& plan,
                     const Options& options);

// Writes the export into out_dir, which must not exist or be empty: everything is written
// into a fresh directory beside it and renamed into place at the end, so a failure leaves
// nothing behind. The agents are copied from agent_dir. Throws std::runtime_error naming
// what failed; nothing is written through a symbolic link.
void write_export(const Export& exported, const std::string& out_dir, const std::string& agent_dir);

}  // namespace blastlab::clab_export
