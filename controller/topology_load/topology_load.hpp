// One way to load a topology for every command: a containerlab file (`*.clab.yml`,
// `*.clab.yaml`) through the containerlab reader and its conversion, anything else as
// blastlab's own YAML, then the overlay of measurement roles when one is given. It sits
// above model and clab so that neither depends on the other, and below lab and experiment,
// which reload a lab's copy of its topology the same way it was first loaded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/model/diagnostic.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::topology_load {

struct LoadOptions {
  // What relative paths in the file (FRR configs, binds) are relative to; empty: the file's
  // own directory. A lab's copy of its topology is reloaded with the original's.
  std::string base_directory;
  // Keep exec lines blastlab does not understand, to run with /bin/sh -c (`--trust-exec`).
  bool trust_exec = false;
  // An overlay file giving nodes measurement roles and tags (`--overlay`); empty: none.
  std::string overlay;
};

struct LoadResult {
  std::optional<model::Topology> topology;  // set only when errors is empty
  std::vector<model::Diagnostic> errors;    // the topology's, then the overlay's
  // What the lab will do differently from the file (a containerlab file's management
  // network, images, env...): `file:line:col: warning: ...` for the user, never fatal.
  std::vector<model::Diagnostic> warnings;
};

// Whether the path names a containerlab topology, by its suffix.
bool is_clab_path(std::string_view path);
// The name a lab's copy of the topology gets: the suffix decides how it is read again.
std::string copy_file_name(std::string_view path);

LoadResult load_topology_file(const std::string& path, const LoadOptions& options = {});
// The text of a file named file_name (whose suffix decides the reader).
LoadResult load_topology_text(std::string_view text, const std::string& file_name,
                              const LoadOptions& options = {});

// "t.clab.yml:3:5: warning: topology.nodes.r1.image: ..."
std::string format_warnings(const std::vector<model::Diagnostic>& warnings);

}  // namespace blastlab::topology_load
