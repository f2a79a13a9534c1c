// A containerlab topology turned into blastlab's model: every FRR node a `router` running
// its own configuration, every plain Linux node a `host` configured by its exec lines, every
// veth link a link with the endpoints' own addresses. Nothing of the user's network is
// planned. What a blastlab lab cannot be (another vendor's kind, a bridge, a link to the
// host's network, a name Linux or blastlab cannot use) is an error at its file:line:col;
// what it does differently from containerlab (no management network, no container image,
// env and binds not applied) is a warning there, so nothing differs silently. README,
// "containerlab topologies", has the whole table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/clab/clab_topology.hpp"
#include "controller/model/topology.hpp"

namespace blastlab::clab {

// containerlab's MTU for a veth link that gives none (links.DefaultLinkMTU).
inline constexpr int kDefaultLinkMtu = 9500;

struct ConvertOptions {
  // Keep exec lines that are not `ip address|link|route` commands, to run with /bin/sh -c
  // in the node's namespace (`--trust-exec`); without it they are refused at their column.
  bool trust_exec = false;
};

struct ConvertResult {
  std::optional<model::Topology> topology;  // set only when errors is empty
  std::vector<Diagnostic> errors;           // in file order
  std::vector<Diagnostic> warnings;         // in file order, each once
};

ConvertResult convert(const Topology& topology, const ConvertOptions& options = {});

// Reads and converts: the reader's errors, or the conversion's result.
ConvertResult load_clab_file(const std::string& path, const ReadOptions& read = {},
                             const ConvertOptions& options = {});
ConvertResult load_clab_text(std::string_view text, const std::string& file_name,
                             const ReadOptions& read = {}, const ConvertOptions& options = {});

}  // namespace blastlab::clab
