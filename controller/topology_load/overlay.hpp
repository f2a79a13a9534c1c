// An overlay: measurement roles and tags for the nodes of a topology, kept apart from the
// topology file (a containerlab file shared with people who run it under containerlab, or a
// native file that should stay as it is).
//
//   nodes:
//     r6: {role: peer}               # measured as a peer: a vantage point for role:peer
//     r1: {tags: [core, west]}       # more tags for selectors (tag:core)
//
// A role here is how a router or host is measured (as `measure-as:` or a containerlab
// label gives it, and over either); it never changes how the node routes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "controller/model/diagnostic.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::topology_load {

// Applies the overlay to the topology; the errors name the overlay's file:line:col, and
// when there is any the topology is left as it was.
std::vector<model::Diagnostic> apply_overlay_text(std::string_view text,
                                                  const std::string& file_name,
                                                  model::Topology& topology);
std::vector<model::Diagnostic> apply_overlay_file(const std::string& path,
                                                  model::Topology& topology);

}  // namespace blastlab::topology_load
