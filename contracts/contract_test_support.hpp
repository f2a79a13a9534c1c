// What the contract tests feed the agents: every topology and every experiment (topology and
// change script) shipped in topologies/ and scripts/, the what-if variants included, loaded
// as `blastlab run` and `compare` load them.
#pragma once

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "controller/experiment/variants.hpp"
#include "controller/scenario/script.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::contracts::testing {

inline std::string source(const std::string& path) {
  return std::string(BLASTLAB_SOURCE_DIR) + "/" + path;
}

struct Experiment {
  std::string name;  // "backbone-shutdown.yaml", "fb-2021-whatifs.yaml/guard"
  model::Topology topology;
  scenario::Script script;
};

// The change scripts of scripts/ that are not variants files, and the topology each is
// written for.
inline const std::map<std::string, std::string>& script_topologies() {
  static const std::map<std::string, std::string> kPairs = {
      {"backbone-shutdown.yaml", "minimal.yaml"},
      {"fb-2021-audit.yaml", "fb-2021.yaml"},
      {"fb-2021-staged.yaml", "fb-2021.yaml"},
      {"reach-link-down.yaml", "reach.yaml"},
      {"ospf-bgp-host-down.yaml", "ospf-bgp.clab.yml"},
      {"ospf-bgp-border-down.yaml", "ospf-bgp.clab.yml"},
  };
  return kPairs;
}

inline model::Topology load_topology(const std::string& path) {
  auto loaded = topology_load::load_topology_file(path);
  EXPECT_TRUE(loaded.topology) << model::format_diagnostics(loaded.errors);
  return loaded.topology.value_or(model::Topology{});
}

// Every shipped experiment. A script of scripts/ with neither `variants` nor an entry in
// script_topologies() fails the test, so a new one cannot go unchecked.
inline std::vector<Experiment> shipped_experiments() {
  std::vector<Experiment> out;
  for (const auto& entry : std::filesystem::directory_iterator(source("scripts"))) {
    if (entry.path().extension() != ".yaml") continue;
    std::string file = entry.path().filename().string();
    if (YAML::LoadFile(entry.path().string())["variants"]) {
      auto set = experiment::load_variants_file(entry.path().string(), "/tmp/contract-variants");
      EXPECT_TRUE(set.set) << model::format_diagnostics(set.errors);
      if (!set.set) continue;
      for (const auto& v : set.set->variants)
        out.push_back({file + "/" + v.name, v.topology, v.script});
      continue;
    }
    auto pair = script_topologies().find(file);
    if (pair == script_topologies().end()) {
      ADD_FAILURE() << "scripts/" << file << ": no topology for it in script_topologies()";
      continue;
    }
    model::Topology topology = load_topology(source("topologies/" + pair->second));
    auto script = scenario::load_script_file(entry.path().string(), topology);
    EXPECT_TRUE(script.script) << model::format_diagnostics(script.errors);
    if (script.script) out.push_back({file, topology, *script.script});
  }
  EXPECT_GE(out.size(), script_topologies().size());
  return out;
}

}  // namespace blastlab::contracts::testing
