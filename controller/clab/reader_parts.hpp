// The reader's parts and what they hand each other; not part of the public header.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "controller/clab/clab_topology.hpp"
#include "controller/model/yaml_reader.hpp"

namespace blastlab::clab {

using model::Diagnostics;
using model::MapReader;
using model::Value;

// One node-config map of the file as given, before inheritance: topology.defaults, a
// kinds.<kind>, a groups.<group> or a nodes.<name>. Each level is checked once, however
// many nodes inherit from it, so a mistake in a group is reported once, at the group.
struct Level {
  std::map<std::string, Sourced<std::string>> scalars;             // kind, image, group, ...
  std::map<std::string, std::vector<Sourced<std::string>>> lists;  // binds, exec
  // labels, env, sysctls: entries in file order
  std::map<std::string, std::vector<std::pair<std::string, Sourced<std::string>>>> maps;
  std::vector<Sourced<std::string>> uninterpreted;  // key names

  const Sourced<std::string>* scalar(const std::string& key) const;
};

struct Levels {
  Level defaults;
  std::map<std::string, Level> kinds;
  std::map<std::string, Level> groups;
};

// Reads one level; a null value (`r1:` with nothing under it) is an empty level.
Level read_level(const Value& value, Diagnostics& diagnostics);
// `host:container[:mode]` split, or nullopt after reporting why it is not a bind.
std::optional<Bind> parse_bind(const Sourced<std::string>& text, Diagnostics* diagnostics);

// The node named `name` with every setting containerlab's inheritance gives it.
// A node no level gives a kind is reported at its name.
Node resolve_node(const MapReader::Entry& entry, const Level& own, const Levels& levels,
                  Diagnostics& diagnostics);

// Resolves host paths and decides the node's class and FRR files.
void classify_node(Node& node, const std::string& directory, const ReadOptions& options,
                   Diagnostics& diagnostics);
// Kinds containerlab knows, for checking kind names and guessing at misspelled ones.
bool is_known_kind(const std::string& kind);
const std::vector<std::string>& known_kinds();

std::vector<Link> read_links(const Value& value, const std::vector<Node>& nodes,
                             Diagnostics& diagnostics);

}  // namespace blastlab::clab
