// A problem found in an input file, located precisely enough for an editor to jump to it:
// `file:line:col: field: problem`. Every input the controller reads (topologies, change
// scripts) reports its errors as diagnostics, and the CLI exits 2 when there is any.
#pragma once

#include <string>
#include <vector>

namespace blastlab::model {

struct SourceMark {
  int line = 0;    // 1-based; 0 when the value was planned, not read
  int column = 0;  // 1-based
};

struct Diagnostic {
  std::string file;
  SourceMark mark;
  std::string field;    // dotted path: "nodes.dns1.site", "links[2].endpoints[1]"
  std::string message;  // what is wrong, and what is allowed

  // "topo.yaml:12:7: nodes.dns1.site: unknown node 'pop9'"
  std::string str() const;
};

std::string format_diagnostics(const std::vector<Diagnostic>& diagnostics);

}  // namespace blastlab::model
