// What-if variants of one experiment, for `blastlab compare`. A variants file names a
// topology and a change script and lists variants, each the same experiment with a few
// values changed (`topology-set`, `script-set`: dotted paths into the YAML, list items
// picked by their `name` or index), another file (`topology`, `script`) or its own
// `expect`. Every variant is built and checked completely, as `run` checks one topology and
// script, before any lab is built: a bad variant is reported as file:line:col and nothing
// runs. A variant's effective topology and script are kept as YAML text, written beside its
// report so that `blastlab run` can replay it alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/model/diagnostic.hpp"
#include "controller/model/topology.hpp"
#include "controller/scenario/script.hpp"
#include "controller/topology_load/topology_load.hpp"

namespace blastlab::experiment {

struct Variant {
  std::string name;  // [a-z][a-z0-9-]*, unique in the file
  std::string description;
  std::string topology_source;  // the files it was made from
  std::string script_source;
  std::string topology_text;  // effective YAML, after the overrides
  std::string script_text;
  // What the effective topology is written as (topology.yaml, or topology.clab.yml for a
  // containerlab file) and how it loads: relative paths from the source's directory.
  std::string topology_file_name;
  topology_load::LoadOptions load;
  model::Topology topology;  // loaded from the texts, `file` = where they will be written
  std::vector<model::Diagnostic> topology_warnings;
  scenario::Script script;
};

struct VariantSet {
  std::string file;
  std::string name;
  std::string description;
  std::vector<Variant> variants;  // in file order; the first is the reference
};

struct VariantsLoadResult {
  std::optional<VariantSet> set;          // set only when errors is empty
  std::vector<model::Diagnostic> errors;  // in file order
};

// Reads the variants file and builds every variant. `out_dir` is where `compare` will write
// them (OUT/VARIANT/topology.yaml and script.yaml): the loaded topologies and scripts carry
// those names. `only`, when not empty, keeps the variants named there (each must exist).
// `flags` (--trust-exec, --overlay) apply to every variant's topology.
VariantsLoadResult load_variants_file(const std::string& path, const std::string& out_dir,
                                      const std::vector<std::string>& only = {},
                                      const topology_load::LoadOptions& flags = {});

}  // namespace blastlab::experiment
