// Changing a YAML document by dotted paths before it is read. A what-if variant
// (`topology-set`, `script-set`) and a drill (`topology-set`) change a few values of a file
// they name instead of carrying a copy of it: `services.dns.health.action: degrade`,
// `nodes.dns3.health: {targets: [pop3]}`. A key picks a map's entry, or a list's item by
// its `name` or its index; the changed document is then emitted and read like any file.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "controller/model/yaml_reader.hpp"

namespace blastlab::model {

// Sets the value at a dotted path of a document. Every key but the last must exist; the last
// may add a key to a map. Returns an error text, empty on success.
std::string set_yaml_path(YAML::Node root, const std::string& path, const YAML::Node& value);

// Sets every `path: value` of a map (a `topology-set`) in root, reporting a path that does
// not fit the document at its key.
void apply_yaml_sets(const Value& sets, YAML::Node& root, Diagnostics& diagnostics);

// The document as YAML text, ending in a newline.
std::string emit_yaml(const YAML::Node& root);

}  // namespace blastlab::model
