// The conversion's parts and what they share; not part of the public header.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "controller/clab/convert.hpp"
#include "controller/model/yaml_reader.hpp"

namespace blastlab::clab {

// Errors and warnings of one conversion. A value inherited by many nodes (a group's image,
// a kind's exec line) is one problem at one place: each diagnostic is kept once.
class Findings {
 public:
  explicit Findings(const std::string& file) : errors_(file), warnings_(file) {}

  template <typename T>
  void error(const Sourced<T>& at, std::string message) {
    errors_.error(at.mark, at.field, std::move(message));
  }
  void error(SourceMark mark, std::string field, std::string message) {
    errors_.error(mark, std::move(field), std::move(message));
  }
  template <typename T>
  void warn(const Sourced<T>& at, std::string message) {
    warnings_.error(at.mark, at.field, std::move(message));
  }
  void warn(SourceMark mark, std::string field, std::string message) {
    warnings_.error(mark, std::move(field), std::move(message));
  }
  bool has_errors() const { return !errors_.empty(); }
  std::vector<Diagnostic> take_errors() { return unique(errors_.take_sorted()); }
  std::vector<Diagnostic> take_warnings() { return unique(warnings_.take_sorted()); }

 private:
  static std::vector<Diagnostic> unique(std::vector<Diagnostic> sorted);
  model::Diagnostics errors_;
  model::Diagnostics warnings_;
};

// A node of the model, or nullopt after reporting why the node cannot be one.
std::optional<model::Node> convert_node(const Node& node, const ConvertOptions& options,
                                        const std::string& file, Findings& findings);
// The node's exec lines: ip commands as operations, the lab's own sysctls dropped as
// already true, anything else kept only when trusted.
std::vector<model::ExecCommand> convert_exec(const Node& node, const ConvertOptions& options,
                                             Findings& findings);
// Whether KEY=VALUE (dots or slashes) is a sysctl every lab node already has.
bool is_lab_sysctl(std::string key, std::string_view value);
// Links between nodes that converted; `converted` names them.
std::vector<model::Link> convert_links(const Topology& topology,
                                       const std::vector<std::string>& converted,
                                       Findings& findings);

}  // namespace blastlab::clab
