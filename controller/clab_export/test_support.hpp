// What the export's tests share: shipped topologies loaded as the CLI loads them (user
// configs read, without FRR's dry run), and their exports.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "controller/clab_export/clab_export.hpp"
#include "controller/frr/user_config.hpp"
#include "controller/proc/process.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::clab_export::testing {

inline std::string source_path(const std::string& relative) {
  return std::string(BLASTLAB_SOURCE_DIR) + "/" + relative;
}

// Every topology the project ships or its tests run, relative to the source tree.
inline const std::vector<std::string>& shipped_topologies() {
  static const std::vector<std::string> paths = {
      "topologies/fb-2021.yaml", "topologies/minimal.yaml", "topologies/reach.yaml",
      "topologies/ospf-bgp.clab.yml", "tests/data/isis/lab.yaml"};
  return paths;
}

struct Loaded {
  model::Topology topology;
  frr::RoutingPlan plan;
};

inline Loaded load(const std::string& path) {
  auto loaded = topology_load::load_topology_file(path);
  EXPECT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
  if (!loaded.topology) return {};
  Loaded out{*loaded.topology, frr::plan_routing(*loaded.topology)};
  auto runner = proc::make_process_runner();
  auto problems = frr::load_user_configs(out.plan, *runner, "/tmp", /*dry_run=*/false);
  EXPECT_TRUE(problems.empty()) << model::format_diagnostics(problems);
  return out;
}

// The export of a shipped topology (relative to the source tree), failing the test when
// there is none.
inline Export export_of(const std::string& relative, Options options = {}) {
  Loaded loaded = load(source_path(relative));
  if (options.source.empty()) options.source = relative;
  Result result = render_export(loaded.topology, loaded.plan, options);
  EXPECT_TRUE(result.exported) << model::format_diagnostics(result.errors);
  return result.exported ? *result.exported : Export{};
}

inline std::string text_of(const Export& exported, const std::string& path) {
  const File* file = exported.find(path);
  EXPECT_NE(file, nullptr) << "no " << path;
  return file ? file->text : "";
}

}  // namespace blastlab::clab_export::testing
