// Shared by the frr tests: the reference topology the plan and the renderer are checked on.
#pragma once

#include <gtest/gtest.h>

#include "controller/model/topology.hpp"

namespace blastlab::frr {

inline model::Topology minimal() {
  auto loaded = model::load_topology_file(BLASTLAB_SOURCE_DIR "/topologies/minimal.yaml");
  if (!loaded.topology) {
    ADD_FAILURE() << model::format_diagnostics(loaded.errors);
    return {};
  }
  return *loaded.topology;
}

}  // namespace blastlab::frr
